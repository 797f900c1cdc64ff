#include "template.h"

/* Append `value` escaped as the content of a JSON string (RFC 8259 section 7). */
static void escape_into(mf_buf *out, mf_str value) {
    for (size_t i = 0; i < value.len; i++) {
        unsigned char c = (unsigned char)value.ptr[i];
        switch (c) {
        case '"': mf_buf_push_str(out, MF_STR("\\\"")); break;
        case '\\': mf_buf_push_str(out, MF_STR("\\\\")); break;
        case '\n': mf_buf_push_str(out, MF_STR("\\n")); break;
        case '\r': mf_buf_push_str(out, MF_STR("\\r")); break;
        case '\t': mf_buf_push_str(out, MF_STR("\\t")); break;
        default:
            if (c < 0x20)
                mf_buf_printf(out, "\\u%04x", c);
            else
                mf_buf_push_byte(out, (char)c);
        }
    }
}

static const char *find(mf_str haystack, const char *needle2) {
    for (size_t i = 0; i + 1 < haystack.len; i++)
        if (haystack.ptr[i] == needle2[0] && haystack.ptr[i + 1] == needle2[1])
            return haystack.ptr + i;
    return NULL;
}

mf_error *template_render(mf_str template, resolver resolve, void *context, mf_str *out) {
    mf_buf buf = {0};
    bool in_string = false, escaped = false;
    size_t i = 0;
    /* Bytes, not characters: no byte of a multi-byte UTF-8 sequence is `{`, `"` or `\`. */
    while (i < template.len) {
        if (template.len - i >= 2 && template.ptr[i] == '{' && template.ptr[i + 1] == '{') {
            mf_str after = {template.ptr + i + 2, template.len - i - 2};
            const char *end = find(after, "}}");
            if (!end)
                return mf_error_new(MF_INVALID_CONFIG, "config key `template`: a `{{` is never closed");
            mf_str name = mf_str_trim((mf_str){after.ptr, (size_t)(end - after.ptr)});
            bool found = false;
            mf_str value = {0};
            mf_error *error = resolve(context, name, &found, &value);
            if (error)
                return error;
            if (in_string)
                escape_into(&buf, found ? value : MF_STR(""));
            else
                mf_buf_push_str(&buf, found ? value : MF_STR("null"));
            i = (size_t)(end - template.ptr) + 2;
            continue;
        }
        char c = template.ptr[i++];
        mf_buf_push_byte(&buf, c);
        if (!in_string)
            in_string = c == '"';
        else if (escaped)
            escaped = false;
        else if (c == '\\')
            escaped = true;
        else if (c == '"')
            in_string = false;
    }
    *out = mf_buf_str(&buf);
    return NULL;
}
