/*
 * A small, strict JSON reader (RFC 8259), for what plugins read: a JWT's header and payload, a
 * JWKS, a request body, an identity's claims. Nothing is re-formatted: each value keeps its
 * source text, so a plugin passes JSON on as it came (a JWT's payload is an identity's claims
 * as it is) and mf_json_compact only drops the white space between tokens.
 *
 * - UTF-8 only, no trailing commas or characters, escapes checked (a lone surrogate is an
 *   error), at most 127 nested arrays and objects (the host's JSON reader has the same bound,
 *   so what this reader accepts the host accepts too);
 * - a number too large for a double (`1e400`) is refused, as the host's reader refuses it;
 * - an object keeps its members in document order, repeated keys included; mf_json_get finds
 *   the last of a repeated key, as the host's reader (and most others) keep the last value.
 *
 * Everything lives in the call's arena. The input is bounded by what the plugin hands it; the
 * reader never reads past `len` and never recurses deeper than the nesting bound.
 */
#ifndef MOCKFORGE_JSON_H
#define MOCKFORGE_JSON_H

#include "mockforge_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mf_json_type {
    MF_JSON_NULL,
    MF_JSON_BOOL,
    MF_JSON_NUMBER,
    MF_JSON_STRING,
    MF_JSON_ARRAY,
    MF_JSON_OBJECT,
} mf_json_type;

typedef struct mf_json mf_json;

/* A parsed JSON value. */
struct mf_json {
    mf_json_type type;
    /* A boolean's value. */
    bool boolean;
    /* A number's value as a double (the nearest one; exact for integers up to 2^53). */
    double number;
    /* A string's decoded text (it may hold NUL bytes): a slice of the document when the string
     * holds no escape (not NUL-terminated then), else a copy in the arena. */
    mf_str string;
    /* An array's items, or an object's values with their `keys` (decoded as strings are), in
     * document order. */
    mf_json **items;
    mf_str *keys;
    size_t count;
    /* The value's text as it stands in the document (a slice of it, not NUL-terminated). */
    mf_str text;
};

/* `text` parsed into the call's arena, or NULL when it is not valid JSON. The values' `text`, and
 * their strings and keys without escapes, point into `text`, which must outlive them. */
mf_json *mf_json_parse(const void *text, size_t len);
/* The value of `key` in `object` (the last one when the key is repeated); NULL when absent or
 * when `object` is not an object. */
const mf_json *mf_json_get(const mf_json *object, mf_str key);
/* `value` as a string, or false when it is not one. */
bool mf_json_as_str(const mf_json *value, mf_str *out);
/* `value` as a double, or false when it is not a number. */
bool mf_json_as_f64(const mf_json *value, double *out);
/* `value`'s source text without the white space between tokens (strings and numbers as they
 * were written), in the call's arena. */
mf_str mf_json_compact(const mf_json *value);
/* Append `text` to `buf` as the content of a JSON string (without the quotes): `"`, `\` and
 * control characters escaped, everything else as it is. */
void mf_json_escape_into(mf_buf *buf, mf_str text);
/* Append `text` to `buf` as a JSON string, quotes included. */
void mf_json_quote_into(mf_buf *buf, mf_str text);

#ifdef __cplusplus
}
#endif

#endif
