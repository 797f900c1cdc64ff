//! Reading the few members of a JWT's JSON objects that the plugin looks at, without building
//! the whole document.
//!
//! The text is checked exactly as `serde_json` checks it when it reads a `serde_json::Value`
//! (syntax, escapes, numbers in range, nesting depth, nothing after the value), so a segment is
//! accepted or refused just as when it was read whole; only the members asked for are kept, and
//! their strings are borrowed from the text when they hold no escape.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A member's value, reduced to what the plugin asks of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Member<'a> {
    /// A number (a NumericDate, say).
    Number(f64),
    /// A string.
    Text(Cow<'a, str>),
    /// An array: its strings, in order (its other items are left out).
    Strings(Vec<Cow<'a, str>>),
    /// `null`, a boolean or an object.
    Other,
}

impl<'a> Member<'a> {
    /// The string, when the member is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// Read `text`, one JSON object, handing each member's name to `keep`: a name it wants back
/// is given a slot, and the member's value is stored there (the last one, when the object
/// repeats the name). Every other value is checked and dropped. `None` when `text` is not a JSON
/// object.
pub fn read_object<'a, F>(text: &'a str, keep: F) -> Option<()>
where
    F: FnMut(&str, Member<'a>),
{
    let mut deserializer = serde_json::Deserializer::from_str(text);
    deserializer
        .deserialize_map(ObjectVisitor { keep })
        .and_then(|()| deserializer.end())
        .ok()
}

/// Visits the top-level object, calling `keep` with every member's name and reduced value.
struct ObjectVisitor<F> {
    keep: F,
}

impl<'de, F> Visitor<'de> for ObjectVisitor<F>
where
    F: FnMut(&str, Member<'de>),
{
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key_seed(NameSeed)? {
            let member = map.next_value_seed(MemberSeed)?;
            (self.keep)(&name, member);
        }
        Ok(())
    }
}

/// Reads a member's name, borrowed from the text when it holds no escape.
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text.to_owned()))
    }
}

/// Reads any JSON value as a [`Member`].
struct MemberSeed;

impl<'de> DeserializeSeed<'de> for MemberSeed {
    type Value = Member<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Member<'de>, D::Error> {
        deserializer.deserialize_any(MemberVisitor)
    }
}

struct MemberVisitor;

impl<'de> Visitor<'de> for MemberVisitor {
    type Value = Member<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Member<'de>, E> {
        Ok(Member::Other)
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Member<'de>, E> {
        Ok(Member::Number(number as f64))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Member<'de>, E> {
        Ok(Member::Number(number as f64))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Member<'de>, E> {
        Ok(Member::Number(number))
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Member<'de>, E> {
        Ok(Member::Text(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Member<'de>, E> {
        Ok(Member::Text(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Member<'de>, E> {
        Ok(Member::Text(Cow::Owned(text)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Member<'de>, E> {
        Ok(Member::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Member<'de>, A::Error> {
        let mut strings = Vec::new();
        while let Some(item) = items.next_element_seed(MemberSeed)? {
            if let Member::Text(text) = item {
                strings.push(text);
            }
        }
        Ok(Member::Strings(strings))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Member<'de>, A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(Member::Other)
    }
}

/// Reads and checks any JSON value, keeping nothing of it.
///
/// Unlike `serde::de::IgnoredAny` (which `serde_json` skips over without reading its numbers or
/// unescaping its strings), every number and string is read as `serde_json::Value` reads it, so
/// a number out of range or a bad escape is refused here too.
#[derive(Clone, Copy)]
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        while items.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(text: &str) -> Option<Vec<(String, Member<'_>)>> {
        let mut found = Vec::new();
        read_object(text, |name, member| found.push((name.to_owned(), member)))?;
        Some(found)
    }

    #[test]
    fn reduces_each_member() {
        let found = members(
            r#"{"n":-1,"f":1.5e3,"s":"a\"b","l":["x",1,{"y":[2]},"z\u00e9"],"o":{"k":null},"b":true,"u":null}"#,
        )
        .unwrap();
        assert_eq!(
            found,
            [
                ("n".into(), Member::Number(-1.0)),
                ("f".into(), Member::Number(1500.0)),
                ("s".into(), Member::Text("a\"b".into())),
                ("l".into(), Member::Strings(vec!["x".into(), "zé".into()])),
                ("o".into(), Member::Other),
                ("b".into(), Member::Other),
                ("u".into(), Member::Other),
            ]
        );
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let found = members(r#"{"s":"plain"}"#).unwrap();
        assert!(matches!(found[0].1, Member::Text(Cow::Borrowed("plain"))));
    }

    /// Whatever `serde_json` refuses as a `Value` object is refused here, however deep in an
    /// ignored member it hides, and whatever it accepts is accepted.
    #[test]
    fn accepts_and_refuses_what_serde_json_does() {
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
        for text in [
            "{}",
            " { \"a\" : 1 } ",
            r#"{"a":1,"a":"x"}"#,
            r#"{"a":{"b":[1e308,-0,"\ud83d\ude00"]}}"#,
            "[]",
            "\"x\"",
            "1",
            "null",
            "",
            "{",
            "{} x",
            "{\"a\":1,}",
            r#"{"a":{"b":1e400}}"#,
            r#"{"a":[-1e999]}"#,
            r#"{"a":{"b":"\ud800"}}"#,
            r#"{"a":["\x"]}"#,
            "{\"a\":\"tab\there\"}",
            "{\"a\":01}",
            "{\"a\":NaN}",
            &deep,
        ] {
            let expected = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text);
            assert_eq!(
                read_object(text, |_, _| ()).is_some(),
                expected.is_ok(),
                "{text}"
            );
        }
    }
}
