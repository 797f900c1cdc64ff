#include <string.h>

#include "jwt.h"
#include "mockforge_crypto.h"

/* One base64url segment holding a JSON object (JWTs are unpadded, but some issuers pad). */
static const mf_json *decode_object(mf_str segment) {
    uint8_t *bytes;
    size_t len;
    if (!mf_base64url_decode(segment, &bytes, &len))
        return NULL;
    mf_json *value = mf_json_parse(bytes, len);
    return value && value->type == MF_JSON_OBJECT ? value : NULL;
}

static const char *find_byte(mf_str text, char byte, bool last) {
    const char *found = NULL;
    for (size_t i = 0; i < text.len; i++) {
        if (text.ptr[i] == byte) {
            found = text.ptr + i;
            if (!last)
                break;
        }
    }
    return found;
}

rejection token_verify(mf_str token, const settings *settings, const mf_json **claims) {
    const char *last_dot = find_byte(token, '.', true);
    if (!last_dot)
        return MALFORMED;
    mf_str signing_input = {token.ptr, (size_t)(last_dot - token.ptr)};
    mf_str signature = {last_dot + 1, token.len - signing_input.len - 1};
    const char *first_dot = find_byte(signing_input, '.', false);
    if (!first_dot)
        return MALFORMED;
    mf_str header = {signing_input.ptr, (size_t)(first_dot - signing_input.ptr)};
    mf_str payload = {first_dot + 1, signing_input.len - header.len - 1};
    if (find_byte(payload, '.', false))
        return MALFORMED;

    const mf_json *header_object = decode_object(header);
    if (!header_object)
        return MALFORMED;
    /* Only HS256 is accepted: in particular `none` and the RS/ES family, whose "public key" an
     * attacker could pass off as the HMAC secret. */
    mf_str alg;
    if (!mf_json_as_str(mf_json_get(header_object, MF_STR("alg")), &alg) || !mf_str_eq(alg, MF_STR("HS256")))
        return UNSUPPORTED_ALGORITHM;

    uint8_t *given;
    size_t given_len;
    if (!mf_base64url_decode(signature, &given, &given_len))
        return MALFORMED;
    uint8_t expected[MF_SHA256_BYTES];
    mf_hmac_sha256(settings->secret.ptr, settings->secret.len, signing_input.ptr, signing_input.len, expected);
    if (!mf_ct_equal(expected, sizeof expected, given, given_len))
        return INVALID_SIGNATURE;

    *claims = decode_object(payload);
    return *claims ? ACCEPTED : MALFORMED;
}
