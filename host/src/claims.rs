//! An identity's claims: one JSON object.
//!
//! What a plugin hands over (contract 0.2's claims text, a 0.1 plugin's name and value pairs
//! written as one object) is checked once by the host's answer checks and then kept as that
//! text. It is read into a map only when something reads a claim, so an embedder that only
//! needs to know who the caller is never pays for the map, and a 0.2 response plugin is
//! handed the same text back without writing it out again.

use std::borrow::Cow;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The claims of an [`crate::Identity`]: a JSON object, member names in the plugin's order.
///
/// Read it as a map: it dereferences to [`serde_json::Map`] (`claims.get("sub")`,
/// `claims["exp"]`, `claims.keys()`), parsed on first read when it came from a plugin.
/// [`Claims::len`] and [`Claims::to_json_text`] do not parse. Build it from a map or from
/// `(name, value)` pairs (`Claims::from(map)`, `collect()`). Editing it through `DerefMut`
/// drops the plugin's text; it is written out again from the map when asked for.
/// Equality and serialization look only at the object, not at how it is held.
#[derive(Clone)]
pub struct Claims {
    /// The plugin's text, checked by the host: one JSON object of `members` members with
    /// distinct, non-empty names, every value read by `serde_json` as it reads a `Value`.
    /// `None` when the claims were built or edited as a map.
    text: Option<CheckedText>,
    /// The object; parsed from `text` on first read when `text` is set, otherwise always set.
    map: OnceLock<Map<String, Value>>,
}

#[derive(Clone)]
struct CheckedText {
    json: Box<str>,
    members: usize,
}

impl Claims {
    /// No claims.
    pub fn new() -> Self {
        Self::from(Map::new())
    }

    /// Claims held as `json`, which the host's answer checks accepted as one object of
    /// `members` members (see `answer.rs`).
    pub(crate) fn from_checked_text(json: String, members: usize) -> Self {
        Self {
            text: Some(CheckedText {
                json: json.into_boxed_str(),
                members,
            }),
            map: OnceLock::new(),
        }
    }

    /// The checked text a plugin handed over, if the claims are still held as it.
    pub(crate) fn checked_text(&self) -> Option<&str> {
        self.text.as_ref().map(|text| &*text.json)
    }

    /// The number of claims, counted without parsing.
    pub fn len(&self) -> usize {
        match &self.text {
            Some(text) => text.members,
            None => self.as_map().len(),
        }
    }

    /// Whether there are no claims.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The claims as a map (parsed now if they are still held as the plugin's text).
    pub fn as_map(&self) -> &Map<String, Value> {
        self.map.get_or_init(|| match &self.text {
            Some(text) => parse_checked(&text.json),
            None => Map::new(),
        })
    }

    /// The claims as a map, to edit; the plugin's text is dropped.
    pub fn as_map_mut(&mut self) -> &mut Map<String, Value> {
        self.as_map();
        self.text = None;
        match self.map.get_mut() {
            Some(map) => map,
            None => unreachable!("as_map sets the map"),
        }
    }

    /// The claims as a map, owned.
    pub fn into_map(mut self) -> Map<String, Value> {
        match (self.map.take(), self.text) {
            (Some(map), _) => map,
            (None, Some(text)) => parse_checked(&text.json),
            (None, None) => Map::new(),
        }
    }

    /// The claims as one JSON object in text: the plugin's own text when they are held as it
    /// (not re-written), otherwise the map written compactly.
    pub fn to_json_text(&self) -> Cow<'_, str> {
        match &self.text {
            Some(text) => Cow::Borrowed(&text.json),
            // A map of JSON values always serializes.
            None => {
                Cow::Owned(serde_json::to_string(self.as_map()).unwrap_or_else(|_| "{}".into()))
            }
        }
    }
}

/// Reads text the answer checks accepted. They accept exactly what `serde_json` reads as a
/// `Value` object, so this does not fail; if it ever did, the claims read as empty rather
/// than take the host down.
fn parse_checked(json: &str) -> Map<String, Value> {
    serde_json::from_str(json).unwrap_or_else(|err| {
        tracing::error!(error = %err, "checked claims text did not parse; read as no claims");
        Map::new()
    })
}

impl Default for Claims {
    fn default() -> Self {
        Self::new()
    }
}

impl Deref for Claims {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Self::Target {
        self.as_map()
    }
}

impl DerefMut for Claims {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.as_map_mut()
    }
}

impl From<Map<String, Value>> for Claims {
    fn from(map: Map<String, Value>) -> Self {
        Self {
            text: None,
            map: OnceLock::from(map),
        }
    }
}

impl From<Claims> for Value {
    fn from(claims: Claims) -> Self {
        Value::Object(claims.into_map())
    }
}

impl FromIterator<(String, Value)> for Claims {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Self::from(Map::from_iter(iter))
    }
}

impl IntoIterator for Claims {
    type Item = (String, Value);
    type IntoIter = serde_json::map::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.into_map().into_iter()
    }
}

impl<'a> IntoIterator for &'a Claims {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_map().iter()
    }
}

impl PartialEq for Claims {
    fn eq(&self, other: &Self) -> bool {
        match (self.checked_text(), other.checked_text()) {
            (Some(a), Some(b)) if a == b => true,
            _ => self.as_map() == other.as_map(),
        }
    }
}

impl Eq for Claims {}

impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_text())
    }
}

impl Serialize for Claims {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_map().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Claims {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TEXT: &str = r#"{"sub": "ada", "n": [1, 2.5], "o": {"a": null}}"#;

    fn from_text() -> Claims {
        Claims::from_checked_text(TEXT.into(), 3)
    }

    #[test]
    fn text_is_counted_without_parsing_and_read_on_demand() {
        let claims = from_text();
        assert_eq!(claims.len(), 3);
        assert!(claims.map.get().is_none(), "len parsed the text");
        assert_eq!(claims.to_json_text(), TEXT);
        assert!(claims.map.get().is_none(), "to_json_text parsed the text");
        assert_eq!(claims["sub"], json!("ada"));
        assert_eq!(claims.get("n"), Some(&json!([1, 2.5])));
        let names: Vec<&str> = claims.keys().map(String::as_str).collect();
        assert_eq!(names, ["sub", "n", "o"]);
    }

    #[test]
    fn text_and_map_holding_the_same_object_are_equal_and_serialize_alike() {
        let map: Claims = serde_json::from_value(serde_json::from_str(TEXT).unwrap()).unwrap();
        assert_eq!(from_text(), map);
        assert_eq!(
            serde_json::to_string(&from_text()).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        assert_eq!(
            map.to_json_text(),
            r#"{"sub":"ada","n":[1,2.5],"o":{"a":null}}"#
        );
        assert_ne!(from_text(), Claims::new());
    }

    #[test]
    fn editing_drops_the_text_and_writes_the_map() {
        let mut claims = from_text();
        claims.insert("added".into(), json!(true));
        assert_eq!(claims.len(), 4);
        assert!(claims.checked_text().is_none());
        assert_eq!(
            claims.to_json_text(),
            r#"{"sub":"ada","n":[1,2.5],"o":{"a":null},"added":true}"#
        );
        let value: Value = claims.into();
        assert_eq!(value["added"], json!(true));
    }

    #[test]
    fn owned_iteration_yields_the_members_in_order() {
        let pairs: Vec<(String, Value)> = from_text().into_iter().collect();
        assert_eq!(pairs[0], ("sub".to_owned(), json!("ada")));
        assert_eq!(pairs.len(), 3);
        assert!(Claims::new().is_empty());
    }
}
