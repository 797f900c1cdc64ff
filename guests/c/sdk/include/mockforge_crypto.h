/*
 * Cryptography done natively by the host (the `crypto` import of mockforge:plugin@0.2.0): a
 * plugin never implements a primitive itself.
 *
 *     // HS256: is `tag` the HMAC-SHA256 of the signing input under the secret?
 *     bool ok = mf_hmac_verify(MF_SHA256, secret.ptr, secret.len, input.ptr, input.len, tag, tag_len);
 *
 *     // RS256 with a key read once and kept for the instance's life:
 *     static mf_public_key *key;
 *     mf_crypto_error *error = key ? NULL : mf_public_key_from_pem(pem, &key);
 *     bool valid = false;
 *     if (!error)
 *         error = mf_public_key_verify(key, MF_RS256, input.ptr, input.len, sig, sig_len, &valid);
 *
 * Outputs and errors live in the call's arena; public keys live until mf_public_key_free.
 */
#ifndef MOCKFORGE_CRYPTO_H
#define MOCKFORGE_CRYPTO_H

#include "mockforge_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A digest function, for mf_digest and the HMAC functions. */
typedef enum mf_hash {
    MF_SHA256, /* 32-byte output */
    MF_SHA384, /* 48-byte output */
    MF_SHA512, /* 64-byte output */
} mf_hash;

/* A signature scheme, named as the JSON Web Algorithms name them. */
typedef enum mf_signature_algorithm {
    MF_RS256, /* RSASSA-PKCS1-v1_5 with SHA-256 */
    MF_RS384, /* RSASSA-PKCS1-v1_5 with SHA-384 */
    MF_RS512, /* RSASSA-PKCS1-v1_5 with SHA-512 */
    MF_PS256, /* RSASSA-PSS with SHA-256 */
    MF_PS384, /* RSASSA-PSS with SHA-384 */
    MF_PS512, /* RSASSA-PSS with SHA-512 */
    MF_ES256, /* ECDSA on P-256 with SHA-256, signature `r || s` as in a JWS */
    MF_ES384, /* ECDSA on P-384 with SHA-384, signature `r || s` as in a JWS */
    MF_EDDSA, /* Ed25519 */
} mf_signature_algorithm;

/* The type of a public key: which signature algorithms it verifies. */
typedef enum mf_key_type {
    MF_KEY_RSA,     /* RS256/384/512, PS256/384/512 */
    MF_KEY_EC_P256, /* ES256 */
    MF_KEY_EC_P384, /* ES384 */
    MF_KEY_ED25519, /* EdDSA */
} mf_key_type;

typedef enum mf_crypto_error_kind {
    /* The key text is not a public key the host reads (bad PEM, bad JWK, a private key, an RSA
     * key under 2048 bits, an unsupported curve). */
    MF_CRYPTO_INVALID_KEY,
    /* The algorithm does not fit the key's type: refused, never tried. */
    MF_CRYPTO_KEY_MISMATCH,
    /* A host limit was reached: a key text over 16 KiB, more than 256 keys held at once. */
    MF_CRYPTO_LIMIT,
} mf_crypto_error_kind;

/* Why a key could not be read or used; `message` is the host's, saying which. */
typedef struct mf_crypto_error {
    mf_crypto_error_kind kind;
    mf_str message;
} mf_crypto_error;

/* The digest of `len` bytes at `data`; returns its length. */
size_t mf_digest(mf_hash algorithm, const void *data, size_t len, const uint8_t **digest);
/* The HMAC of `len` bytes at `data` under `key`; returns its length. */
size_t mf_hmac(mf_hash algorithm, const void *key, size_t key_len, const void *data, size_t len,
               const uint8_t **mac);
/* Whether `tag` is the HMAC of `data` under `key`, compared in constant time. */
bool mf_hmac_verify(mf_hash algorithm, const void *key, size_t key_len, const void *data, size_t len,
                    const void *tag, size_t tag_len);
/* Whether `a` and `b` are equal, in time that depends only on their lengths. */
bool mf_constant_time_equal(const void *a, size_t a_len, const void *b, size_t b_len);
/* Fill `len` bytes at `out` from the host's secure random source (any length: asked for in
 * pieces the host allows). */
mf_crypto_error *mf_random_bytes(void *out, size_t len);

/* A public key held by the host for signature verification. */
typedef struct mf_public_key mf_public_key;

/* Read a PEM public key: `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1). */
mf_crypto_error *mf_public_key_from_pem(mf_str pem, mf_public_key **key);
/* Read one JSON Web Key holding a public key: `kty` `RSA`, `EC` (P-256, P-384) or `OKP`
 * (Ed25519). Other members (`kid`, `alg`, `use`) are ignored. */
mf_crypto_error *mf_public_key_from_jwk(mf_str jwk, mf_public_key **key);
/* The key's type (read once, when the key is made). */
mf_key_type mf_public_key_type(const mf_public_key *key);
/* Whether `signature` is a valid signature of `message` under `key` with `algorithm`, in
 * `*valid`; an MF_CRYPTO_KEY_MISMATCH error when the algorithm does not fit the key's type. */
mf_crypto_error *mf_public_key_verify(const mf_public_key *key, mf_signature_algorithm algorithm,
                                      const void *message, size_t message_len, const void *signature,
                                      size_t signature_len, bool *valid);
/* Release `key` (the host holds at most 256 keys per instance). NULL is ignored. */
void mf_public_key_free(mf_public_key *key);

#ifdef __cplusplus
}
#endif

#endif
