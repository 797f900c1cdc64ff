/* A strict JSON reader; see mockforge_json.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mockforge_json.h"

/* The nesting bound: entering the 128th nested array or object fails (the host's JSON reader,
 * serde_json, has the same recursion limit). */
#define DEPTH_LIMIT 128

typedef struct parser {
    const unsigned char *s;
    size_t len, pos;
    int remaining_depth;
} parser;

static mf_json *parse_value(parser *p);

static void skip_whitespace(parser *p) {
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
            break;
        p->pos++;
    }
}

static bool literal(parser *p, const char *word) {
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return false;
    p->pos += n;
    return true;
}

static int hex_digit(unsigned char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool hex4(parser *p, uint32_t *out) {
    if (p->len - p->pos < 4)
        return false;
    uint32_t n = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(p->s[p->pos + i]);
        if (d < 0)
            return false;
        n = n << 4 | (uint32_t)d;
    }
    p->pos += 4;
    *out = n;
    return true;
}

static void push_utf8(mf_buf *buf, uint32_t c) {
    char out[4];
    size_t n;
    if (c < 0x80) {
        out[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | c >> 18);
        out[1] = (char)(0x80 | (c >> 12 & 0x3F));
        out[2] = (char)(0x80 | (c >> 6 & 0x3F));
        out[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    mf_buf_push(buf, out, n);
}

/* The length of the well-formed UTF-8 sequence at `s[0]` (a byte >= 0x80), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t avail) {
    unsigned char b = s[0];
    size_t n;
    uint32_t min, c;
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2, min = 0x80, c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3, min = 0x800, c = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4, min = 0x10000, c = b & 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return n;
}

/* The end of the run of text from `p->pos` that a string holds as it is: printable ASCII but `"`
 * and `\`, and well-formed UTF-8 sequences. */
static size_t plain_run_end(const parser *p) {
    size_t i = p->pos;
    while (i < p->len) {
        unsigned char c = p->s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c < 0x80)
            break;
        size_t n = utf8_sequence(p->s + i, p->len - i);
        if (!n)
            break;
        i += n;
    }
    return i;
}

/* A string after its opening quote. A string without escapes is its text in the document, not
 * copied; one with escapes is decoded into the arena a run at a time (the text between escapes
 * goes in at once). */
static bool parse_string(parser *p, mf_str *out) {
    size_t start = p->pos, end = plain_run_end(p);
    if (end < p->len && p->s[end] == '"') {
        *out = (mf_str){(const char *)p->s + start, end - start};
        p->pos = end + 1;
        return true;
    }
    mf_buf buf = {0};
    for (;;) {
        size_t end = plain_run_end(p);
        if (end > p->pos) {
            mf_buf_push(&buf, p->s + p->pos, end - p->pos);
            p->pos = end;
        }
        if (p->pos >= p->len)
            return false;
        unsigned char c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            *out = mf_buf_str(&buf);
            return true;
        }
        /* A control character or a byte that starts no well-formed UTF-8 sequence. */
        if (c != '\\')
            return false;
        p->pos++;
        if (p->pos >= p->len)
            return false;
        unsigned char e = p->s[p->pos++];
        switch (e) {
        case '"': mf_buf_push_byte(&buf, '"'); break;
        case '\\': mf_buf_push_byte(&buf, '\\'); break;
        case '/': mf_buf_push_byte(&buf, '/'); break;
        case 'b': mf_buf_push_byte(&buf, '\b'); break;
        case 'f': mf_buf_push_byte(&buf, '\f'); break;
        case 'n': mf_buf_push_byte(&buf, '\n'); break;
        case 'r': mf_buf_push_byte(&buf, '\r'); break;
        case 't': mf_buf_push_byte(&buf, '\t'); break;
        case 'u': {
            uint32_t n;
            if (!hex4(p, &n) || (n >= 0xDC00 && n <= 0xDFFF))
                return false;
            if (n >= 0xD800 && n <= 0xDBFF) {
                uint32_t low;
                if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
                    return false;
                p->pos += 2;
                if (!hex4(p, &low) || low < 0xDC00 || low > 0xDFFF)
                    return false;
                n = 0x10000 + ((n - 0xD800) << 10 | (low - 0xDC00));
            }
            push_utf8(&buf, n);
            break;
        }
        default:
            return false;
        }
    }
}

/* The value of `token`, a number of the JSON grammar, when it is an integer of at most 15
 * digits (such as a NumericDate): it and every partial sum are below 2^53, so the double is
 * exact, as strtod's would be. */
static bool integer_value(const unsigned char *token, size_t len, double *out) {
    bool negative = token[0] == '-';
    size_t digits = len - negative;
    if (digits > 15)
        return false;
    int64_t n = 0;
    for (size_t i = negative; i < len; i++) {
        if (token[i] < '0' || token[i] > '9')
            return false;
        n = n * 10 + (token[i] - '0');
    }
    *out = negative ? -(double)n : (double)n;
    return true;
}

static bool is_digit(parser *p) { return p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9'; }

static bool parse_number(parser *p, mf_json *out) {
    size_t start = p->pos;
    if (p->s[p->pos] == '-')
        p->pos++;
    if (!is_digit(p))
        return false;
    if (p->s[p->pos] == '0') {
        p->pos++;
        if (is_digit(p))
            return false;
    } else {
        while (is_digit(p))
            p->pos++;
    }
    if (p->pos < p->len && p->s[p->pos] == '.') {
        p->pos++;
        if (!is_digit(p))
            return false;
        while (is_digit(p))
            p->pos++;
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if (!is_digit(p))
            return false;
        while (is_digit(p))
            p->pos++;
    }
    out->type = MF_JSON_NUMBER;
    if (integer_value(p->s + start, p->pos - start, &out->number))
        return true;
    /* The grammar is checked above, so strtod reads exactly this token. */
    mf_str token = mf_str_copy(p->s + start, p->pos - start);
    double value = strtod(token.ptr, NULL);
    if (isinf(value))
        return false;
    out->number = value;
    return true;
}

static bool enter(parser *p) { return --p->remaining_depth > 0; }

static void push_item(mf_json *container, size_t *cap, const mf_str *key, mf_json *item) {
    if (container->count == *cap) {
        size_t fresh = *cap ? *cap * 2 : 4;
        /* Only the first `count` slots are read, each written first. */
        mf_json **items = mf__alloc_uninit(fresh * sizeof *items);
        mf_str *keys = key ? mf__alloc_uninit(fresh * sizeof *keys) : NULL;
        if (container->count) {
            memcpy(items, container->items, container->count * sizeof *items);
            if (key)
                memcpy(keys, container->keys, container->count * sizeof *keys);
        }
        container->items = items;
        container->keys = keys;
        *cap = fresh;
    }
    if (key)
        container->keys[container->count] = *key;
    container->items[container->count++] = item;
}

static mf_json *parse_container(parser *p, mf_json *out, bool object) {
    if (!enter(p))
        return NULL;
    p->pos++;
    out->type = object ? MF_JSON_OBJECT : MF_JSON_ARRAY;
    char close = object ? '}' : ']';
    size_t cap = 0;
    skip_whitespace(p);
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        p->remaining_depth++;
        return out;
    }
    for (;;) {
        mf_str key;
        if (object) {
            skip_whitespace(p);
            if (p->pos >= p->len || p->s[p->pos] != '"')
                return NULL;
            p->pos++;
            if (!parse_string(p, &key))
                return NULL;
            skip_whitespace(p);
            if (p->pos >= p->len || p->s[p->pos] != ':')
                return NULL;
            p->pos++;
        }
        mf_json *item = parse_value(p);
        if (!item)
            return NULL;
        push_item(out, &cap, object ? &key : NULL, item);
        skip_whitespace(p);
        if (p->pos >= p->len)
            return NULL;
        char c = (char)p->s[p->pos++];
        if (c == close)
            break;
        if (c != ',')
            return NULL;
    }
    p->remaining_depth++;
    return out;
}

