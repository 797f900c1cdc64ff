use mockforge_component_sdk::serde_json::Value;
use mockforge_component_sdk::{Identity, PluginError, Request};

use crate::placeholder::Placeholder;
use crate::{clock, uuid};

/// What the placeholders of one response stand for.
pub struct Values<'a> {
    req: &'a Request,
    /// The time of the response, so that `{{now}}` and `{{now_unix}}` agree.
    now: u64,
    /// Drawn at the first `{{uuid}}` and repeated after, so that a template may reuse it.
    uuid: Option<String>,
    /// Asked of the host at the first `{{identity...}}`; `None` inside when there is none.
    identity: Option<Option<Identity>>,
}

impl<'a> Values<'a> {
    /// The values of a response to `req` made at `now` (seconds since the Unix epoch).
    pub fn new(req: &'a Request, now: u64) -> Self {
        Self {
            req,
            now,
            uuid: None,
            identity: None,
        }
    }

    /// The value of placeholder `name`: `Ok(None)` when the request lacks it (an absent
    /// parameter, header, identity or claim), an error when the template names no known value.
    pub fn resolve(&mut self, name: &str) -> Result<Option<String>, PluginError> {
        Ok(match Placeholder::parse(name)? {
            Placeholder::Path => Some(self.req.path()),
            Placeholder::Method => Some(self.req.method()),
            Placeholder::Now => Some(clock::rfc3339(self.now)),
            Placeholder::NowUnix => Some(self.now.to_string()),
            Placeholder::Uuid => Some(match &self.uuid {
                Some(uuid) => uuid.clone(),
                None => self.uuid.insert(uuid::v4()?).clone(),
            }),
            Placeholder::PathParam(param) => self.req.path_param(param),
            Placeholder::Query(param) => self.req.query_param(param),
            Placeholder::Header(header) => self.req.header(header),
            Placeholder::Subject => self.identity().map(|identity| identity.subject.clone()),
            Placeholder::Username => self
                .identity()
                .and_then(|identity| identity.username.clone()),
            Placeholder::Claim(claim) => self
                .identity()
                .and_then(|identity| identity.claims.get(claim))
                .map(claim_text),
        })
    }

    fn identity(&mut self) -> Option<&Identity> {
        let req = self.req;
        self.identity.get_or_insert_with(|| req.identity()).as_ref()
    }
}

/// A claim as template text: a string's own text, any other value as compact JSON.
fn claim_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mockforge_component_sdk::serde_json::json;

    #[test]
    fn strings_are_their_text_other_claims_compact_json() {
        assert_eq!(claim_text(&json!("a \"b\"")), "a \"b\"");
        assert_eq!(claim_text(&json!(7)), "7");
        assert_eq!(claim_text(&json!(null)), "null");
        assert_eq!(claim_text(&json!({"a": [1, "x"]})), r#"{"a":[1,"x"]}"#);
    }
}
