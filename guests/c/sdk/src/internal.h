/* What the SDK's files share and plugins do not see. */
#ifndef MOCKFORGE_SDK_INTERNAL_H
#define MOCKFORGE_SDK_INTERNAL_H

#include "mockforge.h" /* the bindings wit-bindgen generates for the plugin's world */
#include "mockforge_plugin.h"

struct mf_request {
    mockforge_plugin_types_borrow_request_t handle;
};

typedef struct mf_str_list {
    mf_str *items;
    size_t len;
    size_t cap;
} mf_str_list;

struct mf_identity {
    mf_str subject;
    bool has_username, has_email, has_display_name;
    mf_str username, email, display_name;
    mf_str_list roles, groups;
    /* The text of one JSON object; empty when unset (exported as `{}`). */
    mf_str claims;
};

struct mf_denial {
    uint16_t status;
    mf_str reason;
    mf_header *headers;
    size_t header_count, header_cap;
};

/* Releases everything the previous call allocated; every export calls it first. */
void mf__arena_reset(void);
/* `size` bytes of the call's arena, as mf_alloc gives them but not zeroed: for buffers whose
 * every byte is written before it is read. */
void *mf__alloc_uninit(size_t size);
/* Grows `*items` (of `size`-byte elements) to hold one more than `len`. */
void mf__grow(void **items, size_t *cap, size_t len, size_t size);
void mf__str_list_push(mf_str_list *list, mf_str item);

/* Takes a string the bindings returned (malloc'd) into the arena and frees it. */
mf_str mf__take_string(mockforge_string_t *owned);
/* A malloc'd copy of `text` for a value handed back to the host, which frees it. */
mockforge_string_t mf__export_string(mf_str text);
mockforge_plugin_types_list_header_t mf__export_headers(const mf_header *headers, size_t count);
void mf__export_error(const mf_error *error, mockforge_plugin_types_plugin_error_t *out);
/* An identity the host passed in, copied into the arena; `owned` is freed. */
mf_identity *mf__take_identity(mockforge_plugin_types_identity_t *owned);

#endif
