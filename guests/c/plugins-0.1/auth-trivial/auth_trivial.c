/* The benchmark auth plugin: it allows a request whose `authorization` header is exactly
 * `Bearer good` and denies every other, so that a benchmark measures the plugin call itself. */
#include "mockforge_plugin.h"

static mf_error *authenticate(const mf_request *req, mf_auth_outcome *outcome) {
    mf_str value;
    if (mf_request_header(req, MF_STR("authorization"), &value) && mf_str_eq(value, MF_STR("Bearer good")))
        *outcome = mf_allow(mf_identity_new(MF_STR("good")));
    else
        *outcome = mf_deny(mf_denial_new(401, MF_STR("denied")));
    return NULL;
}

MF_AUTH_PLUGIN(.authenticate = authenticate);
