//! A tiny CRUD resource kept in the host's key-value store: see the README beside `Cargo.toml`.

mod store;

use mockforge_component_sdk::serde_json::{self, Map, Value};
use mockforge_component_sdk::{
    config, response_plugin, PluginError, Request, Response, ResponsePlugin,
};

const DEFAULT_COLLECTION: &str = "/items";

struct KvCrud;

impl ResponsePlugin for KvCrud {
    fn respond(req: &Request) -> Result<Option<Response>, PluginError> {
        let collection = config::get("collection").unwrap_or_else(|| DEFAULT_COLLECTION.into());
        let Some(route) = req.route() else {
            return Ok(None);
        };
        let method = req.method();
        if route == collection {
            return match method.as_str() {
                "POST" => create(req, &collection).map(Some),
                "GET" => Ok(Some(list())),
                _ => Ok(None),
            };
        }
        if route == format!("{collection}/{{id}}") {
            let id = req.path_param("id").unwrap_or_default();
            return Ok(match method.as_str() {
                "GET" => Some(read(&id)),
                "DELETE" => Some(delete(&id)),
                _ => None,
            });
        }
        Ok(None)
    }
}

/// `POST {collection}`: store the body, a JSON object, with a new `id`.
fn create(req: &Request, collection: &str) -> Result<Response, PluginError> {
    let Ok(mut item) = serde_json::from_slice::<Map<String, Value>>(&req.body()) else {
        return Ok(error(400, "body must be a JSON object"));
    };
    let id = store::next_id()?;
    item.insert("id".into(), Value::String(id.clone()));
    let json = Value::Object(item).to_string();
    let number = store::parse_id(&id)
        .ok_or_else(|| PluginError::Internal(format!("the item counter gave {id}")))?;
    store::put(number, &json)?;
    Ok(Response::json(201, json).with_header("location", format!("{collection}/{id}")))
}

/// `GET {collection}`: every item, in id order.
fn list() -> Response {
    let items = store::list();
    let mut body = Vec::with_capacity(items.iter().map(|item| item.len() + 1).sum::<usize>() + 2);
    body.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(item);
    }
    body.push(b']');
    Response::json(200, body)
}

/// `GET {collection}/{id}`.
fn read(id: &str) -> Response {
    match store::parse_id(id).and_then(store::get) {
        Some(item) => Response::json(200, item),
        None => not_found(),
    }
}

/// `DELETE {collection}/{id}`.
fn delete(id: &str) -> Response {
    match store::parse_id(id) {
        Some(id) if store::delete(id) => Response::json(204, Vec::new()),
        _ => not_found(),
    }
}

fn not_found() -> Response {
    error(404, "not found")
}

fn error(status: u16, message: &str) -> Response {
    Response::json(status, serde_json::json!({ "error": message }).to_string())
}

response_plugin!(KvCrud);
