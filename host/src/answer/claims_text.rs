//! Claims as JSON text, checked in one pass without building them: what `serde_json` would read
//! as a `Value` is accepted here and nothing else (the same reader, the same number and string
//! rules, the same nesting limit), so that the text parses later, when something reads a claim.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::{clean_text, violation, Violation};

/// What a checked object's member names are like.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Members {
    /// Every name differs from the others: this many members.
    Distinct(usize),
    /// Some name is given more than once (a JWT payload may do that; a reader keeps the first
    /// place and the last value, as `serde_json`'s ordered map does).
    Repeated,
}

/// Checks that `text` is one JSON object with claim names that are not empty and have no
/// control characters; says whether a name is given twice.
pub(super) fn check_object(text: &str) -> Result<Members, Violation> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let read = reader
        .deserialize_any(TopLevel)
        .and_then(|names| reader.end().map(|()| names));
    let names = match read {
        Ok(Ok(names)) => names,
        Ok(Err(kind)) => {
            return Err(violation(
                "identity.claims",
                format!("not a JSON object but {kind}"),
            ))
        }
        Err(err) => {
            return Err(violation(
                "identity.claims",
                format!("not JSON text: {err}"),
            ))
        }
    };
    check_names(names.iter().map(|name| &**name))?;
    let mut names = names;
    Ok(match first_repeated(&mut names) {
        None => Members::Distinct(names.len()),
        Some(_) => Members::Repeated,
    })
}

/// Checks that `text` is one JSON value, as `serde_json` reads a `Value`.
pub(super) fn check_value(text: &str) -> Result<(), serde_json::Error> {
    serde_json::from_str::<Skip>(text).map(|Skip| ())
}

/// Checks that no claim name is empty or holds a control character.
pub(super) fn check_names<'a>(names: impl Iterator<Item = &'a str>) -> Result<(), Violation> {
    for name in names {
        if name.is_empty() {
            return Err(violation("identity.claims", "a claim name is empty"));
        }
        clean_text(|| format!("identity.claims.{}", name.escape_debug()), name)?;
    }
    Ok(())
}

/// A claim name given more than once, if any; `names` is sorted in place to find it.
pub(super) fn first_repeated<S: Ord>(names: &mut [S]) -> Option<&S> {
    names.sort_unstable();
    names
        .windows(2)
        .find(|pair| pair[0] == pair[1])
        .map(|pair| &pair[0])
}

/// Appends `name` as a JSON string. Only `"` and `\` need escaping: names with control
/// characters are refused before.
pub(super) fn push_name(out: &mut String, name: &str) {
    out.push('"');
    if name.contains(['"', '\\']) {
        for c in name.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    } else {
        out.push_str(name);
    }
    out.push('"');
}

/// The top-level value: an object's member names (borrowed from the text where they hold no
/// escape), or what kind of value it is instead.
struct TopLevel;

type Names<'de> = Vec<Cow<'de, str>>;

impl<'de> Visitor<'de> for TopLevel {
    type Value = Result<Names<'de>, &'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut names = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(name) = map.next_key_seed(Name)? {
            map.next_value::<Skip>()?;
            names.push(name);
        }
        Ok(Ok(names))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // Read to the end, so that a syntax error inside is reported as one.
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Err("an array"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err("a string"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Err("null"))
    }
}

/// A member name, borrowed when it holds no escape.
struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a claim name")
    }

    fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(name))
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(name.to_owned()))
    }
}

