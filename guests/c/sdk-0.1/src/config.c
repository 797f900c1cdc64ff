/* Reading typed values from the plugin's configuration. */
#include "internal.h"

mf_error *mf_config_require(mf_str key, mf_str *value) {
    if (mf_config_get(key, value))
        return NULL;
    return mf_error_new(MF_INVALID_CONFIG, "missing config key `%.*s`", MF_FMT(key));
}

mf_error *mf_config_uint(mf_str key, uint64_t max, uint64_t *value) {
    mf_str raw;
    if (!mf_config_get(key, &raw))
        return NULL;
    mf_str text = mf_str_trim(raw);
    size_t i = text.len && text.ptr[0] == '+' ? 1 : 0;
    const char *why = i == text.len ? "no digits" : NULL;
    uint64_t parsed = 0;
    for (; !why && i < text.len; i++) {
        unsigned char c = (unsigned char)text.ptr[i];
        if (c < '0' || c > '9')
            why = "not an unsigned integer";
        else if (parsed > (max - (c - '0')) / 10)
            why = "too large";
        else
            parsed = parsed * 10 + (c - '0');
    }
    if (why)
        return mf_error_new(MF_INVALID_CONFIG, "config key `%.*s` = \"%.*s\": %s", MF_FMT(key),
                            MF_FMT(raw), why);
    *value = parsed;
    return NULL;
}
