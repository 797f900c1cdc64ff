//! A plugin whose answers the request chooses, so that the HTTP layer's tests can make a
//! plugin allow, deny, trap or answer invalid HTTP at will:
//!
//! - `x-auth`: `deny` (401 with `WWW-Authenticate: Flaky realm="test"`), `abstain`, `trap`,
//!   `error`, `deny-200` (a denial with a success status), `deny-crlf` (a header value with
//!   CR LF); absent: allow as the configured `subject`.
//! - `x-respond`: `ok` (200 `flaky:<subject>`), `trap`, `status-999`, `crlf`, `empty-name`,
//!   `big` (a 2 MiB body); absent: decline.
//! - `x-modify`: `trap`, `crlf`; absent: add `x-flaky: <subject>`.
//! - `x-noise` (before `x-respond`, for the host's output caps): `fields:N` (one log record
//!   with N fields), `records:N` (N log records), `message:N` (one record of an N-byte
//!   message), `stdout:N` (N bytes of stdout in 100-byte lines), `error:N` (fails with an
//!   internal error whose message is N bytes); then answers 200 `noisy`.

use std::io::Write as _;

use mockforge_component_sdk::{
    config, log, plugin, AuthOutcome, AuthPlugin, Denial, Identity, PluginError, Request, Response,
    ResponsePlugin,
};

struct Flaky;

fn subject() -> String {
    config::get("subject").unwrap_or_else(|| "flaky".into())
}

impl AuthPlugin for Flaky {
    fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError> {
        Ok(match req.header("x-auth").as_deref() {
            None => AuthOutcome::allow(Identity::new(subject())),
            Some("deny") => Denial::new(401, "flaky says no")
                .with_header("WWW-Authenticate", "Flaky realm=\"test\"")
                .into(),
            Some("abstain") => AuthOutcome::abstain(),
            Some("trap") => panic!("flaky trapped on purpose"),
            Some("error") => return Err(PluginError::Internal("flaky failed on purpose".into())),
            Some("deny-200") => AuthOutcome::deny(200, "a denial that says OK"),
            Some("deny-crlf") => Denial::new(401, "injected")
                .with_header("x-a", "1\r\nX-Evil: 1")
                .into(),
            Some(other) => AuthOutcome::deny(400, format!("unknown x-auth {other}")),
        })
    }
}

impl ResponsePlugin for Flaky {
    fn respond(req: &Request) -> Result<Option<Response>, PluginError> {
        if let Some(noise) = req.header("x-noise") {
            return make_noise(&noise).map(|()| Some(Response::text(200, "noisy")));
        }
        Ok(match req.header("x-respond").as_deref() {
            None => None,
            Some("ok") => Some(Response::text(200, format!("flaky:{}", subject()))),
            Some("trap") => panic!("flaky trapped on purpose"),
            Some("status-999") => Some(Response::text(999, "bad status")),
            Some("crlf") => Some(Response::text(200, "x").with_header("x-a", "1\r\nX-Evil: 1")),
            Some("empty-name") => Some(Response::text(200, "x").with_header("", "v")),
            Some("big") => Some(Response::text(200, vec![b'x'; 2 << 20])),
            Some(_) => None,
        })
    }

    fn modify(req: &Request, resp: Response) -> Result<Response, PluginError> {
        Ok(match req.header("x-modify").as_deref() {
            None => resp.with_header("x-flaky", subject()),
            Some("trap") => panic!("flaky trapped on purpose"),
            Some("crlf") => resp.with_header("x-b", "2\r\nX-Evil: 2"),
            Some(_) => resp,
        })
    }
}

/// Floods the log, stdout or the error message as `noise` (`what:count`) says.
fn make_noise(noise: &str) -> Result<(), PluginError> {
    let (what, count) = noise.split_once(':').unwrap_or((noise, "0"));
    let count: usize = count
        .parse()
        .map_err(|_| PluginError::InvalidRequest(format!("x-noise count {count:?}")))?;
    match what {
        "fields" => {
            let names: Vec<String> = (0..count).map(|i| format!("field{i}")).collect();
            let fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "value")).collect();
            log::info("many fields", &fields);
        }
        "records" => (0..count).for_each(|i| log::info(&format!("record {i}"), &[])),
        "message" => log::info(&"m".repeat(count), &[]),
        "stdout" => {
            let line = format!("{}\n", "o".repeat(99));
            let mut stdout = std::io::stdout();
            for _ in 0..count / 100 {
                let _ = stdout.write_all(line.as_bytes());
            }
            let _ = stdout.flush();
        }
        "error" => return Err(PluginError::Internal("e".repeat(count))),
        other => return Err(PluginError::InvalidRequest(format!("x-noise {other:?}"))),
    }
    Ok(())
}

plugin!(Flaky);
