use mockforge_component_sdk::PluginError;

/// Render `template`, replacing each `{{name}}` with what `resolve` gives for `name`.
///
/// The template is read as JSON text, so that a value landing inside a JSON string is escaped
/// as a JSON string's content, while a value outside a string (say `{{now_unix}}` as a number)
/// is inserted as it is. A value `resolve` does not have is empty inside a string and `null`
/// outside one, which keeps the output valid JSON.
pub fn render(
    template: &str,
    mut resolve: impl FnMut(&str) -> Result<Option<String>, PluginError>,
) -> Result<String, PluginError> {
    let mut out = String::with_capacity(template.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("{{") {
            let end = after.find("}}").ok_or_else(|| {
                PluginError::InvalidConfig("config key `template`: a `{{` is never closed".into())
            })?;
            let value = resolve(after[..end].trim())?;
            match (in_string, value) {
                (true, value) => escape_into(&mut out, value.as_deref().unwrap_or_default()),
                (false, Some(value)) => out.push_str(&value),
                (false, None) => out.push_str("null"),
            }
            rest = &after[end + 2..];
            continue;
        }
        out.push(c);
        if !in_string {
            in_string = c == '"';
        } else if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_string = false;
        }
        rest = &rest[c.len_utf8()..];
    }
    Ok(out)
}

/// Append `value` escaped as the content of a JSON string (RFC 8259 section 7).
fn escape_into(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(name: &str) -> Result<Option<String>, PluginError> {
        Ok(match name {
            "quote" => Some(r#"a "b" \c"#.into()),
            "ctl" => Some("x\n\u{1}y".into()),
            "n" => Some("42".into()),
            "missing" => None,
            _ => return Err(PluginError::InvalidConfig(format!("unknown {name}"))),
        })
    }

    #[test]
    fn escapes_inside_strings_only() {
        let out = render(
            r#"{"q": "{{quote}}", "n": {{ n }}, "c": "{{ctl}}"}"#,
            values,
        )
        .unwrap();
        assert_eq!(out, r#"{"q": "a \"b\" \\c", "n": 42, "c": "x\n\u0001y"}"#);
    }

    #[test]
    fn tracks_escaped_quotes_in_the_template() {
        let out = render(r#"{"a \"{{n}}\"": {{n}}}"#, values).unwrap();
        assert_eq!(out, r#"{"a \"42\"": 42}"#);
    }

    #[test]
    fn missing_values_stay_valid_json() {
        assert_eq!(
            render(r#"["{{missing}}", {{missing}}]"#, values).unwrap(),
            r#"["", null]"#
        );
    }

    #[test]
    fn reports_template_errors() {
        assert!(render("{{n", values).is_err());
        assert!(render("{{nope}}", values).is_err());
    }
}
