use mockforge_component_sdk::{PluginError, Request};

use crate::{clock, uuid};

/// What the placeholders of one response stand for.
pub struct Values<'a> {
    pub req: &'a Request,
    /// The parameters the route captured from the path.
    pub params: Vec<(&'a str, String)>,
    /// The time of the response, so that `{{now}}` and `{{now_unix}}` agree.
    pub now: u64,
    /// Drawn at the first `{{uuid}}` and repeated after, so that a template may reuse it.
    pub uuid: Option<String>,
}

impl Values<'_> {
    /// The value of placeholder `name`: `Ok(None)` when the request lacks it (an absent query
    /// parameter or header), an error when the template names no known value.
    pub fn resolve(&mut self, name: &str) -> Result<Option<String>, PluginError> {
        Ok(match name {
            "path" => Some(self.req.path()),
            "method" => Some(self.req.method()),
            "now" => Some(clock::rfc3339(self.now)),
            "now_unix" => Some(self.now.to_string()),
            "uuid" => Some(match &self.uuid {
                Some(uuid) => uuid.clone(),
                None => self.uuid.insert(uuid::v4()?).clone(),
            }),
            _ => match name.split_once('.') {
                Some(("path", param)) => Some(
                    self.param(param)
                        .ok_or_else(|| bad_placeholder(name, "the route has no such parameter"))?,
                ),
                Some(("query", param)) => self.req.query_param(param),
                Some(("header", header)) => self.req.header(header),
                _ => return Err(bad_placeholder(name, "unknown placeholder")),
            },
        })
    }

    fn param(&self, name: &str) -> Option<String> {
        self.params
            .iter()
            .find(|(param, _)| *param == name)
            .map(|(_, value)| value.clone())
    }
}

fn bad_placeholder(name: &str, why: &str) -> PluginError {
    PluginError::InvalidConfig(format!("config key `template`: {{{{{name}}}}}: {why}"))
}
