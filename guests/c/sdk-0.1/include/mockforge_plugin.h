/*
 * Write MockForge plugins in C.
 *
 * A plugin fills in one of the structs below with its functions and registers it with exactly
 * one of MF_AUTH_PLUGIN, MF_RESPONSE_PLUGIN or MF_PLUGIN; build.sh reads the manifest's `kind`
 * and links the matching WIT world (`mockforge:plugin@0.1.0`, the `wit/` folder at the
 * repository root).
 *
 * Memory: everything the SDK hands out (request values, config values, builders, errors,
 * mf_alloc) lives in a per-call arena that is released when the next call starts, so a plugin
 * never frees anything. Strings given to the SDK are copied, so literals and stack buffers are
 * fine too.
 *
 *     #include "mockforge_plugin.h"
 *
 *     static mf_error *authenticate(const mf_request *req, mf_auth_outcome *out) {
 *         mf_str who;
 *         if (mf_request_header(req, MF_STR("x-knock"), &who))
 *             *out = mf_allow(mf_identity_new(who));
 *         else
 *             *out = mf_deny(mf_denial_new(401, MF_STR("knock first")));
 *         return NULL;
 *     }
 *
 *     MF_AUTH_PLUGIN(.authenticate = authenticate);
 */
#ifndef MOCKFORGE_PLUGIN_H
#define MOCKFORGE_PLUGIN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------
 * Strings and memory
 * ---------------------------------------------------------------------------------------- */

/* UTF-8 text with a length; always use `len`. Strings the SDK allocates are NUL-terminated
 * too, but slices (mf_str_trim) are not, and any string may hold NUL bytes of its own. */
typedef struct mf_str {
    const char *ptr;
    size_t len;
} mf_str;

/* A string literal as an mf_str. */
#define MF_STR(literal) ((mf_str){(literal), sizeof(literal) - 1})
/* Arguments for printf's "%.*s". */
#define MF_FMT(s) (int)(s).len, (s).ptr

/* A NUL-terminated C string as an mf_str (not copied). */
mf_str mf_cstr(const char *text);
/* Whether `a` and `b` hold the same bytes. */
bool mf_str_eq(mf_str a, mf_str b);
/* Whether `a` and `b` are equal ignoring ASCII case. */
bool mf_str_eq_ignore_ascii_case(mf_str a, mf_str b);
/* `text` without leading and trailing Unicode white space (what Rust's `str::trim` removes). */
mf_str mf_str_trim(mf_str text);
/* A copy of `len` bytes at `ptr` in the call's arena, NUL-terminated. */
mf_str mf_str_copy(const void *ptr, size_t len);
/* printf into the call's arena. */
mf_str mf_format(const char *format, ...) __attribute__((format(printf, 1, 2)));
mf_str mf_vformat(const char *format, va_list args);

/* `size` bytes from the call's arena, zeroed and aligned for any type; released when the next
 * call starts. Out of memory traps, as it does in Rust guests. */
void *mf_alloc(size_t size);

/* A growable byte buffer in the call's arena, for building text. */
typedef struct mf_buf {
    char *ptr;
    size_t len;
    size_t cap;
} mf_buf;

