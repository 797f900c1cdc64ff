/* Strict base64url decoding (RFC 4648 section 5). */
#include "mockforge_base64url.h"

#include "internal.h"

/* One more than the value of each byte as a base64url symbol (`A`-`Z`, `a`-`z`, `0`-`9`, `-`,
 * `_`), and 0 for every other byte: one look-up per character. */
static const unsigned char SYMBOLS[256] = {
    ['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7, ['H'] = 8,
    ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
    ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
    ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
    ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40,
    ['o'] = 41, ['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
    ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
    ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['-'] = 63, ['_'] = 64,
};

/* The value of a base64url symbol, or -1. */
static int symbol(unsigned char c) { return (int)SYMBOLS[c] - 1; }

bool mf_base64url_decode(mf_str text, uint8_t **out, size_t *out_len) {
    const unsigned char *s = (const unsigned char *)text.ptr;
    size_t len = text.len;
    /* Only the `n` bytes decoded are ever read. */
    uint8_t *bytes = mf__alloc_uninit(len / 4 * 3 + 3);
    size_t n = 0;
    /* Every quad but the last must be four symbols; the last (1 to 4 characters) may end in
     * padding after at least two symbols. */
    size_t last = len == 0 ? 0 : len - (len % 4 ? len % 4 : 4);
    for (size_t i = 0; i < last; i += 4) {
        int a = symbol(s[i]), b = symbol(s[i + 1]), c = symbol(s[i + 2]), d = symbol(s[i + 3]);
        if ((a | b | c | d) < 0)
            return false;
        uint32_t quad = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
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
