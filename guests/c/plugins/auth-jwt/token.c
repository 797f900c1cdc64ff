/* A compact JWS: its parts, its algorithm, its key and its signature (verified by the host). */
#include <string.h>

#include "jwt.h"
#include "mockforge_base64url.h"

/* One base64url segment holding a JSON object (JWTs are unpadded, but some issuers pad); its
 * decoded text in `*text` when asked for. */
static const mf_json *decode_object(mf_str segment, mf_str *text) {
    uint8_t *bytes;
    size_t len;
    if (!mf_base64url_decode(segment, &bytes, &len))
        return NULL;
    mf_json *value = mf_json_parse(bytes, len);
    if (!value || value->type != MF_JSON_OBJECT)
        return NULL;
    if (text)
        *text = (mf_str){(const char *)bytes, len};
    return value;
}

/* The first `byte` in `text`, or NULL. */
static const char *first_byte(mf_str text, char byte) { return text.len ? memchr(text.ptr, byte, text.len) : NULL; }

/* The last `byte` in `text`, or NULL: searched from the end, so a token's signature, its
 * shortest segment, is all that is read. */
static const char *last_byte(mf_str text, char byte) {
    for (size_t i = text.len; i > 0; i--)
        if (text.ptr[i - 1] == byte)
            return text.ptr + i - 1;
    return NULL;
}

/* Whether a configured public key verifies `signature` of `input` with `alg`. The candidates are
 * the keys published under the token's `kid` and the keys without one (every key when the token
 * has no `kid`); of those, only the keys whose type fits `alg` (and whose JWK `alg`, when given,
 * is `alg`) are ever tried, so an algorithm that fits none is refused without a try. */
static mf_error *verify_with_keys(const settings *settings, algorithm alg, const mf_json *header, mf_str input,
                                  const uint8_t *signature, size_t signature_len, rejection *why) {
    mf_str kid;
    bool has_kid = mf_json_as_str(mf_json_get(header, MF_STR("kid")), &kid);
    bool candidate = false, fitting = false;
    for (size_t i = 0; i < settings->key_count; i++) {
        const verification_key *key = &settings->keys[i];
        if (has_kid && key->has_kid && !mf_str_eq(key->kid, kid))
            continue;
        candidate = true;
        if (!algorithm_fits(alg, mf_public_key_type(key->key)) || (key->has_alg && !mf_str_eq(key->alg, algorithm_name(alg))))
            continue;
        fitting = true;
        bool valid = false;
        mf_crypto_error *failure = mf_public_key_verify(key->key, algorithm_signature(alg), input.ptr, input.len,
                                                        signature, signature_len, &valid);
        if (failure && failure->kind != MF_CRYPTO_KEY_MISMATCH)
            return mf_error_new(MF_INTERNAL, "verifying %.*s: %.*s", MF_FMT(algorithm_name(alg)),
                                MF_FMT(failure->message));
        if (!failure && valid) {
            *why = ACCEPTED;
            return NULL;
        }
    }
    *why = candidate && !fitting ? UNSUPPORTED_ALGORITHM : INVALID_SIGNATURE;
    return NULL;
}

static mf_error *verify_signature(const settings *settings, algorithm alg, const mf_json *header, mf_str input,
                                  const uint8_t *signature, size_t signature_len, rejection *why) {
    mf_hash hash;
    if (!algorithm_hmac(alg, &hash))
        return verify_with_keys(settings, alg, header, input, signature, signature_len, why);
    /* Only ever the configured secret: never a public key's text as an HMAC key. */
    if (!settings->has_secret)
        *why = UNSUPPORTED_ALGORITHM;
    else if (!mf_hmac_verify(hash, settings->secret.ptr, settings->secret.len, input.ptr, input.len, signature,
                             signature_len))
        *why = INVALID_SIGNATURE;
    else
        *why = ACCEPTED;
    return NULL;
}

mf_error *token_verify(mf_str token, const settings *settings, rejection *why, const mf_json **claims,
                       mf_str *payload_text) {
    *why = MALFORMED;
    const char *last_dot = last_byte(token, '.');
    if (!last_dot)
        return NULL;
    mf_str signing_input = {token.ptr, (size_t)(last_dot - token.ptr)};
    mf_str signature = {last_dot + 1, token.len - signing_input.len - 1};
    const char *first_dot = first_byte(signing_input, '.');
    if (!first_dot)
        return NULL;
    mf_str header = {signing_input.ptr, (size_t)(first_dot - signing_input.ptr)};
    mf_str payload = {first_dot + 1, signing_input.len - header.len - 1};
    if (first_byte(payload, '.'))
        return NULL;

    const mf_json *header_object = decode_object(header, NULL);
    if (!header_object)
        return NULL;
    /* Only the configured algorithms: `none` never, and never one the keys do not fit. */
    mf_str name;
    algorithm alg;
    if (!mf_json_as_str(mf_json_get(header_object, MF_STR("alg")), &name) || !algorithm_named(name, &alg) ||
        !settings->accepted[alg]) {
        *why = UNSUPPORTED_ALGORITHM;
        return NULL;
    }

    uint8_t *given;
    size_t given_len;
    if (!mf_base64url_decode(signature, &given, &given_len))
        return NULL;
    mf_error *error = verify_signature(settings, alg, header_object, signing_input, given, given_len, why);
    if (error || *why != ACCEPTED)
        return error;

    *claims = decode_object(payload, payload_text);
    *why = *claims ? ACCEPTED : MALFORMED;
    return NULL;
}
