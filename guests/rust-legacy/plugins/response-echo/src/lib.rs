//! A response plugin written to MockForge's legacy JSON convention (family J), as Rust-built
//! legacy plugins were: the host writes the request JSON into a buffer from `alloc`, calls
//! `generate_response(ptr, len)`, and reads MockForge's `ResponseData` at the packed
//! `(ptr << 32) | len` it returns. The body echoes the request (`tests/conformance/vectors/0.1/
//! response-echo.json` says exactly what); the query parameters `decline`, `fail` and
//! `status` steer the answer.

use serde_json::{json, Value};

legacy_abi::allocator_exports!();

/// MockForge's `ResponseData` for the request JSON at `ptr`, packed as `(ptr << 32) | len`.
///
/// # Safety
/// `ptr` and `len` must describe a buffer from [`alloc`] holding the request JSON.
#[no_mangle]
pub unsafe extern "C" fn generate_response(ptr: *const u8, len: usize) -> u64 {
    let request: Value =
        serde_json::from_slice(legacy_abi::request(ptr, len)).unwrap_or(Value::Null);
    legacy_abi::packed(answer(&request).to_string())
}

fn answer(request: &Value) -> Value {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let query = &request["query_params"];
    if query["decline"] == "1" {
        return Value::Null;
    }
    match query["fail"].as_str() {
        Some("config") => return plugin_error("invalid-config"),
        Some("request") => return plugin_error("invalid-request"),
        _ => {}
    }
    let status: u64 = query["status"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let body = json!({
        "method": text(&request["method"]),
        "path": text(&request["path"]),
        "uri": text(&request["uri"]),
        "q": text(&query["q"]),
        "agent": text(&request["headers"]["user-agent"]),
        "body_bytes": base64_len(request["body"].as_str().unwrap_or_default()),
        "greeting": request["config"]["greeting"].as_str().unwrap_or("hello"),
        "param_id": text(&request["path_params"]["id"]),
        "caller": text(&request["auth_context"]["sub"]),
    });
    // serde writes a `Vec<u8>` as a list of numbers, as MockForge's Rust `ResponseData` does.
    json!({
        "status_code": status,
        "headers": {"x-legacy-plugin": "response-echo"},
        "body": body.to_string().into_bytes(),
        "content_type": "application/json",
        "metadata": {},
        "cache_control": "no-store",
        "custom": {},
    })
}

fn plugin_error(kind: &str) -> Value {
    json!({"plugin_error": {"kind": kind, "message": "asked to fail"}})
}

/// How many bytes the padded base64 text `encoded` holds.
fn base64_len(encoded: &str) -> usize {
    let padding = encoded.bytes().rev().take_while(|&b| b == b'=').count();
    encoded.len() / 4 * 3 - padding
}
