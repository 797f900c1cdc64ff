"""A tiny CRUD resource kept in the host's key-value store: see README.md."""

import json

from mockforge_plugin import Response, ResponsePlugin, config, kv, register, strict_json

DEFAULT_COLLECTION = "/items"
#: The counter the ids come from ("1", "2", ...).
NEXT_ID = "next-id"
#: The prefix of an item's key; its id follows, zero-padded to 20 digits so that the store's
#: sorted keys are in id order. The same layout in every language.
ITEM_PREFIX = "item/"
#: How many items a list shows at most.
LIST_LIMIT = 1000
_U64_MAX = (1 << 64) - 1


@register
class Crud(ResponsePlugin):
    def respond(self, req):
        collection = config.get("collection") or DEFAULT_COLLECTION
        route = req.route()
        if route is None:
            return None
        method = req.method()
        if route == collection:
            if method == "POST":
                return create(req.body(), collection)
            if method == "GET":
                return listing()
        elif route == f"{collection}/{{id}}":
            if method == "GET":
                return read(req.path_param("id") or "")
            if method == "DELETE":
                return delete(req.path_param("id") or "")
        # Not this resource's: the next plugin or the mock answers.
        return None


def create(body: bytes, collection: str) -> Response:
    """Store the JSON object `body` under a new id; 201 with the object and its `id`."""
    item = strict_json.loads(body)
    if not isinstance(item, dict):
        return error(400, "body must be a JSON object")
    item_id = str(kv.increment(NEXT_ID, 1))
    item["id"] = item_id
    text = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
    kv.set(item_key(int(item_id)), text)
    return Response.json(201, text).with_header("location", f"{collection}/{item_id}")


def read(text: str) -> Response:
    """200 with the item `text` names, or 404."""
    number = parse_id(text)
    stored = None if number is None else kv.get(item_key(number))
    return error(404, "not found") if stored is None else Response.json(200, stored)


def delete(text: str) -> Response:
    """204 when the item `text` names was there and is gone now, or 404."""
    number = parse_id(text)
    if number is not None and kv.delete(item_key(number)):
        return Response.json(204, b"")
    return error(404, "not found")


def listing() -> Response:
    """200 with the stored items, in id order (at most `LIST_LIMIT`)."""
    items = (kv.get(key) for key in kv.keys(ITEM_PREFIX, LIST_LIMIT))
    return Response.json(200, b"[" + b",".join(item for item in items if item is not None) + b"]")


def item_key(number: int) -> str:
    return f"{ITEM_PREFIX}{number:020d}"


def parse_id(text: str):
    """The id a path parameter names: a decimal number as the plugin writes them (ASCII digits,
    no sign, no leading zero, at most a u64); `None` for anything else, which names no item."""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if str(number) == text and number <= _U64_MAX else None


def error(status: int, message: str) -> Response:
    return Response.json(status, json.dumps({"error": message}, separators=(",", ":")))
