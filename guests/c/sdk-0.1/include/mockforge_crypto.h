/* SHA-256, HMAC-SHA256 (RFC 2104), a constant-time comparison and base64url decoding. */
#ifndef MOCKFORGE_CRYPTO_H
#define MOCKFORGE_CRYPTO_H

#include "mockforge_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MF_SHA256_BYTES 32

typedef struct mf_sha256 {
    uint32_t state[8];
    uint64_t length;
    uint8_t block[64];
    size_t used;
} mf_sha256;

void mf_sha256_init(mf_sha256 *ctx);
void mf_sha256_update(mf_sha256 *ctx, const void *data, size_t len);
void mf_sha256_final(mf_sha256 *ctx, uint8_t digest[MF_SHA256_BYTES]);

/* HMAC-SHA256 of `data` under `key`. */
void mf_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                    uint8_t mac[MF_SHA256_BYTES]);

/* Whether `a` and `b` are equal, in time that depends only on the lengths. */
bool mf_ct_equal(const void *a, size_t a_len, const void *b, size_t b_len);

/* Decode base64url (RFC 4648 section 5) into the call's arena, as the Rust plugins' decoder
 * does: padding optional but only at the end, no stray bits in the last symbol, no other
 * characters. Returns false when `text` is not such base64url. */
bool mf_base64url_decode(mf_str text, uint8_t **out, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif
