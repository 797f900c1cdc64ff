use mockforge_component_sdk::PluginError;

/// A path pattern such as `/users/{id}`: literal segments must be equal, `{name}` segments
/// match any one segment and capture it.
pub struct Route(Vec<Segment>);

enum Segment {
    Literal(String),
    Param(String),
}

impl Route {
    pub fn parse(pattern: &str) -> Result<Self, PluginError> {
        let invalid = |why: &str| {
            PluginError::InvalidConfig(format!("config key `route` = {pattern:?}: {why}"))
        };
        let Some(rest) = pattern.strip_prefix('/') else {
            return Err(invalid("must start with `/`"));
        };
        let mut segments = Vec::new();
        for segment in rest.split('/') {
            segments.push(
                match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some("") => return Err(invalid("a parameter has no name")),
                    Some(name)
                        if segments
                            .iter()
                            .any(|s| matches!(s, Segment::Param(n) if n == name)) =>
                    {
                        return Err(invalid("a parameter name is used twice"))
                    }
                    Some(name) => Segment::Param(name.to_owned()),
                    None => Segment::Literal(segment.to_owned()),
                },
            );
        }
        Ok(Self(segments))
    }

    /// The parameters captured from `path`, in pattern order, or `None` when it does not match.
    /// Values are kept as sent, percent-encoding included.
    pub fn matches(&self, path: &str) -> Option<Vec<(&str, String)>> {
        let mut parts = path.strip_prefix('/')?.split('/');
        let mut params = Vec::new();
        for segment in &self.0 {
            let part = parts.next()?;
            match segment {
                Segment::Literal(literal) if literal == part => {}
                Segment::Literal(_) => return None,
                Segment::Param(name) => params.push((name.as_str(), part.to_owned())),
            }
        }
        parts.next().is_none().then_some(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_parameters() {
        let route = Route::parse("/users/{id}/posts/{post}").unwrap();
        assert_eq!(
            route.matches("/users/42/posts/7"),
            Some(vec![("id", "42".to_owned()), ("post", "7".to_owned())])
        );
    }

    #[test]
    fn needs_the_same_literals_and_segment_count() {
        let route = Route::parse("/users/{id}").unwrap();
        for path in [
            "/users",
            "/users/42/x",
            "/user/42",
            "users/42",
            "/users/42/",
        ] {
            assert_eq!(route.matches(path), None, "{path}");
        }
        assert_eq!(Route::parse("/").unwrap().matches("/"), Some(vec![]));
    }

    #[test]
    fn refuses_bad_patterns() {
        for pattern in ["users", "/a/{}", "/{x}/{x}"] {
            assert!(Route::parse(pattern).is_err(), "{pattern}");
        }
    }
}
