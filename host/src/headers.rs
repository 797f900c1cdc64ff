//! A request's headers as plugins see them: names and values as text, in the order received,
//! duplicates kept. Held either as pairs of strings or as the `http` crate's [`HeaderMap`] an
//! HTTP server already has, so that handing a server's request to plugins copies no header.

use std::hash::{Hash, Hasher};

use hyper::http::{HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The headers of a [`crate::Request`].
///
/// Build them from pairs (`Headers::from(vec![...])`, [`Headers::push`], `collect()`), or
/// from a server's [`HeaderMap`] without copying ([`Headers::from_header_map`], which checks
/// that every value is UTF-8, as the WIT carries text). Either way they read the same:
/// [`Headers::iter`] yields `(name, value)` in order; [`Headers::get`] compares names
/// case-insensitively. Equality, hashing and serialization (a list of `[name, value]` pairs)
/// look only at that sequence, not at how the headers are held.
#[derive(Clone, Default)]
pub struct Headers(Held);

#[derive(Clone)]
enum Held {
    Pairs(Vec<(String, String)>),
    /// Every value is valid UTF-8 (checked when it was taken in).
    Map(HeaderMap),
}

impl Default for Held {
    fn default() -> Self {
        Held::Pairs(Vec::new())
    }
}

/// A header value that is not UTF-8, named by its header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the value of header `{name}` is not valid UTF-8")]
pub struct NonUtf8Header {
    /// The header's name.
    pub name: String,
}

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The headers of `map`, kept as they are (no copy), once every value is checked to be
    /// UTF-8. [`HeaderMap`] keeps a name's values together, in the order of the name's first
    /// appearance. On error the map is returned with the name of the first value that is not
    /// UTF-8.
    pub fn from_header_map(map: HeaderMap) -> Result<Self, (HeaderMap, NonUtf8Header)> {
        let bad = map
            .iter()
            .find(|(_, value)| std::str::from_utf8(value.as_bytes()).is_err())
            .map(|(name, _)| name.as_str().to_owned());
        match bad {
            Some(name) => Err((map, NonUtf8Header { name })),
            None => Ok(Self(Held::Map(map))),
        }
    }

    /// The headers as a [`HeaderMap`]: the map they were made from, or one built from the
    /// pairs (a pair whose name or value the `http` crate refuses is left out).
    pub fn into_header_map(self) -> HeaderMap {
        match self.0 {
            Held::Map(map) => map,
            Held::Pairs(pairs) => {
                let mut map = HeaderMap::with_capacity(pairs.len());
                for (name, value) in pairs {
                    if let (Ok(name), Ok(value)) = (
                        HeaderName::from_bytes(name.as_bytes()),
                        HeaderValue::from_str(&value),
                    ) {
                        map.append(name, value);
                    }
                }
                map
            }
        }
    }

    /// How many `(name, value)` pairs there are.
    pub fn len(&self) -> usize {
        match &self.0 {
            Held::Pairs(pairs) => pairs.len(),
            Held::Map(map) => map.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every `(name, value)`, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(match &self.0 {
            Held::Pairs(pairs) => IterHeld::Pairs(pairs.iter()),
            Held::Map(map) => IterHeld::Map(map.iter()),
        })
    }

    /// The first value of header `name`, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        match &self.0 {
            Held::Pairs(pairs) => pairs
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str()),
            // The map's own lookup: hashed, case-insensitive, one value read as text.
            Held::Map(map) => map.get(name).map(text),
        }
    }

    /// Every value of header `name` (case-insensitive), in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let (pairs, map) = match &self.0 {
            Held::Pairs(pairs) => (Some(pairs), None),
            Held::Map(map) => (None, Some(map.get_all(name).iter().map(text))),
        };
        let from_pairs = pairs
            .into_iter()
            .flatten()
            .filter_map(move |(n, v)| n.eq_ignore_ascii_case(name).then_some(v.as_str()));
        from_pairs.chain(map.into_iter().flatten())
    }

    /// Adds a header at the end (duplicates are kept).
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.pairs_mut().push((name.into(), value.into()));
    }

    /// The headers as owned pairs, in order.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect()
    }

    /// The pairs, converting a map into pairs first.
    fn pairs_mut(&mut self) -> &mut Vec<(String, String)> {
        if let Held::Map(_) = self.0 {
            self.0 = Held::Pairs(self.to_pairs());
        }
        match &mut self.0 {
            Held::Pairs(pairs) => pairs,
            Held::Map(_) => unreachable!("converted to pairs above"),
        }
    }
}

