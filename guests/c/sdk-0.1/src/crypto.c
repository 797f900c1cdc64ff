/* SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104), constant-time comparison, base64url. */
#include <string.h>

#include "mockforge_crypto.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n) { return x >> n | x << (32 - n); }

static void compress(uint32_t state[8], const uint8_t block[64]) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
               (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ w[i - 15] >> 3;
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ w[i - 2] >> 10;
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    state[0] += a, state[1] += b, state[2] += c, state[3] += d;
    state[4] += e, state[5] += f, state[6] += g, state[7] += h;
}

void mf_sha256_init(mf_sha256 *ctx) {
    static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(ctx->state, initial, sizeof initial);
    ctx->length = 0;
    ctx->used = 0;
}

void mf_sha256_update(mf_sha256 *ctx, const void *data, size_t len) {
    const uint8_t *bytes = data;
    ctx->length += len;
    while (len) {
        size_t take = 64 - ctx->used < len ? 64 - ctx->used : len;
        memcpy(ctx->block + ctx->used, bytes, take);
        ctx->used += take, bytes += take, len -= take;
        if (ctx->used == 64) {
            compress(ctx->state, ctx->block);
            ctx->used = 0;
        }
    }
}

void mf_sha256_final(mf_sha256 *ctx, uint8_t digest[MF_SHA256_BYTES]) {
    uint64_t bits = ctx->length * 8;
    uint8_t pad = 0x80;
    mf_sha256_update(ctx, &pad, 1);
    pad = 0;
    while (ctx->used != 56)
        mf_sha256_update(ctx, &pad, 1);
    uint8_t length[8];
    for (int i = 0; i < 8; i++)
        length[i] = (uint8_t)(bits >> (56 - 8 * i));
    mf_sha256_update(ctx, length, 8);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(ctx->state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)ctx->state[i];
    }
}

void mf_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                    uint8_t mac[MF_SHA256_BYTES]) {
    uint8_t block[64] = {0}, inner[MF_SHA256_BYTES];
    mf_sha256 ctx;
    if (key_len > sizeof block) {
        mf_sha256_init(&ctx);
        mf_sha256_update(&ctx, key, key_len);
        mf_sha256_final(&ctx, block);
    } else if (key_len) {
        memcpy(block, key, key_len);
    }
    uint8_t pad[64];
    for (int i = 0; i < 64; i++)
        pad[i] = block[i] ^ 0x36;
    mf_sha256_init(&ctx);
    mf_sha256_update(&ctx, pad, sizeof pad);
    mf_sha256_update(&ctx, data, len);
    mf_sha256_final(&ctx, inner);
    for (int i = 0; i < 64; i++)
        pad[i] = block[i] ^ 0x5c;
    mf_sha256_init(&ctx);
    mf_sha256_update(&ctx, pad, sizeof pad);
    mf_sha256_update(&ctx, inner, sizeof inner);
    mf_sha256_final(&ctx, mac);
}

bool mf_ct_equal(const void *a, size_t a_len, const void *b, size_t b_len) {
    if (a_len != b_len)
        return false;
    const volatile uint8_t *x = a, *y = b;
    uint8_t diff = 0;
    for (size_t i = 0; i < a_len; i++)
        diff |= x[i] ^ y[i];
    return diff == 0;
}

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
