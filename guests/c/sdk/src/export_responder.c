/* The `mockforge:plugin/responder` export, forwarded to the registered mf_response_plugin. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

extern const mf_response_plugin mf__response_plugin;

static void export_response(const mf_response *in, exports_mockforge_plugin_responder_response_t *out) {
    out->status = in->status;
    out->headers = mf__export_headers(in->headers, in->header_count);
    out->body.len = in->body_len;
    out->body.ptr = NULL;
    if (in->body_len) {
        out->body.ptr = malloc(in->body_len);
        if (!out->body.ptr)
            abort();
        memcpy(out->body.ptr, in->body, in->body_len);
    }
}

bool exports_mockforge_plugin_responder_respond(
    exports_mockforge_plugin_responder_own_request_t handle,
    exports_mockforge_plugin_responder_option_response_t *ret,
    exports_mockforge_plugin_responder_plugin_error_t *err) {
    mf__arena_reset();
    const mf_request req = {mockforge_plugin_types_borrow_request(handle)};
    mf_response *response = NULL;
    mf_error *error = mf__response_plugin.respond ? mf__response_plugin.respond(&req, &response) : NULL;
    /* The request is the plugin's for the call: released here, whatever the plugin did. */
    mockforge_plugin_types_request_drop_own(handle);
    if (error) {
        mf__export_error(error, err);
        return false;
    }
    ret->is_some = response != NULL;
    if (response)
        export_response(response, &ret->val);
    return true;
}

bool exports_mockforge_plugin_responder_modify(exports_mockforge_plugin_responder_own_request_t handle,
                                               exports_mockforge_plugin_responder_response_t *resp,
                                               exports_mockforge_plugin_responder_response_t *ret,
                                               exports_mockforge_plugin_responder_plugin_error_t *err) {
    mf__arena_reset();
    const mf_request req = {mockforge_plugin_types_borrow_request(handle)};
    mf_response *response = mf_response_new(resp->status);
    for (size_t i = 0; i < resp->headers.len; i++) {
        mockforge_plugin_types_header_t *h = &resp->headers.ptr[i];
        mf_response_add_header(response, (mf_str){(const char *)h->f0.ptr, h->f0.len},
                               (mf_str){(const char *)h->f1.ptr, h->f1.len});
    }
    mf_response_set_body(response, resp->body.ptr, resp->body.len);
    exports_mockforge_plugin_responder_response_free(resp);

    mf_error *error = mf__response_plugin.modify ? mf__response_plugin.modify(&req, response) : NULL;
    mockforge_plugin_types_request_drop_own(handle);
    if (error) {
        mf__export_error(error, err);
        return false;
    }
    export_response(response, ret);
    return true;
}
