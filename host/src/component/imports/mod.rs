//! Host implementations of the interfaces plugins import, one file per WIT interface; each
//! serves every contract version that has the interface.

pub(crate) mod config;
pub(crate) mod crypto;
pub(crate) mod insecure_seed;
pub(crate) mod kv;
pub(crate) mod log;
pub(crate) mod request;
