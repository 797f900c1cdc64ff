/* Identities, denials and responses, built in the arena. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

mf_identity *mf_identity_new(mf_str subject) {
    mf_identity *identity = mf_alloc(sizeof *identity);
    identity->subject = mf_str_copy(subject.ptr, subject.len);
    return identity;
}

void mf_identity_set_username(mf_identity *identity, mf_str username) {
    identity->has_username = true;
    identity->username = mf_str_copy(username.ptr, username.len);
}

void mf_identity_set_email(mf_identity *identity, mf_str email) {
    identity->has_email = true;
    identity->email = mf_str_copy(email.ptr, email.len);
}

void mf_identity_set_display_name(mf_identity *identity, mf_str display_name) {
    identity->has_display_name = true;
    identity->display_name = mf_str_copy(display_name.ptr, display_name.len);
}

void mf_identity_add_role(mf_identity *identity, mf_str role) {
    mf__str_list_push(&identity->roles, role);
}

void mf_identity_add_group(mf_identity *identity, mf_str group) {
    mf__str_list_push(&identity->groups, group);
}

static void push_header(mf_header **headers, size_t *count, size_t *cap, mf_str name, mf_str value) {
    mf__grow((void **)headers, cap, *count, sizeof(mf_header));
    (*headers)[*count].name = mf_str_copy(name.ptr, name.len);
    (*headers)[*count].value = mf_str_copy(value.ptr, value.len);
    (*count)++;
}

void mf_identity_set_claims(mf_identity *identity, mf_str json) {
    identity->claims = mf_str_copy(json.ptr, json.len);
}

mf_str mf_identity_subject(const mf_identity *identity) { return identity->subject; }

static bool optional(bool present, mf_str value, mf_str *out) {
    if (present)
        *out = value;
    return present;
}

bool mf_identity_username(const mf_identity *identity, mf_str *username) {
    return optional(identity->has_username, identity->username, username);
}

bool mf_identity_email(const mf_identity *identity, mf_str *email) {
    return optional(identity->has_email, identity->email, email);
}

bool mf_identity_display_name(const mf_identity *identity, mf_str *display_name) {
    return optional(identity->has_display_name, identity->display_name, display_name);
}

size_t mf_identity_roles(const mf_identity *identity, const mf_str **roles) {
    *roles = identity->roles.items;
    return identity->roles.len;
}

size_t mf_identity_groups(const mf_identity *identity, const mf_str **groups) {
    *groups = identity->groups.items;
    return identity->groups.len;
}

mf_str mf_identity_claims(const mf_identity *identity) {
    return identity->claims.len ? identity->claims : MF_STR("{}");
}

static mf_str take_option(mockforge_option_string_t *owned, bool *present) {
    *present = owned->is_some;
    return owned->is_some ? mf_str_copy(owned->val.ptr, owned->val.len) : (mf_str){"", 0};
}

static void take_list(mf_str_list *list, const mockforge_list_string_t *owned) {
    for (size_t i = 0; i < owned->len; i++)
        mf__str_list_push(list, (mf_str){(const char *)owned->ptr[i].ptr, owned->ptr[i].len});
}

mf_identity *mf__take_identity(mockforge_plugin_types_identity_t *owned) {
    mf_identity *identity = mf_identity_new((mf_str){(const char *)owned->subject.ptr, owned->subject.len});
    identity->username = take_option(&owned->username, &identity->has_username);
    identity->email = take_option(&owned->email, &identity->has_email);
    identity->display_name = take_option(&owned->display_name, &identity->has_display_name);
    take_list(&identity->roles, &owned->roles);
    take_list(&identity->groups, &owned->groups);
    identity->claims = mf_str_copy(owned->claims.ptr, owned->claims.len);
    mockforge_plugin_types_identity_free(owned);
    return identity;
}

mf_denial *mf_denial_new(uint16_t status, mf_str reason) {
    mf_denial *denial = mf_alloc(sizeof *denial);
    denial->status = status;
    denial->reason = mf_str_copy(reason.ptr, reason.len);
    return denial;
}

void mf_denial_add_header(mf_denial *denial, mf_str name, mf_str value) {
    push_header(&denial->headers, &denial->header_count, &denial->header_cap, name, value);
}

mf_auth_outcome mf_allow(mf_identity *identity) { return (mf_auth_outcome){.allow = identity}; }

mf_auth_outcome mf_deny(mf_denial *denial) { return (mf_auth_outcome){.deny = denial}; }

mf_auth_outcome mf_abstain(void) { return (mf_auth_outcome){.abstain = true}; }

mf_response *mf_response_new(uint16_t status) {
    mf_response *response = mf_alloc(sizeof *response);
    response->status = status;
    return response;
}

mf_response *mf_response_json(uint16_t status, mf_str body) {
    mf_response *response = mf_response_new(status);
    mf_response_add_header(response, MF_STR("content-type"), MF_STR("application/json"));
    mf_response_set_body(response, body.ptr, body.len);
    return response;
}

void mf_response_add_header(mf_response *response, mf_str name, mf_str value) {
    push_header(&response->headers, &response->header_count, &response->header_cap, name, value);
}

void mf_response_set_body(mf_response *response, const void *body, size_t len) {
    response->body = (uint8_t *)mf_str_copy(body, len).ptr;
    response->body_len = len;
}

/* What goes back to the host is malloc'd: the generated post-return functions free it. */

mockforge_string_t mf__export_string(mf_str text) {
    mockforge_string_t out;
    mockforge_string_dup_n(&out, text.ptr, text.len);
    return out;
}

mockforge_plugin_types_list_header_t mf__export_headers(const mf_header *headers, size_t count) {
    mockforge_plugin_types_list_header_t out = {NULL, count};
    if (count) {
        out.ptr = malloc(count * sizeof *out.ptr);
        if (!out.ptr)
            abort();
        for (size_t i = 0; i < count; i++) {
            out.ptr[i].f0 = mf__export_string(headers[i].name);
            out.ptr[i].f1 = mf__export_string(headers[i].value);
        }
    }
    return out;
}

void mf__export_error(const mf_error *error, mockforge_plugin_types_plugin_error_t *out) {
    mockforge_string_t message = mf__export_string(error->message);
    switch (error->kind) {
    case MF_INVALID_CONFIG:
        out->tag = MOCKFORGE_PLUGIN_TYPES_PLUGIN_ERROR_INVALID_CONFIG;
        out->val.invalid_config = message;
        break;
    case MF_INVALID_REQUEST:
        out->tag = MOCKFORGE_PLUGIN_TYPES_PLUGIN_ERROR_INVALID_REQUEST;
        out->val.invalid_request = message;
        break;
    default:
        out->tag = MOCKFORGE_PLUGIN_TYPES_PLUGIN_ERROR_INTERNAL;
        out->val.internal = message;
        break;
    }
}
