/* Strict base64url decoding (RFC 4648 section 5). */
#include "mockforge_base64url.h"

/* The value of a base64url symbol, or -1. */
static int symbol(unsigned char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

bool mf_base64url_decode(mf_str text, uint8_t **out, size_t *out_len) {
    const unsigned char *s = (const unsigned char *)text.ptr;
    size_t len = text.len;
    uint8_t *bytes = mf_alloc(len / 4 * 3 + 3);
    size_t n = 0;
    /* Every quad but the last must be four symbols; the last (1 to 4 characters) may end in
     * padding after at least two symbols. */
    size_t last = len == 0 ? 0 : len - (len % 4 ? len % 4 : 4);
    for (size_t i = 0; i < last; i += 4) {
        uint32_t quad = 0;
        for (size_t j = 0; j < 4; j++) {
            int v = symbol(s[i + j]);
            if (v < 0)
                return false;
            quad = quad << 6 | (uint32_t)v;
        }
        bytes[n++] = (uint8_t)(quad >> 16);
        bytes[n++] = (uint8_t)(quad >> 8);
        bytes[n++] = (uint8_t)quad;
    }
    uint32_t morsels[4] = {0};
    size_t symbols = 0, padding = 0;
    for (size_t i = last; i < len; i++) {
        if (s[i] == '=') {
            if (i - last < 2)
                return false;
            padding++;
            continue;
        }
        int v = symbol(s[i]);
        if (padding || v < 0)
            return false;
        morsels[symbols++] = (uint32_t)v;
    }
    if (len && symbols < 2)
        return false;
    uint32_t bits = morsels[0] << 26 | morsels[1] << 20 | morsels[2] << 14 | morsels[3] << 8;
    size_t tail = symbols * 6 / 8;
    if (bits & (0xFFFFFFFFu >> (tail * 8)))
        return false;
    for (size_t i = 0; i < tail; i++)
        bytes[n++] = (uint8_t)(bits >> (24 - 8 * i));
    *out = bytes;
    *out_len = n;
    return true;
}
