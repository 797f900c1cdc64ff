//! A plain WASI command (it exports `wasi:cli/run`) whose manifest claims it is an auth plugin,
//! to test that the host checks a component's exports rather than trusting the manifest.

fn main() {
    println!("this is a command, not a MockForge plugin");
}
