//! Helpers shared by every test suite of the project (`tests/`, `benches/`, the bridge's
//! tests): nothing here is product code, and nothing depends on the plugin host.
//!
//! - [`jwt`]: HS256 JSON Web Tokens, for the JWT plugins' requests.
//! - [`process`]: a child process killed and reaped when dropped, waiting for its port.
//! - [`python`]: the Python interpreter of this checkout and the SDK's remote examples served
//!   by uvicorn.
//! - [`temp_dir`]: a folder removed when dropped.

#![deny(missing_docs)]

pub mod jwt;
pub mod process;
pub mod python;
pub mod temp_dir;

pub use jwt::{hs256_jwt, signed_jwt, unix_now};
pub use process::{free_port, ChildProcess, ProcessError};
pub use python::{python_interpreter, RemoteExampleError, RemoteExamples};
pub use temp_dir::TempDir;
