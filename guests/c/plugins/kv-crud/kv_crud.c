/* A tiny CRUD resource kept in the host's key-value store: see README.md beside this file. */
#include <stdint.h>
#include <string.h>

#include "mockforge_json.h"
#include "mockforge_kv.h"
#include "mockforge_plugin.h"

#define DEFAULT_COLLECTION "/items"
/* The counter the ids come from. */
#define NEXT_ID_KEY "next-id"
/* Items are stored under this prefix and their id, zero-padded to 20 digits so that the
 * store's sorted keys are in id order. */
#define ITEM_PREFIX "item/"

static mf_response *answer(uint16_t status, mf_str body) { return mf_response_json(status, body); }

static mf_response *not_found(void) { return answer(404, MF_STR("{\"error\":\"not found\"}")); }

static mf_error *store_failed(const mf_kv_error *failure) {
    return mf_error_new(MF_INTERNAL, "the key-value store refused the item: %.*s", MF_FMT(failure->message));
}

static mf_str item_key(uint64_t id) { return mf_format(ITEM_PREFIX "%020llu", (unsigned long long)id); }

/* An id as the plugin writes them (decimal, no sign, no leading zero, at least 1); false for
 * anything else, which names no item. */
static bool parse_id(mf_str text, uint64_t *id) {
    if (text.len == 0 || text.len > 20 || text.ptr[0] == '0')
        return false;
    uint64_t value = 0;
    for (size_t i = 0; i < text.len; i++) {
        unsigned char c = (unsigned char)text.ptr[i];
        if (c < '0' || c > '9' || value > (UINT64_MAX - (c - '0')) / 10)
            return false;
        value = value * 10 + (c - '0');
    }
    *id = value;
    return true;
}

/* `POST {collection}`: the body's object stored with a fresh `"id"` (replacing any it had). */
static mf_error *create(const mf_request *req, mf_str collection, mf_response **response) {
    const uint8_t *bytes;
    size_t len = mf_request_body(req, &bytes);
    const mf_json *object = mf_json_parse(bytes, len);
    if (!object || object->type != MF_JSON_OBJECT) {
        *response = answer(400, MF_STR("{\"error\":\"body must be a JSON object\"}"));
        return NULL;
    }
    int64_t id;
    mf_kv_error *failure = mf_kv_increment(MF_STR(NEXT_ID_KEY), 1, &id);
    if (failure)
        return store_failed(failure);
    if (id < 1)
        return mf_error_new(MF_INTERNAL, "the id counter `" NEXT_ID_KEY "` holds %lld", (long long)id);
    mf_buf item = {0};
    mf_buf_push_byte(&item, '{');
    for (size_t i = 0; i < object->count; i++) {
        if (mf_str_eq(object->keys[i], MF_STR("id")))
            continue;
        mf_json_quote_into(&item, object->keys[i]);
        mf_buf_push_byte(&item, ':');
        mf_buf_push_str(&item, mf_json_compact(object->items[i]));
        mf_buf_push_byte(&item, ',');
    }
    mf_buf_printf(&item, "\"id\":\"%lld\"}", (long long)id);
    mf_str text = mf_buf_str(&item);
    if ((failure = mf_kv_set(item_key((uint64_t)id), text)))
        return store_failed(failure);
    *response = answer(201, text);
    mf_response_add_header(*response, MF_STR("location"), mf_format("%.*s/%lld", MF_FMT(collection), (long long)id));
    return NULL;
}

/* `GET {collection}`: every stored item, in id order. */
static mf_response *list(void) {
    const mf_str *keys;
    size_t count = mf_kv_keys(MF_STR(ITEM_PREFIX), UINT32_MAX, &keys);
    mf_buf body = {0};
    mf_buf_push_byte(&body, '[');
    size_t listed = 0;
    for (size_t i = 0; i < count; i++) {
        mf_str item;
        /* An item may expire or go between the listing and the read. */
        if (!mf_kv_get(keys[i], &item))
            continue;
        if (listed++)
            mf_buf_push_byte(&body, ',');
        mf_buf_push_str(&body, item);
    }
    mf_buf_push_byte(&body, ']');
    return answer(200, mf_buf_str(&body));
}

static mf_error *respond(const mf_request *req, mf_response **response) {
    mf_str collection, route, method = mf_request_method(req);
    if (!mf_config_get(MF_STR("collection"), &collection))
        collection = MF_STR(DEFAULT_COLLECTION);
    if (!mf_request_route(req, &route))
        return NULL;
    if (mf_str_eq(route, collection)) {
        if (mf_str_eq(method, MF_STR("POST")))
            return create(req, collection, response);
        if (mf_str_eq(method, MF_STR("GET")))
            *response = list();
        return NULL;
    }
    if (!mf_str_eq(route, mf_format("%.*s/{id}", MF_FMT(collection))))
        return NULL;
    bool get = mf_str_eq(method, MF_STR("GET")), remove = mf_str_eq(method, MF_STR("DELETE"));
    if (!get && !remove)
        return NULL;
    mf_str text, item;
    uint64_t id;
    if (!mf_request_path_param(req, MF_STR("id"), &text) || !parse_id(text, &id)) {
        *response = not_found();
    } else if (get) {
        *response = mf_kv_get(item_key(id), &item) ? answer(200, item) : not_found();
    } else {
        *response = mf_kv_delete(item_key(id)) ? answer(204, MF_STR("")) : not_found();
    }
    return NULL;
}

MF_RESPONSE_PLUGIN(.respond = respond);