void mf_buf_push(mf_buf *buf, const void *bytes, size_t len);
void mf_buf_push_str(mf_buf *buf, mf_str text);
void mf_buf_push_byte(mf_buf *buf, char byte);
void mf_buf_printf(mf_buf *buf, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* The buffer's text, NUL-terminated. */
mf_str mf_buf_str(mf_buf *buf);

/* ------------------------------------------------------------------------------------------
 * Errors: what a plugin returns when it cannot decide (not a refusal: that is a denial)
 * ---------------------------------------------------------------------------------------- */

typedef enum mf_error_kind {
    /* The plugin's configuration is missing a value or holds a bad one. */
    MF_INVALID_CONFIG,
    /* The request cannot be processed by this plugin (as opposed to being refused). */
    MF_INVALID_REQUEST,
    /* Any other failure inside the plugin. */
    MF_INTERNAL,
} mf_error_kind;

typedef struct mf_error {
    mf_error_kind kind;
    /* Reaches the embedder intact. */
    mf_str message;
} mf_error;

mf_error *mf_error_new(mf_error_kind kind, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------------------------------
 * The request, lent to the plugin for one call
 * ---------------------------------------------------------------------------------------- */

typedef struct mf_request mf_request;

typedef struct mf_header {
    mf_str name;
    mf_str value;
} mf_header;

/* The method, upper case as sent. */
mf_str mf_request_method(const mf_request *req);
/* The path without the query string, percent-encoding preserved. */
mf_str mf_request_path(const mf_request *req);
/* The raw query string without the `?`; empty when there is none. */
mf_str mf_request_query(const mf_request *req);
/* The first value of query parameter `name`, percent-decoded; false when absent. */
bool mf_request_query_param(const mf_request *req, mf_str name, mf_str *value);
/* Every header in the order received; returns the count. */
size_t mf_request_headers(const mf_request *req, const mf_header **headers);
/* The first value of header `name` (case-insensitive); false when absent. */
bool mf_request_header(const mf_request *req, mf_str name, mf_str *value);
/* Every value of header `name` (case-insensitive) in order; returns the count. */
size_t mf_request_header_all(const mf_request *req, mf_str name, const mf_str **values);
/* The body bytes (copied into the plugin only when asked for); returns the length. */
size_t mf_request_body(const mf_request *req, const uint8_t **body);
/* The client's address (`ip:port`); false when the embedder does not know it. */
bool mf_request_client_addr(const mf_request *req, mf_str *addr);

/* ------------------------------------------------------------------------------------------
 * Configuration: the `[config]` table of the plugin's manifest, as strings
 * ---------------------------------------------------------------------------------------- */

/* The value of `key`; false when it is not set. */
bool mf_config_get(mf_str key, mf_str *value);
/* Every key that is set, sorted; returns the count. */
size_t mf_config_keys(const mf_str **keys);
/* The value of `key`, or an invalid-config error naming it when it is not set. */
mf_error *mf_config_require(mf_str key, mf_str *value);
/* The value of `key` as an unsigned integer no larger than `max` (surrounding white space and
 * a leading `+` allowed, as Rust's `str::parse` does). `*value` is left alone when the key is
 * not set; a value that does not parse is an invalid-config error. */
mf_error *mf_config_uint(mf_str key, uint64_t max, uint64_t *value);

/* ------------------------------------------------------------------------------------------
 * Logging into the embedder's log, tagged with the plugin's name
 * ---------------------------------------------------------------------------------------- */

typedef enum mf_log_level {
    MF_LOG_TRACE,
    MF_LOG_DEBUG,
    MF_LOG_INFO,
    MF_LOG_WARN,
    MF_LOG_ERROR,
} mf_log_level;

typedef struct mf_field {
    mf_str name;
    mf_str value;
} mf_field;

/* Emit `message` with `count` structured fields. */
void mf_log(mf_log_level level, mf_str message, const mf_field *fields, size_t count);
/* `message` with no fields. */
void mf_log_message(mf_log_level level, mf_str message);

/* ------------------------------------------------------------------------------------------
 * What plugins answer
 * ---------------------------------------------------------------------------------------- */

/* Who a request is. Build with mf_identity_new and the setters. */
typedef struct mf_identity mf_identity;
/* Why a request was refused. */
typedef struct mf_denial mf_denial;

mf_identity *mf_identity_new(mf_str subject);
void mf_identity_set_username(mf_identity *identity, mf_str username);
void mf_identity_set_email(mf_identity *identity, mf_str email);
void mf_identity_set_display_name(mf_identity *identity, mf_str display_name);
void mf_identity_add_role(mf_identity *identity, mf_str role);
void mf_identity_add_group(mf_identity *identity, mf_str group);
/* Add claim `name` whose value is the JSON text `json` (a JSON string keeps its quotes). */
void mf_identity_add_claim(mf_identity *identity, mf_str name, mf_str json);

/* A refusal with HTTP `status` and a `reason` the client may see. */
mf_denial *mf_denial_new(uint16_t status, mf_str reason);
/* Add a header to the refusal, such as `WWW-Authenticate`. */
void mf_denial_add_header(mf_denial *denial, mf_str name, mf_str value);

/* The verdict of an auth plugin: exactly one of the two is set. */
typedef struct mf_auth_outcome {
    mf_identity *allow;
    mf_denial *deny;
} mf_auth_outcome;

mf_auth_outcome mf_allow(mf_identity *identity);
mf_auth_outcome mf_deny(mf_denial *denial);

/* An HTTP response; fields may be read and changed directly. */
typedef struct mf_response {
    uint16_t status;
    mf_header *headers;
    size_t header_count;
    size_t header_cap;
    uint8_t *body;
    size_t body_len;
} mf_response;

/* A response with `status`, no headers and an empty body. */
mf_response *mf_response_new(uint16_t status);
/* A response with `status`, `content-type: application/json` and the JSON text `body`. */
mf_response *mf_response_json(uint16_t status, mf_str body);
/* Add a header after those present; an existing header of the same name stays. */
void mf_response_add_header(mf_response *response, mf_str name, mf_str value);
/* Replace the body with a copy of `len` bytes. */
void mf_response_set_body(mf_response *response, const void *body, size_t len);

/* ------------------------------------------------------------------------------------------
 * Plugins and registration
 * ---------------------------------------------------------------------------------------- */

/* An auth plugin (the `auth-plugin` world). */
typedef struct mf_auth_plugin {
    /* Required. Decide who `req` is: set `*outcome` and return NULL. Missing or bad
     * credentials are a denial; return an error only when the plugin cannot decide. */
    mf_error *(*authenticate)(const mf_request *req, mf_auth_outcome *outcome);
} mf_auth_plugin;

/* A response plugin (the `response-plugin` world). Both functions are optional. */
typedef struct mf_response_plugin {
    /* Produce a response for `req` in `*response`, or leave it NULL to decline so that the next
     * plugin or the default mock answers. Unset: declines every request. */
    mf_error *(*respond)(const mf_request *req, mf_response **response);
    /* Change `response`, the mock's answer to `req`, in place. Unset: leaves it as it is. */
    mf_error *(*modify)(const mf_request *req, mf_response *response);
} mf_response_plugin;

/* Register the plugin's functions; use exactly one of these once, at file scope, with
 * designated initializers (`.authenticate = my_function`). */
#define MF_AUTH_PLUGIN(...) const mf_auth_plugin mf__auth_plugin = {__VA_ARGS__}
#define MF_RESPONSE_PLUGIN(...) const mf_response_plugin mf__response_plugin = {__VA_ARGS__}
/* A plugin that does both (the `plugin` world): pass the two sets of initializers, each in
 * parentheses: MF_PLUGIN((.authenticate = a), (.respond = r)). */
#define MF_PLUGIN(auth, response)                                                                  \
    MF_AUTH_PLUGIN auth;                                                                           \
    MF_RESPONSE_PLUGIN response

#ifdef __cplusplus
}
#endif

#endif
