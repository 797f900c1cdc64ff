//! The aborter: what an AssemblyScript module's `env.abort(message, file, line, column)`
//! becomes in an adapted plugin. It writes the decoded message to stderr, where the host shows
//! it with the trap (`Error::Trap`'s stderr tail), and traps. It is a component of its own
//! because the translator, which is on the call stack when the module aborts, cannot be
//! entered again.

#[allow(
    missing_docs,
    reason = "generated glue such as `Guest` traits carries no docs"
)]
mod bindings {
    wit_bindgen::generate!({
        world: "mockforge:legacy-bridge/aborter",
        path: ["../../../wit/0.2.0", "../../../wit/legacy"],
        generate_all,
    });
}

use bindings::exports::mockforge::legacy_bridge::abort::Guest;

struct Aborter;

impl Guest for Aborter {
    fn abort(message: String, file: String, line: u32, column: u32) {
        let message = if message.is_empty() {
            "(no message)"
        } else {
            &message
        };
        if file.is_empty() {
            eprintln!("AssemblyScript abort: {message}");
        } else {
            eprintln!("AssemblyScript abort: {message} at {file}:{line}:{column}");
        }
        std::process::abort()
    }
}

bindings::export!(Aborter with_types_in bindings);