/* The value at the parser's position, without recording its text. */
static mf_json *parse_token(parser *p, mf_json *out) {
    unsigned char c = p->s[p->pos];
    switch (c) {
    case 'n':
        return literal(p, "null") ? out : NULL;
    case 't':
        out->type = MF_JSON_BOOL;
        out->boolean = true;
        return literal(p, "true") ? out : NULL;
    case 'f':
        out->type = MF_JSON_BOOL;
        return literal(p, "false") ? out : NULL;
    case '"':
        p->pos++;
        out->type = MF_JSON_STRING;
        return parse_string(p, &out->string) ? out : NULL;
    case '[':
        return parse_container(p, out, false);
    case '{':
        return parse_container(p, out, true);
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return parse_number(p, out) ? out : NULL;
        return NULL;
    }
}

static mf_json *parse_value(parser *p) {
    skip_whitespace(p);
    if (p->pos >= p->len)
        return NULL;
    mf_json *out = mf_alloc(sizeof *out);
    size_t start = p->pos;
    if (!parse_token(p, out))
        return NULL;
    out->text = (mf_str){(const char *)p->s + start, p->pos - start};
    return out;
}

mf_json *mf_json_parse(const void *text, size_t len) {
    parser p = {text, len, 0, DEPTH_LIMIT};
    mf_json *value = parse_value(&p);
    if (!value)
        return NULL;
    skip_whitespace(&p);
    return p.pos == p.len ? value : NULL;
}

const mf_json *mf_json_get(const mf_json *object, mf_str key) {
    if (!object || object->type != MF_JSON_OBJECT)
        return NULL;
    for (size_t i = object->count; i > 0; i--)
        if (mf_str_eq(object->keys[i - 1], key))
            return object->items[i - 1];
    return NULL;
}

bool mf_json_as_str(const mf_json *value, mf_str *out) {
    if (!value || value->type != MF_JSON_STRING)
        return false;
    *out = value->string;
    return true;
}

bool mf_json_as_f64(const mf_json *value, double *out) {
    if (!value || value->type != MF_JSON_NUMBER)
        return false;
    *out = value->number;
    return true;
}

void mf_json_escape_into(mf_buf *buf, mf_str text) {
    static const char hex[] = "0123456789abcdef";
    size_t run = 0;
    for (size_t i = 0; i < text.len; i++) {
        unsigned char c = (unsigned char)text.ptr[i];
        const char *escape = NULL;
        char unicode[6];
        switch (c) {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default:
            if (c < 0x20) {
                memcpy(unicode, "\\u00", 4);
                unicode[4] = hex[c >> 4];
                unicode[5] = hex[c & 0xF];
            }
        }
        if (!escape && c >= 0x20)
            continue;
        mf_buf_push(buf, text.ptr + run, i - run);
        if (escape)
            mf_buf_push_str(buf, mf_cstr(escape));
        else
            mf_buf_push(buf, unicode, sizeof unicode);
        run = i + 1;
    }
    mf_buf_push(buf, text.ptr + run, text.len - run);
}

void mf_json_quote_into(mf_buf *buf, mf_str text) {
    mf_buf_push_byte(buf, '"');
    mf_json_escape_into(buf, text);
    mf_buf_push_byte(buf, '"');
}

mf_str mf_json_compact(const mf_json *value) {
    mf_buf buf = {0};
    const char *s = value->text.ptr;
    size_t run = 0, n = value->text.len;
    bool in_string = false;
    /* The text is valid JSON: outside strings, white space is only between tokens. */
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            mf_buf_push(&buf, s + run, i - run);
            run = i + 1;
        }
    }
    mf_buf_push(&buf, s + run, n - run);
    return mf_buf_str(&buf);
}
