/* JSON mock responses rendered from a template: see README.md beside this file. */
#include <string.h>

#include "mockforge_clock.h"
#include "mockforge_json.h"
#include "mockforge_random.h"
#include "template.h"

#define DEFAULT_STATUS 200

/* What the placeholders of one response stand for. */
typedef struct values {
    const mf_request *req;
    /* The identity the auth chain established, read at the first `{{identity.…}}`. */
    bool identity_read;
    const mf_identity *identity;
    /* Its claims, parsed at the first `{{identity.claims.…}}`. */
    const mf_json *claims;
    /* The time of the response, so that `{{now}}` and `{{now_unix}}` agree. */
    uint64_t now;
    /* Drawn at the first `{{uuid}}` and repeated after, so that a template may reuse it. */
    bool has_uuid;
    mf_str uuid;
} values;

static mf_error *bad_placeholder(mf_str name, const char *why) {
    return mf_error_new(MF_INVALID_CONFIG, "config key `template`: {{%.*s}}: %s", MF_FMT(name), why);
}

static bool has_prefix(mf_str text, const char *prefix, mf_str *rest) {
    size_t n = strlen(prefix);
    if (text.len < n || memcmp(text.ptr, prefix, n) != 0)
        return false;
    *rest = (mf_str){text.ptr + n, text.len - n};
    return true;
}

/* `{{identity.subject}}`, `{{identity.username}}` and `{{identity.claims.NAME}}` (a string
 * claim's text, any other claim's JSON, compact); nothing when no identity was established. */
static mf_error *resolve_identity(values *v, mf_str name, mf_str field, bool *found, mf_str *value) {
    mf_str claim;
    bool subject = mf_str_eq(field, MF_STR("subject")), username = mf_str_eq(field, MF_STR("username"));
    bool claims = has_prefix(field, "claims.", &claim);
    if (!subject && !username && !claims)
        return bad_placeholder(name, "unknown placeholder");
    if (!v->identity_read) {
        v->identity = mf_request_identity(v->req);
        v->identity_read = true;
    }
    *found = false;
    if (!v->identity)
        return NULL;
    if (subject) {
        *value = mf_identity_subject(v->identity);
        *found = true;
    } else if (username) {
        *found = mf_identity_username(v->identity, value);
    } else {
        if (!v->claims) {
            mf_str text = mf_identity_claims(v->identity);
            v->claims = mf_json_parse(text.ptr, text.len);
        }
        const mf_json *member = mf_json_get(v->claims, claim);
        if (member) {
            *found = true;
            if (!mf_json_as_str(member, value))
                *value = mf_json_compact(member);
        }
    }
    return NULL;
}

static mf_error *resolve(void *context, mf_str name, bool *found, mf_str *value) {
    values *v = context;
    mf_str rest;
    *found = true;
    if (mf_str_eq(name, MF_STR("path"))) {
        *value = mf_request_path(v->req);
    } else if (mf_str_eq(name, MF_STR("method"))) {
        *value = mf_request_method(v->req);
    } else if (mf_str_eq(name, MF_STR("now"))) {
        *value = mf_rfc3339(v->now);
    } else if (mf_str_eq(name, MF_STR("now_unix"))) {
        *value = mf_format("%llu", (unsigned long long)v->now);
    } else if (mf_str_eq(name, MF_STR("uuid"))) {
        if (!v->has_uuid) {
            mf_error *error = mf_uuid_v4(&v->uuid);
            if (error)
                return error;
            v->has_uuid = true;
        }
        *value = v->uuid;
    } else if (has_prefix(name, "path.", &rest)) {
        *found = mf_request_path_param(v->req, rest, value);
    } else if (has_prefix(name, "identity.", &rest)) {
        return resolve_identity(v, name, rest, found, value);
    } else if (has_prefix(name, "query.", &rest)) {
        *found = mf_request_query_param(v->req, rest, value);
    } else if (has_prefix(name, "header.", &rest)) {
        *found = mf_request_header(v->req, rest, value);
    } else {
        return bad_placeholder(name, "unknown placeholder");
    }
    return NULL;
}

static mf_error *status(uint16_t *out) {
    uint64_t status = DEFAULT_STATUS;
    mf_error *error = mf_config_uint(MF_STR("status"), UINT16_MAX, &status);
    if (error)
        return error;
    if (status < 100 || status > 599)
        return mf_error_new(MF_INVALID_CONFIG, "config key `status` = %llu: not an HTTP status",
                            (unsigned long long)status);
    *out = (uint16_t)status;
    return NULL;
}

static mf_error *respond(const mf_request *req, mf_response **response) {
    mf_str wanted, route, template, body;
    /* The host matched the route: answer on the configured one, or on any when none is set. */
    if (mf_config_get(MF_STR("route"), &wanted) && !(mf_request_route(req, &route) && mf_str_eq(route, wanted)))
        return NULL;
    uint16_t code;
    double now;
    mf_error *error;
    if ((error = status(&code)) || (error = mf_config_require(MF_STR("template"), &template)) ||
        (error = mf_unix_time(&now)))
        return error;
    values values = {.req = req, .now = (uint64_t)now};
    if ((error = template_render(template, resolve, &values, &body)))
        return error;
    *response = mf_response_json(code, body);
    return NULL;
}

static mf_error *modify(const mf_request *req, mf_response *response) {
    mf_response_add_header(response, MF_STR("x-mockforge-plugin"), MF_STR("response-template"));
    return NULL;
}

MF_RESPONSE_PLUGIN(.respond = respond, .modify = modify);