/// A value of a map taken in by [`Headers::from_header_map`], which checked it is UTF-8.
fn text(value: &HeaderValue) -> &str {
    std::str::from_utf8(value.as_bytes()).unwrap_or_default()
}

/// The `(name, value)` pairs of [`Headers`], in order.
pub struct Iter<'a>(IterHeld<'a>);

enum IterHeld<'a> {
    Pairs(std::slice::Iter<'a, (String, String)>),
    Map(hyper::http::header::Iter<'a, HeaderValue>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterHeld::Pairs(pairs) => pairs.next().map(|(n, v)| (n.as_str(), v.as_str())),
            IterHeld::Map(map) => map.next().map(|(n, v)| (n.as_str(), text(v))),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterHeld::Pairs(pairs) => pairs.size_hint(),
            IterHeld::Map(map) => map.size_hint(),
        }
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = (&'a str, &'a str);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl From<Vec<(String, String)>> for Headers {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self(Held::Pairs(pairs))
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        Self(Held::Pairs(
            iter.into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        ))
    }
}

impl PartialEq for Headers {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Headers {}

impl Hash for Headers {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len());
        for pair in self {
            pair.hash(state);
        }
    }
}

impl std::fmt::Debug for Headers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Headers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<(String, String)>::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::hash_map::DefaultHasher;

    use super::*;

    fn map() -> HeaderMap {
        let mut map = HeaderMap::new();
        map.append("accept", HeaderValue::from_static("text/plain"));
        map.append("x-a", HeaderValue::from_static("1"));
        map.append("x-a", HeaderValue::from_static("2"));
        map.append(
            "x-utf8",
            HeaderValue::from_bytes("café".as_bytes()).unwrap(),
        );
        map
    }

    fn hash(headers: &Headers) -> u64 {
        let mut hasher = DefaultHasher::new();
        headers.hash(&mut hasher);
        hasher.finish()
    }

    #[test]
    fn a_map_reads_as_the_same_pairs_and_compares_and_hashes_equal_to_them() {
        let from_map = Headers::from_header_map(map()).unwrap();
        let pairs: Headers = [
            ("accept", "text/plain"),
            ("x-a", "1"),
            ("x-a", "2"),
            ("x-utf8", "café"),
        ]
        .into_iter()
        .collect();
        assert_eq!(from_map, pairs);
        assert_eq!(hash(&from_map), hash(&pairs));
        assert_eq!(from_map.len(), 4);
        assert_eq!(from_map.get("X-A"), Some("1"));
        assert_eq!(from_map.get_all("x-a").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(from_map.get("x-utf8"), Some("café"));
        assert_eq!(from_map.get("missing"), None);
        assert_eq!(
            serde_json::to_string(&from_map).unwrap(),
            serde_json::to_string(&pairs).unwrap()
        );
    }

    #[test]
    fn a_value_that_is_not_utf8_is_refused_by_name_and_the_map_handed_back() {
        let mut bad = map();
        bad.append("x-bin", HeaderValue::from_bytes(&[0xff, 0xfe]).unwrap());
        let (back, err) = Headers::from_header_map(bad).unwrap_err();
        assert_eq!(err.name, "x-bin");
        assert_eq!(back.len(), 5);
    }

    #[test]
    fn the_map_comes_back_as_it_was_and_pairs_become_a_map() {
        let headers = Headers::from_header_map(map()).unwrap();
        assert_eq!(headers.into_header_map(), map());
        let pairs: Headers = [("x-a", "1"), ("bad name", "v"), ("x-b", "2")]
            .into_iter()
            .collect();
        let built = pairs.into_header_map();
        assert_eq!(built.len(), 2, "a name the http crate refuses is left out");
        assert_eq!(built["x-b"], "2");
    }

    #[test]
    fn pushing_onto_a_map_keeps_every_header_in_order() {
        let mut headers = Headers::from_header_map(map()).unwrap();
        headers.push("x-late", "3");
        let names: Vec<&str> = headers.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["accept", "x-a", "x-a", "x-utf8", "x-late"]);
    }

    #[test]
    fn headers_round_trip_through_json_as_pairs() {
        let headers: Headers = [("a", "1"), ("a", "2")].into_iter().collect();
        let text = serde_json::to_string(&headers).unwrap();
        assert_eq!(text, r#"[["a","1"],["a","2"]]"#);
        let back: Headers = serde_json::from_str(&text).unwrap();
        assert_eq!(back, headers);
    }
}
