/* What the response-template plugin's files share. */
#ifndef RESPONSE_TEMPLATE_H
#define RESPONSE_TEMPLATE_H

#include "mockforge_plugin.h"

/* A path pattern such as `/users/{id}`: literal segments must be equal, `{name}` segments match
 * any one segment and capture it. */
typedef struct route_segment {
    bool param;
    mf_str text; /* the literal, or the parameter's name */
} route_segment;

typedef struct route {
    route_segment *segments;
    size_t count;
} route;

mf_error *route_parse(mf_str pattern, route *out);

/* Whether `path` matches; `values` (one per segment, in pattern order) get the captured
 * parameters, kept as sent. */
bool route_matches(const route *route, mf_str path, mf_str *values);

/* What a placeholder stands for: `*found` false when the request lacks it (a header or query
 * parameter), an error when the template names no known value. */
typedef mf_error *(*resolver)(void *context, mf_str name, bool *found, mf_str *value);

/* Render `template`, replacing each `{{name}}`. The template is read as JSON text, so that a
 * value landing inside a JSON string is escaped as a JSON string's content while one outside a
 * string is inserted as it is; a missing value is empty inside a string and `null` outside. */
mf_error *template_render(mf_str template, resolver resolve, void *context, mf_str *out);

#endif
