/* The host's `kv` import, wrapped: see mockforge_kv.h. */
#include "internal.h"
#include "mockforge_kv.h"

/* The SDK's enum is the WIT variant's cases, in the same order. */
_Static_assert(MF_KV_NOT_A_NUMBER == MOCKFORGE_PLUGIN_KV_KV_ERROR_NOT_A_NUMBER, "kv errors");

static mockforge_string_t lent(mf_str text) { return (mockforge_string_t){(uint8_t *)text.ptr, text.len}; }

static mf_kv_error *take_error(mockforge_plugin_kv_kv_error_t *owned) {
    mf_kv_error *error = mf_alloc(sizeof *error);
    error->kind = (mf_kv_error_kind)owned->tag;
    /* Every case carries one string, at the same place. */
    error->message = mf__take_string(&owned->val.invalid_key);
    return error;
}

bool mf_kv_get(mf_str key, mf_str *value) {
    mockforge_string_t name = lent(key);
    mockforge_list_u8_t ret;
    if (!mockforge_plugin_kv_get(&name, &ret))
        return false;
    *value = mf_str_copy(ret.ptr, ret.len);
    mockforge_list_u8_free(&ret);
    return true;
}

static mf_kv_error *set(mf_str key, mf_str value, uint64_t *ttl_ms) {
    mockforge_string_t name = lent(key);
    mockforge_list_u8_t bytes = {(uint8_t *)value.ptr, value.len};
    mockforge_plugin_kv_kv_error_t err;
    if (!mockforge_plugin_kv_set(&name, &bytes, ttl_ms, &err))
        return take_error(&err);
    return NULL;
}

mf_kv_error *mf_kv_set(mf_str key, mf_str value) { return set(key, value, NULL); }

mf_kv_error *mf_kv_set_with_ttl(mf_str key, mf_str value, uint64_t ttl_ms) { return set(key, value, &ttl_ms); }

bool mf_kv_delete(mf_str key) {
    mockforge_string_t name = lent(key);
    return mockforge_plugin_kv_delete(&name);
}

mf_kv_error *mf_kv_increment(mf_str key, int64_t delta, int64_t *sum) {
    mockforge_string_t name = lent(key);
    mockforge_plugin_kv_kv_error_t err;
    if (!mockforge_plugin_kv_increment(&name, delta, sum, &err))
        return take_error(&err);
    return NULL;
}

size_t mf_kv_keys(mf_str prefix, uint32_t limit, const mf_str **keys) {
    mockforge_string_t start = lent(prefix);
    mockforge_list_string_t ret;
    mockforge_plugin_kv_keys(&start, limit, &ret);
    mf_str *out = mf_alloc((ret.len ? ret.len : 1) * sizeof *out);
    for (size_t i = 0; i < ret.len; i++)
        out[i] = mf_str_copy(ret.ptr[i].ptr, ret.ptr[i].len);
    size_t count = ret.len;
    mockforge_list_string_free(&ret);
    *keys = out;
    return count;
}
