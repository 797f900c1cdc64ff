#include "jwt.h"

mf_error *settings_load(settings *out) {
    *out = (settings){0};
    mf_error *error = mf_config_require(MF_STR("secret"), &out->secret);
    if (error)
        return error;
    /* An empty key makes every signature forgeable. */
    if (out->secret.len == 0)
        return mf_error_new(MF_INVALID_CONFIG, "config key `secret` is empty");
    out->has_issuer = mf_config_get(MF_STR("issuer"), &out->issuer);
    out->has_audience = mf_config_get(MF_STR("audience"), &out->audience);
    return mf_config_uint(MF_STR("leeway-seconds"), UINT64_MAX, &out->leeway);
}
