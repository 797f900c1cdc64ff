/* The `mockforge:plugin/auth` export, forwarded to the registered mf_auth_plugin. */
#include <stdlib.h>

#include "internal.h"

extern const mf_auth_plugin mf__auth_plugin;

static mockforge_list_string_t export_strings(const mf_str_list *list) {
    mockforge_list_string_t out = {NULL, list->len};
    if (list->len) {
        out.ptr = malloc(list->len * sizeof *out.ptr);
        if (!out.ptr)
            abort();
        for (size_t i = 0; i < list->len; i++)
            out.ptr[i] = mf__export_string(list->items[i]);
    }
    return out;
}

static mockforge_option_string_t export_option(bool present, mf_str text) {
    mockforge_option_string_t out = {present, {NULL, 0}};
    if (present)
        out.val = mf__export_string(text);
    return out;
}

static void export_identity(const mf_identity *in, mockforge_plugin_types_identity_t *out) {
    out->subject = mf__export_string(in->subject);
    out->username = export_option(in->has_username, in->username);
    out->email = export_option(in->has_email, in->email);
    out->display_name = export_option(in->has_display_name, in->display_name);
    out->roles = export_strings(&in->roles);
    out->groups = export_strings(&in->groups);
    mockforge_plugin_types_list_header_t claims = mf__export_headers(in->claims, in->claim_count);
    /* A claim and a header are both a pair of strings. */
    out->claims.ptr = (mockforge_plugin_types_tuple2_string_json_t *)claims.ptr;
    out->claims.len = claims.len;
}

bool exports_mockforge_plugin_auth_authenticate(exports_mockforge_plugin_auth_borrow_request_t handle,
                                                exports_mockforge_plugin_auth_auth_outcome_t *ret,
                                                exports_mockforge_plugin_auth_plugin_error_t *err) {
    mf__arena_reset();
    const mf_request req = {handle};
    mf_auth_outcome outcome = {0};
    mf_error *error = mf__auth_plugin.authenticate
                          ? mf__auth_plugin.authenticate(&req, &outcome)
                          : mf_error_new(MF_INTERNAL, "the plugin registered no authenticate function");
    if (!error && !outcome.allow == !outcome.deny)
        error = mf_error_new(MF_INTERNAL, "authenticate must set exactly one of allow and deny");
    if (error) {
        mf__export_error(error, err);
        return false;
    }
    if (outcome.allow) {
        ret->tag = MOCKFORGE_PLUGIN_TYPES_AUTH_OUTCOME_ALLOW;
        export_identity(outcome.allow, &ret->val.allow);
    } else {
        ret->tag = MOCKFORGE_PLUGIN_TYPES_AUTH_OUTCOME_DENY;
        ret->val.deny.status = outcome.deny->status;
        ret->val.deny.reason = mf__export_string(outcome.deny->reason);
        ret->val.deny.headers = mf__export_headers(outcome.deny->headers, outcome.deny->header_count);
    }
    return true;
}
