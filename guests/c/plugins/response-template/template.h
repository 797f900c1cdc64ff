/* What the response-template plugin's files share. */
#ifndef RESPONSE_TEMPLATE_H
#define RESPONSE_TEMPLATE_H

#include "mockforge_plugin.h"

/* What a placeholder stands for: `*found` false when the request lacks it (a header or query
 * parameter), an error when the template names no known value. */
typedef mf_error *(*resolver)(void *context, mf_str name, bool *found, mf_str *value);

/* Render `template`, replacing each `{{name}}`. The template is read as JSON text, so that a
 * value landing inside a JSON string is escaped as a JSON string's content while one outside a
 * string is inserted as it is; a missing value is empty inside a string and `null` outside. */
mf_error *template_render(mf_str template, resolver resolve, void *context, mf_str *out);

#endif
