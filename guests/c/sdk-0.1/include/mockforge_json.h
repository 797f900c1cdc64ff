/*
 * JSON as the Rust reference plugins read and write it (serde_json with `preserve_order`), so
 * that C plugins pass on claims byte for byte like them:
 *
 * - parsing follows RFC 8259 strictly: UTF-8 only, no trailing commas or characters, escapes
 *   checked (a lone surrogate is an error), at most 127 nested arrays and objects;
 * - an object keeps its keys in document order; a repeated key keeps its first place and
 *   takes its last value;
 * - integers stay exact within u64 / i64, every other number is a double (`-0` is `-0.0`);
 * - writing is compact, escapes only `"`, `\` and control characters, and writes doubles in
 *   their shortest round-trip form (`1.0`, `1e+21`, `1.5e-7`).
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

typedef enum mf_json_number {
    MF_JSON_U64,
    MF_JSON_I64,
    MF_JSON_F64,
} mf_json_number;

typedef struct mf_json mf_json;

struct mf_json {
    mf_json_type type;
    bool boolean;
    mf_json_number number;
    uint64_t u64;
    int64_t i64;
    double f64;
    /* A string's decoded text (it may hold NUL bytes). */
    mf_str string;
    /* An array's items, or an object's values with their `keys`, in order. */
    mf_json **items;
    mf_str *keys;
    size_t count;
};

/* `text` parsed into the call's arena, or NULL when it is not valid JSON. */
mf_json *mf_json_parse(const void *text, size_t len);
/* The value of `key` in `object`; NULL when absent or when `object` is not an object. */
const mf_json *mf_json_get(const mf_json *object, mf_str key);
/* `value` as a string, or false when it is not one. */
bool mf_json_as_str(const mf_json *value, mf_str *out);
/* `value` as a double, or false when it is not a number. */
bool mf_json_as_f64(const mf_json *value, double *out);
/* `value` as compact JSON text in the call's arena. */
mf_str mf_json_write(const mf_json *value);
/* Append `text` to `buf` as the content of a JSON string (without the quotes). */
void mf_json_escape_into(mf_buf *buf, mf_str text);

#ifdef __cplusplus
}
#endif

#endif
