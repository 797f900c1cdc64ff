/* Public keys from a JWKS document (RFC 7517 section 5), each read by the host. */
#include <string.h>

#include "jwt.h"

static void push(verification_key **keys, size_t *count, verification_key key) {
    verification_key *grown = mf_alloc((*count + 1) * sizeof *grown);
    if (*count)
        memcpy(grown, *keys, *count * sizeof *grown);
    grown[(*count)++] = key;
    *keys = grown;
}

mf_error *keys_from_jwks(mf_str source, mf_str jwks, verification_key **keys, size_t *count) {
    const mf_json *document = mf_json_parse(jwks.ptr, jwks.len);
    const mf_json *list = mf_json_get(document, MF_STR("keys"));
    if (!list || list->type != MF_JSON_ARRAY)
        return mf_error_new(MF_INVALID_CONFIG, "config key `%.*s`: not a JWKS (a JSON object with a `keys` array)",
                            MF_FMT(source));
    if (list->count == 0)
        return mf_error_new(MF_INVALID_CONFIG, "config key `%.*s`: the JWKS holds no key", MF_FMT(source));
    for (size_t i = 0; i < list->count; i++) {
        const mf_json *jwk = list->items[i];
        verification_key key = {0};
        key.has_kid = mf_json_as_str(mf_json_get(jwk, MF_STR("kid")), &key.kid);
        key.has_alg = mf_json_as_str(mf_json_get(jwk, MF_STR("alg")), &key.alg);
        if (jwk->type != MF_JSON_OBJECT)
            return mf_error_new(MF_INVALID_CONFIG, "config key `%.*s`: key %zu is not a JSON object",
                                MF_FMT(source), i);
        /* The JWK's own text: the host reads the members it needs and ignores the others. */
        mf_crypto_error *failure = mf_public_key_from_jwk(jwk->text, &key.key);
        if (failure) {
            mf_str which = key.has_kid ? mf_format("key %zu (kid `%.*s`)", i, MF_FMT(key.kid)) : mf_format("key %zu", i);
            return mf_error_new(MF_INVALID_CONFIG, "config key `%.*s`: %.*s: %.*s", MF_FMT(source), MF_FMT(which),
                                MF_FMT(failure->message));
        }
        push(keys, count, key);
    }
    return NULL;
}
