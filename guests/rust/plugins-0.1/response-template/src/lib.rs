//! JSON mock responses rendered from a template: see the README beside `Cargo.toml`.

mod clock;
mod route;
mod template;
mod uuid;
mod values;

use mockforge_component_sdk::{
    config, response_plugin, PluginError, Request, Response, ResponsePlugin,
};

use crate::route::Route;
use crate::values::Values;

const DEFAULT_STATUS: u16 = 200;

struct Template;

impl ResponsePlugin for Template {
    fn respond(req: &Request) -> Result<Option<Response>, PluginError> {
        let route = Route::parse(&config::require("route")?)?;
        let path = req.path();
        let Some(params) = route.matches(&path) else {
            return Ok(None);
        };
        let status = status()?;
        let template = config::require("template")?;
        let mut values = Values {
            req,
            params,
            now: clock::unix_now()?,
            uuid: None,
        };
        let body = template::render(&template, |name| values.resolve(name))?;
        Ok(Some(Response::json(status, body)))
    }

    fn modify(_req: &Request, resp: Response) -> Result<Response, PluginError> {
        Ok(resp.with_header("x-mockforge-plugin", "response-template"))
    }
}

fn status() -> Result<u16, PluginError> {
    let status = config::parse("status")?.unwrap_or(DEFAULT_STATUS);
    if !(100..=599).contains(&status) {
        return Err(PluginError::InvalidConfig(format!(
            "config key `status` = {status}: not an HTTP status"
        )));
    }
    Ok(status)
}

response_plugin!(Template);
