/* The request resource, configuration and logging: every value is copied into the arena. */
#include <stdlib.h>

#include "internal.h"

static mockforge_string_t borrowed(mf_str text) {
    return (mockforge_string_t){(uint8_t *)text.ptr, text.len};
}

mf_str mf__take_string(mockforge_string_t *owned) {
    mf_str out = mf_str_copy(owned->ptr, owned->len);
    mockforge_string_free(owned);
    return out;
}

static mf_str *take_strings(mockforge_list_string_t *owned) {
    mf_str *out = mf_alloc((owned->len ? owned->len : 1) * sizeof(mf_str));
    for (size_t i = 0; i < owned->len; i++)
        out[i] = mf_str_copy(owned->ptr[i].ptr, owned->ptr[i].len);
    mockforge_list_string_free(owned);
    return out;
}

mf_str mf_request_method(const mf_request *req) {
    mockforge_string_t ret;
    mockforge_plugin_types_method_request_method(req->handle, &ret);
    return mf__take_string(&ret);
}

mf_str mf_request_path(const mf_request *req) {
    mockforge_string_t ret;
    mockforge_plugin_types_method_request_path(req->handle, &ret);
    return mf__take_string(&ret);
}

mf_str mf_request_query(const mf_request *req) {
    mockforge_string_t ret;
    mockforge_plugin_types_method_request_query(req->handle, &ret);
    return mf__take_string(&ret);
}

bool mf_request_query_param(const mf_request *req, mf_str name, mf_str *value) {
    mockforge_string_t key = borrowed(name), ret;
    if (!mockforge_plugin_types_method_request_query_param(req->handle, &key, &ret))
        return false;
    *value = mf__take_string(&ret);
    return true;
}

size_t mf_request_headers(const mf_request *req, const mf_header **headers) {
    mockforge_plugin_types_list_header_t ret;
    mockforge_plugin_types_method_request_headers(req->handle, &ret);
    mf_header *out = mf_alloc((ret.len ? ret.len : 1) * sizeof(mf_header));
    for (size_t i = 0; i < ret.len; i++) {
        out[i].name = mf_str_copy(ret.ptr[i].f0.ptr, ret.ptr[i].f0.len);
        out[i].value = mf_str_copy(ret.ptr[i].f1.ptr, ret.ptr[i].f1.len);
    }
    size_t count = ret.len;
    mockforge_plugin_types_list_header_free(&ret);
    *headers = out;
    return count;
}

bool mf_request_header(const mf_request *req, mf_str name, mf_str *value) {
    mockforge_string_t key = borrowed(name), ret;
    if (!mockforge_plugin_types_method_request_header(req->handle, &key, &ret))
        return false;
    *value = mf__take_string(&ret);
    return true;
}

size_t mf_request_header_all(const mf_request *req, mf_str name, const mf_str **values) {
    mockforge_string_t key = borrowed(name);
    mockforge_list_string_t ret;
    mockforge_plugin_types_method_request_header_all(req->handle, &key, &ret);
    size_t count = ret.len;
    *values = take_strings(&ret);
    return count;
}

size_t mf_request_body(const mf_request *req, const uint8_t **body) {
    mockforge_list_u8_t ret;
    mockforge_plugin_types_method_request_body(req->handle, &ret);
    size_t len = ret.len;
    *body = (const uint8_t *)mf_str_copy(ret.ptr, ret.len).ptr;
    mockforge_list_u8_free(&ret);
    return len;
}

bool mf_request_client_addr(const mf_request *req, mf_str *addr) {
    mockforge_string_t ret;
    if (!mockforge_plugin_types_method_request_client_addr(req->handle, &ret))
        return false;
    *addr = mf__take_string(&ret);
    return true;
}

mf_str mf_request_id(const mf_request *req) {
    mockforge_string_t ret;
    mockforge_plugin_types_method_request_id(req->handle, &ret);
    return mf__take_string(&ret);
}

bool mf_request_route(const mf_request *req, mf_str *route) {
    mockforge_string_t ret;
    if (!mockforge_plugin_types_method_request_route(req->handle, &ret))
        return false;
    *route = mf__take_string(&ret);
    return true;
}

size_t mf_request_path_params(const mf_request *req, const mf_param **params) {
    mockforge_list_tuple2_string_string_t ret;
    mockforge_plugin_types_method_request_path_params(req->handle, &ret);
    mf_param *out = mf_alloc((ret.len ? ret.len : 1) * sizeof(mf_param));
    for (size_t i = 0; i < ret.len; i++) {
        out[i].name = mf_str_copy(ret.ptr[i].f0.ptr, ret.ptr[i].f0.len);
        out[i].value = mf_str_copy(ret.ptr[i].f1.ptr, ret.ptr[i].f1.len);
    }
    size_t count = ret.len;
    mockforge_list_tuple2_string_string_free(&ret);
    *params = out;
    return count;
}

bool mf_request_path_param(const mf_request *req, mf_str name, mf_str *value) {
    mockforge_string_t key = borrowed(name), ret;
    if (!mockforge_plugin_types_method_request_path_param(req->handle, &key, &ret))
        return false;
    *value = mf__take_string(&ret);
    return true;
}

const mf_identity *mf_request_identity(const mf_request *req) {
    mockforge_plugin_types_identity_t ret;
    if (!mockforge_plugin_types_method_request_identity(req->handle, &ret))
        return NULL;
    return mf__take_identity(&ret);
}

bool mf_config_get(mf_str key, mf_str *value) {
    mockforge_string_t name = borrowed(key), ret;
    if (!mockforge_plugin_config_get(&name, &ret))
        return false;
    *value = mf__take_string(&ret);
    return true;
}

size_t mf_config_keys(const mf_str **keys) {
    mockforge_list_string_t ret;
    mockforge_plugin_config_keys(&ret);
    size_t count = ret.len;
    *keys = take_strings(&ret);
    return count;
}

void mf_log(mf_log_level level, mf_str message, const mf_field *fields, size_t count) {
    mockforge_tuple2_string_string_t *pairs = mf_alloc((count ? count : 1) * sizeof *pairs);
    for (size_t i = 0; i < count; i++) {
        pairs[i].f0 = borrowed(fields[i].name);
        pairs[i].f1 = borrowed(fields[i].value);
    }
    mockforge_string_t text = borrowed(message);
    mockforge_list_tuple2_string_string_t list = {pairs, count};
    mockforge_plugin_log_log((mockforge_plugin_log_level_t)level, &text, &list);
}

void mf_log_message(mf_log_level level, mf_str message) { mf_log(level, message, NULL, 0); }
