//! `mfplugin call`: one call, the outcome printed as JSON.

use std::path::PathBuf;

use base64::Engine as _;
use clap::{Args, ValueEnum};
use mockforge_component_host::{Plugin, Request, Response};
use serde_json::{json, Value};

use crate::loading::{host, load};
use crate::request_file::{read_request, read_response};
use crate::HostArgs;

/// Which export to call.
#[derive(Clone, Copy, ValueEnum)]
pub enum Operation {
    /// `auth.authenticate` (the default for auth plugins).
    Authenticate,
    /// `responder.respond` (the default for response plugins).
    Respond,
    /// `responder.modify`, on the response given with `--response`.
    Modify,
}

/// Arguments of `call`.
#[derive(Args)]
pub struct CallArgs {
    /// The plugin: its folder (with plugin.toml or MockForge's plugin.yaml), its manifest, or
    /// a .wasm file (with no manifest beside it: run under default limits, its kind read
    /// from its exports).
    plugin: PathBuf,
    /// The request, as JSON: `method`, `path`, `query`, `headers` ([[name, value], ...]),
    /// `body` (text) or `body_base64` (binary), `client_addr`.
    #[arg(long, value_name = "FILE")]
    request: PathBuf,
    /// The operation; defaults to what the plugin's kind offers.
    #[arg(long, value_enum)]
    op: Option<Operation>,
    /// The response to modify (JSON: `status`, `headers`, `body` or `body_base64`).
    #[arg(long, value_name = "FILE")]
    response: Option<PathBuf>,
}

pub async fn run(args: CallArgs, host_args: &HostArgs) -> anyhow::Result<()> {
    let request = read_request(&args.request)?;
    let host = host(host_args)?;
    let plugin = load(&host, &args.plugin, false).await?;
    let operation = args.op.unwrap_or(if plugin.info().kind.authenticates() {
        Operation::Authenticate
    } else {
        Operation::Respond
    });
    let outcome = call(&plugin, operation, request, args.response).await?;
    out!("{}", serde_json::to_string_pretty(&outcome)?);
    Ok(())
}

async fn call(
    plugin: &Plugin,
    operation: Operation,
    request: Request,
    response: Option<PathBuf>,
) -> anyhow::Result<Value> {
    Ok(match operation {
        Operation::Authenticate => serde_json::to_value(plugin.authenticate(request).await?)?,
        Operation::Respond => match plugin.respond(request).await? {
            Some(response) => response_json("response", &response),
            None => json!({ "outcome": "declined" }),
        },
        Operation::Modify => {
            let Some(path) = response else {
                anyhow::bail!("`--op modify` needs `--response FILE`");
            };
            let modified = plugin.modify(request, read_response(&path)?).await?;
            response_json("modified", &modified)
        }
    })
}

/// A response as JSON, with the body as text when it is UTF-8 and as base64 otherwise.
fn response_json(outcome: &str, response: &Response) -> Value {
    let mut value = json!({
        "outcome": outcome,
        "status": response.status,
        "headers": response.headers,
    });
    match std::str::from_utf8(&response.body) {
        Ok(text) => value["body"] = json!(text),
        Err(_) => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(&response.body);
            value["body_base64"] = json!(encoded);
        }
    }
    value
}
