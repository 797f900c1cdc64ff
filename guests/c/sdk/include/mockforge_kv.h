/*
 * The plugin's key-value store (the `kv` import of mockforge:plugin@0.2.0): every instance of
 * the plugin sees the same store and no plugin sees another's keys. It lives in the host's
 * memory while the plugin is loaded, with caps from the manifest; a write past a cap is
 * refused, never truncated.
 *
 *     int64_t next;
 *     mf_kv_error *error = mf_kv_increment(MF_STR("next-id"), 1, &next);
 *     if (!error)
 *         error = mf_kv_set(mf_format("item/%lld", (long long)next), body);
 *
 * Values are bytes, held in an mf_str (which may hold NUL bytes); what the SDK returns lives
 * in the call's arena.
 */
#ifndef MOCKFORGE_KV_H
#define MOCKFORGE_KV_H

#include "mockforge_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mf_kv_error_kind {
    /* The key is empty or longer than the plugin's key cap. */
    MF_KV_INVALID_KEY,
    /* The value is longer than the plugin's value cap. */
    MF_KV_VALUE_TOO_LARGE,
    /* Storing it would pass the plugin's cap on keys or total bytes. */
    MF_KV_QUOTA_EXCEEDED,
    /* `increment` found a value that is not a decimal 64-bit integer, or the sum overflows. */
    MF_KV_NOT_A_NUMBER,
} mf_kv_error_kind;

/* Why a write was refused; `message` is the host's, giving the cap. */
typedef struct mf_kv_error {
    mf_kv_error_kind kind;
    mf_str message;
} mf_kv_error;

/* The value of `key`; false when it is absent or its time to live has passed. */
bool mf_kv_get(mf_str key, mf_str *value);
/* Store `value` under `key`, replacing any value, with no expiry. */
mf_kv_error *mf_kv_set(mf_str key, mf_str value);
/* Store `value` under `key`, replacing any value, to expire after `ttl_ms` milliseconds. */
mf_kv_error *mf_kv_set_with_ttl(mf_str key, mf_str value, uint64_t ttl_ms);
/* Remove `key`; whether it was there. */
bool mf_kv_delete(mf_str key);
/* Add `delta` to the decimal integer under `key` (0 when absent) atomically, store the sum as
 * decimal text and set `*sum` to it. The key keeps its time to live. */
mf_kv_error *mf_kv_increment(mf_str key, int64_t delta, int64_t *sum);
/* The live keys that start with `prefix`, sorted, at most `limit` of them; returns the count. */
size_t mf_kv_keys(mf_str prefix, uint32_t limit, const mf_str **keys);

#ifdef __cplusplus
}
#endif

#endif
