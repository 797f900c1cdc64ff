/* The host's `crypto` import, wrapped: see mockforge_crypto.h. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mockforge_crypto.h"

/* The SDK's enums are the WIT enums' cases, in the same order. */
_Static_assert(MF_SHA512 == MOCKFORGE_PLUGIN_CRYPTO_HASH_ALGORITHM_SHA512, "hash algorithms");
_Static_assert(MF_PS256 == MOCKFORGE_PLUGIN_CRYPTO_SIGNATURE_ALGORITHM_PS256, "signature algorithms");
_Static_assert(MF_EDDSA == MOCKFORGE_PLUGIN_CRYPTO_SIGNATURE_ALGORITHM_EDDSA, "signature algorithms");
_Static_assert(MF_KEY_ED25519 == MOCKFORGE_PLUGIN_CRYPTO_KEY_TYPE_ED25519, "key types");
_Static_assert(MF_CRYPTO_LIMIT == MOCKFORGE_PLUGIN_CRYPTO_CRYPTO_ERROR_LIMIT, "crypto errors");

/* The most random bytes the host gives at once. */
#define RANDOM_PIECE 4096

struct mf_public_key {
    mockforge_plugin_crypto_own_public_key_t handle;
    mf_key_type type;
};

static mockforge_list_u8_t lent(const void *bytes, size_t len) {
    return (mockforge_list_u8_t){(uint8_t *)bytes, len};
}

/* A list the host returned, moved into the arena. */
static size_t take_bytes(mockforge_list_u8_t *owned, const uint8_t **out) {
    size_t len = owned->len;
    *out = (const uint8_t *)mf_str_copy(owned->ptr, owned->len).ptr;
    mockforge_list_u8_free(owned);
    return len;
}

static mf_crypto_error *take_error(mockforge_plugin_crypto_crypto_error_t *owned) {
    mf_crypto_error *error = mf_alloc(sizeof *error);
    error->kind = (mf_crypto_error_kind)owned->tag;
    /* Every case carries one string, at the same place. */
    error->message = mf__take_string(&owned->val.invalid_key);
    return error;
}

size_t mf_digest(mf_hash algorithm, const void *data, size_t len, const uint8_t **digest) {
    mockforge_list_u8_t input = lent(data, len), ret;
    mockforge_plugin_crypto_digest((mockforge_plugin_crypto_hash_algorithm_t)algorithm, &input, &ret);
    return take_bytes(&ret, digest);
}

size_t mf_hmac(mf_hash algorithm, const void *key, size_t key_len, const void *data, size_t len,
               const uint8_t **mac) {
    mockforge_list_u8_t secret = lent(key, key_len), input = lent(data, len), ret;
    mockforge_plugin_crypto_hmac((mockforge_plugin_crypto_hash_algorithm_t)algorithm, &secret, &input, &ret);
    return take_bytes(&ret, mac);
}

bool mf_hmac_verify(mf_hash algorithm, const void *key, size_t key_len, const void *data, size_t len,
                    const void *tag, size_t tag_len) {
    mockforge_list_u8_t secret = lent(key, key_len), input = lent(data, len), given = lent(tag, tag_len);
    return mockforge_plugin_crypto_hmac_verify((mockforge_plugin_crypto_hash_algorithm_t)algorithm, &secret,
                                               &input, &given);
}

bool mf_constant_time_equal(const void *a, size_t a_len, const void *b, size_t b_len) {
    mockforge_list_u8_t x = lent(a, a_len), y = lent(b, b_len);
    return mockforge_plugin_crypto_constant_time_equal(&x, &y);
}

mf_crypto_error *mf_random_bytes(void *out, size_t len) {
    uint8_t *bytes = out;
    while (len) {
        size_t piece = len < RANDOM_PIECE ? len : RANDOM_PIECE;
        mockforge_list_u8_t ret;
        mockforge_plugin_crypto_crypto_error_t err;
        if (!mockforge_plugin_crypto_random_bytes((uint32_t)piece, &ret, &err))
            return take_error(&err);
        /* The host gives exactly what was asked for; never trust a length blindly. */
        size_t got = ret.len < piece ? ret.len : piece;
        if (got)
            memcpy(bytes, ret.ptr, got);
        mockforge_list_u8_free(&ret);
        if (got == 0)
            abort();
        bytes += got;
        len -= got;
    }
    return NULL;
}

static mf_crypto_error *keep_key(mockforge_plugin_crypto_own_public_key_t handle, mf_public_key **key) {
    mf_public_key *fresh = malloc(sizeof *fresh);
    if (!fresh)
        abort();
    fresh->handle = handle;
    fresh->type = (mf_key_type)mockforge_plugin_crypto_method_public_key_key_type(
        mockforge_plugin_crypto_borrow_public_key(handle));
    *key = fresh;
    return NULL;
}

mf_crypto_error *mf_public_key_from_pem(mf_str pem, mf_public_key **key) {
    mockforge_string_t text = {(uint8_t *)pem.ptr, pem.len};
    mockforge_plugin_crypto_own_public_key_t handle;
    mockforge_plugin_crypto_crypto_error_t err;
    if (!mockforge_plugin_crypto_static_public_key_from_pem(&text, &handle, &err))
        return take_error(&err);
    return keep_key(handle, key);
}

mf_crypto_error *mf_public_key_from_jwk(mf_str jwk, mf_public_key **key) {
    mockforge_string_t text = {(uint8_t *)jwk.ptr, jwk.len};
    mockforge_plugin_crypto_own_public_key_t handle;
    mockforge_plugin_crypto_crypto_error_t err;
    if (!mockforge_plugin_crypto_static_public_key_from_jwk(&text, &handle, &err))
        return take_error(&err);
    return keep_key(handle, key);
}

mf_key_type mf_public_key_type(const mf_public_key *key) { return key->type; }

mf_crypto_error *mf_public_key_verify(const mf_public_key *key, mf_signature_algorithm algorithm,
                                      const void *message, size_t message_len, const void *signature,
                                      size_t signature_len, bool *valid) {
    mockforge_list_u8_t input = lent(message, message_len), given = lent(signature, signature_len);
    mockforge_plugin_crypto_crypto_error_t err;
    if (!mockforge_plugin_crypto_method_public_key_verify(
            mockforge_plugin_crypto_borrow_public_key(key->handle),
            (mockforge_plugin_crypto_signature_algorithm_t)algorithm, &input, &given, valid, &err))
        return take_error(&err);
    return NULL;
}

void mf_public_key_free(mf_public_key *key) {
    if (!key)
        return;
    mockforge_plugin_crypto_public_key_drop_own(key->handle);
    free(key);
}