/// Any JSON value, read as `serde_json` reads a `Value` (`deserialize_any`: numbers are
/// converted, so one out of range is refused as a `Value` refuses it) and kept nowhere.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `serde_json` reads `text` as a `Value`.
    fn value_reads(text: &str) -> bool {
        serde_json::from_str::<serde_json::Value>(text).is_ok()
    }

    #[test]
    fn a_value_is_accepted_exactly_when_serde_json_reads_it_as_a_value() {
        let deep_ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let too_deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let texts = [
            "1",
            "-0",
            "1.5e3",
            "1e400",
            "-1e400",
            "18446744073709551616",
            "\"a\"",
            r#""\ud800""#,
            r#""\ud83d\ude00""#,
            r#""\u00""#,
            "\"\u{1}\"",
            "\"tab\there\"",
            "[1,2]",
            "[1,]",
            "{\"a\":1}",
            "{\"a\":1,}",
            "{1:2}",
            "null",
            "nul",
            "true",
            " 1 ",
            "1 2",
            "",
            "   ",
            "01",
            "0x1",
            "NaN",
            "[1",
            &deep_ok,
            &too_deep,
        ];
        for text in texts {
            assert_eq!(
                check_value(text).is_ok(),
                value_reads(text),
                "{text:?}: the check and serde_json's Value disagree"
            );
        }
    }

    #[test]
    fn an_object_is_counted_and_its_names_checked() {
        assert_eq!(
            check_object(r#"{"a":1,"b":[{"c":2}],"d\"e":null}"#),
            Ok(Members::Distinct(3))
        );
        assert_eq!(check_object(r#" {} "#), Ok(Members::Distinct(0)));
        let kinds = [
            ("[1]", "not a JSON object but an array"),
            ("3", "not a JSON object but a number"),
            ("\"s\"", "not a JSON object but a string"),
            ("null", "not a JSON object but null"),
            ("true", "not a JSON object but a boolean"),
        ];
        for (text, reason) in kinds {
            let err = check_object(text).unwrap_err();
            assert_eq!(
                (err.field.as_str(), err.reason.as_str()),
                ("identity.claims", reason)
            );
        }
        for broken in ["{", "{\"a\":}", "{\"a\":1} x", "[1,]", "{\"a\":1e400}"] {
            let err = check_object(broken).unwrap_err();
            assert!(err.reason.starts_with("not JSON text"), "{broken}: {err:?}");
        }
        assert_eq!(
            check_object(r#"{"a":1,"b":2,"a":3}"#),
            Ok(Members::Repeated)
        );
        // An escaped control character in a name is still one.
        let err = check_object(r#"{"a\nb":1}"#).unwrap_err();
        assert_eq!(err.field, "identity.claims.a\\nb");
        let err = check_object(r#"{"":1}"#).unwrap_err();
        assert_eq!(err.reason, "a claim name is empty");
    }

    /// What `check_object` must say of `text`, by `serde_json`'s own reading of it.
    fn expected(text: &str) -> Result<Members, ()> {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text)
        else {
            return Err(());
        };
        if map
            .keys()
            .any(|name| name.is_empty() || name.bytes().any(|b| b < 0x20 || b == 0x7f))
        {
            return Err(());
        }
        // `Value` keeps one member per name: fewer than the text holds when one repeats.
        let mut names = 0;
        let mut reader = serde_json::Deserializer::from_str(text);
        if let Ok(Ok(all)) = de::Deserializer::deserialize_any(&mut reader, TopLevel) {
            names = all.len();
        }
        Ok(if names == map.len() {
            Members::Distinct(names)
        } else {
            Members::Repeated
        })
    }

    #[test]
    fn mutated_objects_are_judged_as_serde_json_reads_them() {
        let seeds = [
            r#"{"sub":"user-42","roles":["admin","dev"],"exp":4102444800,"o":{"a":[1.5e3,null,true]}}"#,
            r#"{"a\u0041":"\ud83d\ude00","b":-0.0,"c":"tab\tq\"","d":{},"e":[]}"#,
            r#" { "x" : [ [ [ 1 ] ] ] , "y" : "z" } "#,
        ];
        // Characters that matter to a JSON reader, and a few that do not.
        let alphabet: Vec<char> = "{}[]\",:\\0129eE.-+ntfalsru \t\n\u{1}\u{7f}é😀x"
            .chars()
            .collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        let mut accepted = 0;
        for round in 0..30_000 {
            let mut text: Vec<char> = seeds[round % seeds.len()].chars().collect();
            for _ in 0..1 + next(3) {
                let at = next(text.len() + 1);
                match next(3) {
                    0 if at < text.len() => {
                        text.remove(at);
                    }
                    1 if at < text.len() => text[at] = alphabet[next(alphabet.len())],
                    _ => text.insert(at, alphabet[next(alphabet.len())]),
                }
            }
            let text: String = text.into_iter().collect();
            let got = check_object(&text).map_err(|_| ());
            assert_eq!(got, expected(&text), "{text:?}");
            if let Ok(Members::Distinct(members)) = got {
                let map: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(&text).expect("accepted text parses");
                assert_eq!(map.len(), members, "{text:?}");
                accepted += 1;
            }
        }
        assert!(accepted > 1_000, "too few mutants were valid: {accepted}");
    }

    #[test]
    fn a_pushed_name_reads_back_as_itself() {
        for name in ["plain", "quo\"te", "back\\slash", "ünï"] {
            let mut text = String::new();
            push_name(&mut text, name);
            assert_eq!(serde_json::from_str::<String>(&text).unwrap(), name);
        }
    }
}
