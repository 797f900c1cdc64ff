/* The registered claims (RFC 7519 section 4.1) and the identity a token describes. */
#include "jwt.h"

/* Claim `name` as a NumericDate; a claim of another type makes the token malformed. */
static bool numeric_date(const mf_json *claims, const char *name, bool *present, double *value) {
    const mf_json *claim = mf_json_get(claims, mf_cstr(name));
    *present = claim != NULL;
    return !claim || mf_json_as_f64(claim, value);
}

rejection claims_check(const mf_json *claims, const settings *settings, double now) {
    double leeway = (double)settings->leeway, exp, nbf;
    bool present;
    if (!numeric_date(claims, "exp", &present, &exp))
        return MALFORMED;
    /* RFC 7519 4.1.4: the token must not be accepted on or after `exp`. */
    if (present && now >= exp + leeway)
        return EXPIRED;
    if (!numeric_date(claims, "nbf", &present, &nbf))
        return MALFORMED;
    if (present && now + leeway < nbf)
        return NOT_YET_VALID;
    mf_str text;
    if (settings->has_issuer &&
        !(mf_json_as_str(mf_json_get(claims, MF_STR("iss")), &text) && mf_str_eq(text, settings->issuer)))
        return INVALID_ISSUER;
    if (settings->has_audience) {
        /* RFC 7519 4.1.3: `aud` is one string or an array of them. */
        const mf_json *aud = mf_json_get(claims, MF_STR("aud"));
        bool matches = mf_json_as_str(aud, &text) && mf_str_eq(text, settings->audience);
        for (size_t i = 0; !matches && aud && aud->type == MF_JSON_ARRAY && i < aud->count; i++)
            matches = mf_json_as_str(aud->items[i], &text) && mf_str_eq(text, settings->audience);
        if (!matches)
            return INVALID_AUDIENCE;
    }
    return ACCEPTED;
}

static bool string_claim(const mf_json *claims, const char *name, mf_str *value) {
    return mf_json_as_str(mf_json_get(claims, mf_cstr(name)), value);
}

/* The strings of a claim holding an array; anything else in it is ignored. */
static void add_strings(const mf_json *claim, mf_identity *identity, void (*add)(mf_identity *, mf_str)) {
    mf_str text;
    for (size_t i = 0; claim && claim->type == MF_JSON_ARRAY && i < claim->count; i++)
        if (mf_json_as_str(claim->items[i], &text))
            add(identity, text);
}

rejection claims_identity(const mf_json *claims, mf_str payload, mf_identity **out) {
    mf_str subject, text;
    if (!string_claim(claims, "sub", &subject) || subject.len == 0)
        return MISSING_SUBJECT;
    mf_identity *identity = mf_identity_new(subject);
    add_strings(mf_json_get(claims, MF_STR("roles")), identity, mf_identity_add_role);
    add_strings(mf_json_get(claims, MF_STR("groups")), identity, mf_identity_add_group);
    if (string_claim(claims, "preferred_username", &text) || string_claim(claims, "username", &text))
        mf_identity_set_username(identity, text);
    if (string_claim(claims, "email", &text))
        mf_identity_set_email(identity, text);
    if (string_claim(claims, "name", &text))
        mf_identity_set_display_name(identity, text);
    /* The whole payload, as the token carried it, is the identity's claims. */
    mf_identity_set_claims(identity, payload);
    *out = identity;
    return ACCEPTED;
}
