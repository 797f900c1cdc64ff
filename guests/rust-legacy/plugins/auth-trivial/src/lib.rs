//! The benchmark auth plugin written to MockForge's legacy JSON convention (family J), as
//! Rust-built legacy plugins were: the host writes the request JSON into a buffer from
//! `alloc`, calls `authenticate(ptr, len)`, and reads the answer at the packed
//! `(ptr << 32) | len` it returns, freeing both buffers with `dealloc`.

use serde_json::{json, Value};

/// A buffer of `len` bytes for the host to fill.
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len);
    let ptr = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    ptr
}

/// Frees a buffer from [`alloc`] or an answer of [`authenticate`].
///
/// # Safety
/// `ptr` and `len` must describe a buffer this module handed out and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn dealloc(ptr: *mut u8, len: usize) {
    drop(Vec::from_raw_parts(ptr, 0, len));
}

/// Allows a request whose `authorization` header is exactly `Bearer good`.
///
/// # Safety
/// `ptr` and `len` must describe a buffer from [`alloc`] holding the request JSON.
#[no_mangle]
pub unsafe extern "C" fn authenticate(ptr: *const u8, len: usize) -> u64 {
    let input = std::slice::from_raw_parts(ptr, len);
    let request: Value = serde_json::from_slice(input).unwrap_or(Value::Null);
    let answer = match request["headers"]["authorization"].as_str() {
        Some("Bearer good") => json!({"authenticated": true, "identity": {"user_id": "good"}}),
        _ => json!({"authenticated": false, "error_message": "denied"}),
    };
    let mut bytes = answer.to_string().into_bytes();
    bytes.shrink_to_fit();
    let (out, out_len) = (bytes.as_mut_ptr(), bytes.len());
    std::mem::forget(bytes);
    ((out as u64) << 32) | out_len as u64
}
