//! Host implementations of the interfaces plugins import, one file per WIT interface.

pub(crate) mod config;
pub(crate) mod log;
pub(crate) mod request;
