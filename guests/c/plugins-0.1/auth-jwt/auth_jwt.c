/* HS256 bearer JWT authentication: see README.md beside this file for the configuration. */
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

/* The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive
 * (RFC 7235). */
static bool bearer_token(const mf_request *req, mf_str *token) {
    mf_str value;
    if (!mf_request_header(req, MF_STR("authorization"), &value))
        return false;
    value = mf_str_trim(value);
    for (size_t i = 0; i < value.len; i++) {
        if (value.ptr[i] == ' ') {
            mf_str scheme = {value.ptr, i};
            *token = mf_str_trim((mf_str){value.ptr + i + 1, value.len - i - 1});
            return mf_str_eq_ignore_ascii_case(scheme, MF_STR("bearer")) && token->len > 0;
        }
    }
    return false;
}

static rejection check(const mf_request *req, const settings *settings, double now, mf_identity **identity) {
    mf_str token;
    if (!bearer_token(req, &token))
        return MISSING_TOKEN;
    const mf_json *claims;
    rejection why = token_verify(token, settings, &claims);
    if (why == ACCEPTED)
        why = claims_check(claims, settings, now);
    if (why == ACCEPTED)
        why = claims_identity(claims, identity);
    return why;
}

static mf_error *authenticate(const mf_request *req, mf_auth_outcome *outcome) {
    settings settings;
    double now;
    mf_error *error = settings_load(&settings);
    if (!error)
        error = mf_unix_time(&now);
    if (error)
        return error;
    mf_identity *identity = NULL;
    rejection why = check(req, &settings, now, &identity);
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
