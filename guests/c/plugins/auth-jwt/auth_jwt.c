/* Bearer JWT authentication (HS256/384/512 through the host's HMAC, RS/PS/ES/EdDSA through its
 * public keys): see README.md beside this file for the configuration. */
#include "jwt.h"
#include "mockforge_clock.h"

static mf_str reason(rejection why) {
    switch (why) {
    case MISSING_TOKEN: return MF_STR("missing bearer token");
    case MALFORMED: return MF_STR("malformed token");
    case UNSUPPORTED_ALGORITHM: return MF_STR("unsupported algorithm");
    case INVALID_SIGNATURE: return MF_STR("invalid signature");
    case EXPIRED: return MF_STR("token expired");
    case NOT_YET_VALID: return MF_STR("token not yet valid");
    case INVALID_ISSUER: return MF_STR("invalid issuer");
    case INVALID_AUDIENCE: return MF_STR("invalid audience");
    case MISSING_SUBJECT: return MF_STR("missing subject");
    default: return MF_STR("accepted");
    }
}

/* The 401 answer with the RFC 6750 challenge: a request that sent no token gets no error
 * code, one that sent a bad token gets `invalid_token`. */
static mf_denial *denial(rejection why) {
    mf_denial *denial = mf_denial_new(401, reason(why));
    mf_denial_add_header(denial, MF_STR("WWW-Authenticate"),
                         why == MISSING_TOKEN ? MF_STR("Bearer realm=\"mockforge\"")
                                              : MF_STR("Bearer realm=\"mockforge\", error=\"invalid_token\""));
    return denial;
}

/* Whether the request carries a Bearer credential (`Authorization: Bearer <token>`, the scheme
 * case-insensitive as RFC 7235 says); `*token` is empty when the scheme comes without one. */
static bool bearer_token(const mf_request *req, mf_str *token) {
    mf_str value;
    if (!mf_request_header(req, MF_STR("authorization"), &value))
        return false;
    value = mf_str_trim(value);
    size_t space = 0;
    while (space < value.len && value.ptr[space] != ' ')
        space++;
    if (!mf_str_eq_ignore_ascii_case((mf_str){value.ptr, space}, MF_STR("bearer")))
        return false;
    *token = space < value.len ? mf_str_trim((mf_str){value.ptr + space + 1, value.len - space - 1}) : MF_STR("");
    return true;
}

static mf_error *check(mf_str token, const settings *settings, double now, rejection *why, mf_identity **identity) {
    if (token.len == 0) {
        *why = MISSING_TOKEN;
        return NULL;
    }
    const mf_json *claims;
    mf_str payload;
    mf_error *error = token_verify(token, settings, why, &claims, &payload);
    if (error || *why != ACCEPTED)
        return error;
    *why = claims_check(claims, settings, now);
    if (*why == ACCEPTED)
        *why = claims_identity(claims, payload, identity);
    return NULL;
}

static mf_error *authenticate(const mf_request *req, mf_auth_outcome *outcome) {
    /* The configuration first, so that a bad one is reported whatever the request. */
    const settings *settings;
    mf_error *error = settings_get(&settings);
    if (error)
        return error;
    mf_str token;
    /* No Bearer credential: another plugin's scheme, or none; the chain goes on. */
    if (!bearer_token(req, &token)) {
        *outcome = mf_abstain();
        return NULL;
    }
    double now;
    if ((error = mf_unix_time(&now)))
        return error;
    mf_identity *identity = NULL;
    rejection why;
    if ((error = check(token, settings, now, &why, &identity)))
        return error;
    if (why == ACCEPTED) {
        *outcome = mf_allow(identity);
    } else {
        mf_field field = {MF_STR("reason"), reason(why)};
        mf_log(MF_LOG_DEBUG, MF_STR("jwt rejected"), &field, 1);
        *outcome = mf_deny(denial(why));
    }
    return NULL;
}

MF_AUTH_PLUGIN(.authenticate = authenticate);
