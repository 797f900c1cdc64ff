"""A tiny CRUD resource kept in the host's key-value store: see README.md."""

import json

from mockforge_plugin import Response, ResponsePlugin, config, kv, register

DEFAULT_COLLECTION = "/items"
#: The counter the ids come from ("1", "2", ...).
NEXT_ID = "next-id"
#: The prefix of a stored object's key; the id follows.
ITEM = "item:"


@register
class Crud(ResponsePlugin):
    def respond(self, req):
        collection = config.get("collection") or DEFAULT_COLLECTION
        route, method = req.route(), req.method()
        if route == collection:
            if method == "POST":
                return create(req.body(), collection)
            if method == "GET":
                return listing()
        elif route == f"{collection}/{{id}}":
            item = req.path_param("id")
            if item is not None and method == "GET":
                return read(item)
            if item is not None and method == "DELETE":
                return delete(item)
        # Not this resource's: the next plugin or the mock answers.
        return None


def create(body: bytes, collection: str) -> Response:
    """Store the JSON object `body` under a new id; 201 with the object and its `id`."""
    obj = json_object(body)
    if obj is None:
        return answer(400, '{"error":"body must be a JSON object"}')
    item = str(kv.increment(NEXT_ID, 1))
    obj["id"] = item
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    kv.set(ITEM + item, text)
    return answer(201, text).with_header("location", f"{collection}/{item}")


def read(item: str) -> Response:
    """200 with the object stored under `item`, or 404."""
    stored = kv.get(ITEM + item)
    return not_found() if stored is None else answer(200, stored)


def delete(item: str) -> Response:
    """204 when `item` was there and is gone now, or 404."""
    return answer(204, b"") if kv.delete(ITEM + item) else not_found()


def listing() -> Response:
    """200 with every stored object, in id order."""
    keys = sorted(kv.keys(ITEM), key=id_order)
    objects = [kv.get(key) for key in keys]
    return answer(200, b"[" + b",".join(o for o in objects if o is not None) + b"]")


def id_order(key: str):
    """Ids are decimal counters: "2" before "10"."""
    item = key[len(ITEM):]
    return (0, int(item), "") if item.isdigit() else (1, 0, item)


def json_object(body: bytes):
    """The JSON object `body` holds, or `None` when it holds anything else (or no JSON)."""
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=refuse)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def refuse(name: str):
    """`NaN` and `Infinity` are not JSON (RFC 8259)."""
    raise ValueError(f"{name} is not JSON")


def not_found() -> Response:
    return answer(404, '{"error":"not found"}')


def answer(status: int, body) -> Response:
    """Every answer of this plugin is JSON."""
    return Response.json(status, body)
