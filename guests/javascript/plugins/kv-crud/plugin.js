// A tiny CRUD resource kept in the host's key-value store: see README.md.

import { config, defineResponsePlugin, InternalError, json, kv, Response, utf8 } from "../../sdk/index.js";

const DEFAULT_COLLECTION = "/items";
// The counter the ids come from ("1", "2", ...).
const NEXT_ID = "next-id";
// The prefix of an item's key; its id follows, zero-padded to 20 digits so that the store's
// sorted keys are in id order. The same layout in every language.
const ITEM_PREFIX = "item/";
// How many items a list shows at most.
const LIST_LIMIT = 1000;
const U64_MAX = (1n << 64n) - 1n;

export const responder = defineResponsePlugin({
  respond(req) {
    const collection = config.get("collection") || DEFAULT_COLLECTION;
    const route = req.route();
    if (route === undefined) return undefined;
    const method = req.method();
    if (route === collection) {
      if (method === "POST") return create(req.body(), collection);
      if (method === "GET") return listing();
    } else if (route === `${collection}/{id}`) {
      if (method === "GET") return read(req.pathParam("id") ?? "");
      if (method === "DELETE") return remove(req.pathParam("id") ?? "");
    }
    // Not this resource's: the next plugin or the mock answers.
    return undefined;
  },
});

// Store the JSON object `body` under a new id; 201 with the object and its `id`.
function create(body, collection) {
  const item = json.parse(body);
  if (!json.isObject(item)) return error(400, "body must be a JSON object");
  const id = String(store(() => kv.increment(NEXT_ID, 1)));
  item.id = id;
  const text = JSON.stringify(item);
  store(() => kv.set(itemKey(BigInt(id)), text));
  return Response.json(201, text).withHeader("location", `${collection}/${id}`);
}

// 200 with the item `text` names, or 404.
function read(text) {
  const number = parseId(text);
  const stored = number === undefined ? undefined : kv.get(itemKey(number));
  return stored === undefined ? error(404, "not found") : Response.json(200, stored);
}

// 204 when the item `text` names was there and is gone now, or 404.
function remove(text) {
  const number = parseId(text);
  if (number !== undefined && kv.delete(itemKey(number))) return Response.json(204, "");
  return error(404, "not found");
}

// 200 with the stored items, in id order (at most LIST_LIMIT).
function listing() {
  const items = [];
  for (const key of kv.keys(ITEM_PREFIX, LIST_LIMIT)) {
    const item = kv.get(key);
    if (item !== undefined) items.push(utf8.decode(item));
  }
  return Response.json(200, `[${items.join(",")}]`);
}

function itemKey(number) {
  return ITEM_PREFIX + String(number).padStart(20, "0");
}

const DIGITS = /^[0-9]+$/;

// The id a path parameter names (a BigInt): a decimal number as the plugin writes them (ASCII
// digits, no sign, no leading zero, at most a u64); `undefined` for anything else, which names
// no item.
function parseId(text) {
  if (!DIGITS.test(text)) return undefined;
  const number = BigInt(text);
  return String(number) === text && number <= U64_MAX ? number : undefined;
}

function error(status, message) {
  return Response.json(status, JSON.stringify({ error: message }));
}

// A write the store's caps refuse is the plugin's internal error.
function store(write) {
  try {
    return write();
  } catch (e) {
    if (e instanceof kv.KvError) throw new InternalError(`the key-value store refused a write: ${e.message}`);
    throw e;
  }
}
