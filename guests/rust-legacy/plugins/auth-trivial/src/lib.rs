//! The benchmark auth plugin written to MockForge's legacy JSON convention (family J), as
//! Rust-built legacy plugins were: the host writes the request JSON into a buffer from
//! `alloc`, calls `authenticate(ptr, len)`, and reads the answer at the packed
//! `(ptr << 32) | len` it returns, freeing both buffers with `dealloc`.

use serde_json::{json, Value};

legacy_abi::allocator_exports!();

/// Allows a request whose `authorization` header is exactly `Bearer good`.
///
/// # Safety
/// `ptr` and `len` must describe a buffer from [`alloc`] holding the request JSON.
#[no_mangle]
pub unsafe extern "C" fn authenticate(ptr: *const u8, len: usize) -> u64 {
    let request: Value =
        serde_json::from_slice(legacy_abi::request(ptr, len)).unwrap_or(Value::Null);
    let answer = match request["headers"]["authorization"].as_str() {
        Some("Bearer good") => json!({"authenticated": true, "identity": {"user_id": "good"}}),
        _ => json!({"authenticated": false, "error_message": "denied"}),
    };
    legacy_abi::packed(answer.to_string())
}
