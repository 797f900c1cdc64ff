//! A response plugin for host tests: it answers every request with a JSON description of its
//! own configuration and of the request as the guest sees it, so that a test can check what
//! the host passes through the `config` import and the `request` resource.

use mockforge_component_sdk::{
    config, log, response_plugin, PluginError, Request, Response, ResponsePlugin,
};
use serde_json::{json, Map, Value};

struct EchoConfig;

impl ResponsePlugin for EchoConfig {
    fn respond(req: &Request) -> Result<Option<Response>, PluginError> {
        let path = req.path();
        log::info("echo-config called", &[("path", &path)]);
        let config: Map<String, Value> = config::keys()
            .into_iter()
            .map(|key| {
                let value = config::get(&key).map_or(Value::Null, Value::String);
                (key, value)
            })
            .collect();
        let body = json!({
            "config": config,
            "method": req.method(),
            "path": path,
            "query": req.query(),
            "headers": req.headers(),
            "body_len": req.body().len(),
            "client_addr": req.client_addr(),
            "query_param_x": req.query_param("x"),
            "id": req.id(),
            "route": req.route(),
            "path_params": req.path_params(),
            "path_param_id": req.path_param("id"),
            "identity": req.identity().map(|identity| json!({
                "subject": identity.subject,
                "username": identity.username,
                "email": identity.email,
                "display_name": identity.display_name,
                "roles": identity.roles,
                "groups": identity.groups,
                "claims": identity.claims,
            })),
            // Everything the host granted shows here; with no grant it must be empty.
            "env": std::env::vars()
                .map(|(name, value)| (name, Value::String(value)))
                .collect::<Map<String, Value>>(),
        });
        Ok(Some(Response::json(200, body.to_string())))
    }

    fn modify(_req: &Request, resp: Response) -> Result<Response, PluginError> {
        Ok(resp.with_header("x-echo", "1"))
    }
}

response_plugin!(EchoConfig);
