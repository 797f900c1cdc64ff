/* The per-call arena, strings and buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Chunks are at least this big, so that a call's many small allocations take few mallocs. */
#define CHUNK_BYTES (64 * 1024)
#define ALIGN 16

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    _Alignas(ALIGN) unsigned char data[];
} chunk;

static chunk *chunks;

/* Ends a call: its allocations are gone. The first chunk (of the usual size) is kept, emptied, for
 * the next call, so that a warm instance's call takes no malloc for its arena. */
void mf__arena_reset(void) {
    while (chunks && (chunks->next || chunks->size != CHUNK_BYTES)) {
        chunk *next = chunks->next;
        free(chunks);
        chunks = next;
    }
    if (chunks)
        chunks->used = 0;
}

void *mf__alloc_uninit(size_t size) {
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (!chunks || chunks->size - chunks->used < size) {
        size_t bytes = size > CHUNK_BYTES ? size : CHUNK_BYTES;
        chunk *fresh = malloc(sizeof(chunk) + bytes);
        if (!fresh)
            abort();
        fresh->used = 0;
        fresh->size = bytes;
        fresh->next = chunks;
        chunks = fresh;
    }
    void *out = chunks->data + chunks->used;
    chunks->used += size;
    return out;
}

void *mf_alloc(size_t size) {
    void *out = mf__alloc_uninit(size);
    memset(out, 0, size);
    return out;
}

void mf__grow(void **items, size_t *cap, size_t len, size_t size) {
    if (len < *cap)
        return;
    size_t fresh_cap = *cap ? *cap * 2 : 4;
    /* Only the first `len` items are read before they are written. */
    void *fresh = mf__alloc_uninit(fresh_cap * size);
    if (len)
        memcpy(fresh, *items, len * size);
    *items = fresh;
    *cap = fresh_cap;
}

void mf__str_list_push(mf_str_list *list, mf_str item) {
    mf__grow((void **)&list->items, &list->cap, list->len, sizeof(mf_str));
    list->items[list->len++] = mf_str_copy(item.ptr, item.len);
}

mf_str mf_cstr(const char *text) { return (mf_str){text, strlen(text)}; }

bool mf_str_eq(mf_str a, mf_str b) { return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0; }

bool mf_str_eq_ignore_ascii_case(mf_str a, mf_str b) {
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++) {
        unsigned char x = (unsigned char)a.ptr[i], y = (unsigned char)b.ptr[i];
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y)
            return false;
    }
    return true;
}

/* The Unicode White_Space code points, which Rust's `char::is_whitespace` tests. */
static bool is_white_space(uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

/* The code point starting at `s[i]` of valid UTF-8 and its length. */
static uint32_t decode_at(const unsigned char *s, size_t i, size_t *len) {
    unsigned char b = s[i];
    if (b < 0x80) {
        *len = 1;
        return b;
    }
    if (b < 0xE0) {
        *len = 2;
        return (uint32_t)(b & 0x1F) << 6 | (s[i + 1] & 0x3F);
    }
    if (b < 0xF0) {
        *len = 3;
        return (uint32_t)(b & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
    }
    *len = 4;
    return (uint32_t)(b & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12 |
           (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
}

mf_str mf_str_trim(mf_str text) {
    const unsigned char *s = (const unsigned char *)text.ptr;
    size_t start = 0, end = text.len, len;
    while (start < end && is_white_space(decode_at(s, start, &len)))
        start += len;
    while (end > start) {
        size_t last = end - 1;
        while (last > start && (s[last] & 0xC0) == 0x80)
            last--;
        if (!is_white_space(decode_at(s, last, &len)))
            break;
        end = last;
    }
    return (mf_str){text.ptr + start, end - start};
}

mf_str mf_str_copy(const void *ptr, size_t len) {
    char *out = mf__alloc_uninit(len + 1);
    if (len)
        memcpy(out, ptr, len);
    out[len] = '\0';
    return (mf_str){out, len};
}

mf_str mf_str_keep(mf_str text) {
    char *out = malloc(text.len + 1);
    if (!out)
        abort();
    if (text.len)
        memcpy(out, text.ptr, text.len);
    out[text.len] = '\0';
    return (mf_str){out, text.len};
}

mf_str mf_vformat(const char *format, va_list args) {
    va_list again;
    va_copy(again, args);
    int len = vsnprintf(NULL, 0, format, again);
    va_end(again);
    if (len < 0)
        abort();
    char *out = mf_alloc((size_t)len + 1);
    vsnprintf(out, (size_t)len + 1, format, args);
    return (mf_str){out, (size_t)len};
}

mf_str mf_format(const char *format, ...) {
    va_list args;
    va_start(args, format);
    mf_str out = mf_vformat(format, args);
    va_end(args);
    return out;
}

void mf_buf_push(mf_buf *buf, const void *bytes, size_t len) {
    if (buf->len + len + 1 > buf->cap) {
        size_t cap = buf->cap ? buf->cap : 64;
        while (cap < buf->len + len + 1)
            cap *= 2;
        /* Only what was pushed is read, and a NUL is kept after it. */
        char *fresh = mf__alloc_uninit(cap);
        if (buf->len)
            memcpy(fresh, buf->ptr, buf->len);
        buf->ptr = fresh;
        buf->cap = cap;
    }
    if (len)
        memcpy(buf->ptr + buf->len, bytes, len);
    buf->len += len;
    buf->ptr[buf->len] = '\0';
}

void mf_buf_push_str(mf_buf *buf, mf_str text) { mf_buf_push(buf, text.ptr, text.len); }

void mf_buf_push_byte(mf_buf *buf, char byte) { mf_buf_push(buf, &byte, 1); }

void mf_buf_printf(mf_buf *buf, const char *format, ...) {
    va_list args;
    va_start(args, format);
    mf_str text = mf_vformat(format, args);
    va_end(args);
    mf_buf_push_str(buf, text);
}

mf_str mf_buf_str(mf_buf *buf) {
    if (!buf->ptr)
        mf_buf_push(buf, "", 0);
    return (mf_str){buf->ptr, buf->len};
}

mf_error *mf_error_new(mf_error_kind kind, const char *format, ...) {
    mf_error *error = mf_alloc(sizeof *error);
    va_list args;
    va_start(args, format);
    error->kind = kind;
    error->message = mf_vformat(format, args);
    va_end(args);
    return error;
}
