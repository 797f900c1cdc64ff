//! MockForge's legacy JSON host convention (family J) as Rust-built plugins follow it: the
//! host writes the request JSON into a buffer from the module's `alloc`, calls an entry point
//! with `(ptr, len)`, reads the answer at the packed `(ptr << 32) | len` it returns, and frees
//! both buffers with `dealloc`.

/// Defines the module's `alloc(len) -> ptr` and `dealloc(ptr, len)` exports; a plugin crate
/// invokes it once.
#[macro_export]
macro_rules! allocator_exports {
    () => {
        /// A buffer of `len` bytes for the host to fill.
        #[no_mangle]
        pub extern "C" fn alloc(len: usize) -> *mut u8 {
            let mut buffer = Vec::<u8>::with_capacity(len);
            let ptr = buffer.as_mut_ptr();
            std::mem::forget(buffer);
            ptr
        }

        /// Frees a buffer from `alloc` or an answer of an entry point.
        ///
        /// # Safety
        /// `ptr` and `len` must describe a buffer this module handed out and not yet freed.
        #[no_mangle]
        pub unsafe extern "C" fn dealloc(ptr: *mut u8, len: usize) {
            drop(Vec::from_raw_parts(ptr, 0, len));
        }
    };
}

/// The request JSON the host wrote at `ptr`.
///
/// # Safety
/// `ptr` and `len` must describe a buffer from `alloc` holding the request.
pub unsafe fn request<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    std::slice::from_raw_parts(ptr, len)
}

/// `answer` handed to the host, packed as `(ptr << 32) | len`; the host frees it with
/// `dealloc`.
pub fn packed(answer: String) -> u64 {
    let mut bytes = answer.into_bytes();
    bytes.shrink_to_fit();
    let (out, out_len) = (bytes.as_mut_ptr(), bytes.len());
    std::mem::forget(bytes);
    ((out as u64) << 32) | out_len as u64
}
