//! Matching a JSON body against a vector's pattern, where the strings `<uuid>`, `<rfc3339>`
//! and `<unix>` stand for any such value.

use serde_json::Value;

/// How far a `<rfc3339>` or `<unix>` value may lie from the test's clock. Generous because a
/// component may be compiled between the call and the check on a loaded machine.
const CLOCK_TOLERANCE_SECS: i64 = 600;

/// Matches `got` against `pattern`, where the strings `<uuid>` (a v4 UUID, the same one
/// throughout a body), `<rfc3339>` (a UTC timestamp near `now`) and `<unix>` (seconds near
/// `now`, as a number or a string) stand for any such value. `at` names the place in reports.
pub fn match_json(
    pattern: &Value,
    got: &Value,
    now: i64,
    uuid: &mut Option<String>,
    at: &str,
) -> Result<(), String> {
    let fail = |why: &str| Err(format!("{at}: {why}"));
    match (pattern, got) {
        (Value::String(p), _) if p == "<uuid>" => {
            let Some(text) = got.as_str().filter(|text| is_uuid_v4(text)) else {
                return fail("not a v4 UUID");
            };
            match uuid {
                Some(first) if first != text => fail("not the same UUID as before in this body"),
                _ => {
                    *uuid = Some(text.to_owned());
                    Ok(())
                }
            }
        }
        (Value::String(p), _) if p == "<rfc3339>" => match got.as_str().and_then(rfc3339_seconds) {
            Some(secs) if (secs - now).abs() <= CLOCK_TOLERANCE_SECS => Ok(()),
            Some(_) => fail("a timestamp far from now"),
            None => fail("not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)"),
        },
        (Value::String(p), _) if p == "<unix>" => {
            let secs = match got {
                Value::Number(n) => n.as_i64(),
                Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                    s.parse().ok()
                }
                _ => None,
            };
            match secs {
                Some(secs) if (secs - now).abs() <= CLOCK_TOLERANCE_SECS => Ok(()),
                Some(_) => fail("a Unix time far from now"),
                None => fail("not a Unix time"),
            }
        }
        (Value::Object(p), Value::Object(g)) => {
            if p.len() != g.len() || p.keys().any(|k| !g.contains_key(k)) {
                return fail("different keys");
            }
            p.iter()
                .try_for_each(|(k, v)| match_json(v, &g[k], now, uuid, &format!("{at}.{k}")))
        }
        (Value::Array(p), Value::Array(g)) => {
            if p.len() != g.len() {
                return fail("a different length");
            }
            p.iter()
                .zip(g)
                .enumerate()
                .try_for_each(|(i, (p, g))| match_json(p, g, now, uuid, &format!("{at}[{i}]")))
        }
        // Numbers compare by value: JSON libraries write `1.0`, `1` or `1e0` for one number.
        (Value::Number(p), Value::Number(g))
            if p.as_i64()
                .zip(g.as_i64())
                .map_or(p.as_f64() == g.as_f64(), |(p, g)| p == g) =>
        {
            Ok(())
        }
        _ if pattern == got => Ok(()),
        _ => fail("a different value"),
    }
}

/// Lower-case hyphenated with the version 4 and RFC 9562 variant bits.
fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
        && bytes[14] == b'4'
        && matches!(bytes[19], b'8' | b'9' | b'a' | b'b')
}

/// The seconds since the Unix epoch of `YYYY-MM-DDTHH:MM:SSZ`.
fn rfc3339_seconds(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let shape = b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    let num = |range: std::ops::Range<usize>| text[range].parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month)
        || !(1..=month_days[month as usize - 1]).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards_match_only_what_they_stand_for() {
        let now = 4_102_444_800; // 2100-01-01T00:00:00Z
        let uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let check = |pattern: Value, got: Value| match_json(&pattern, &got, now, &mut None, "body");
        assert!(check(
            json!({"a": "<uuid>", "b": "<uuid>"}),
            json!({"a": uuid, "b": uuid})
        )
        .is_ok());
        assert!(check(
            json!(["<uuid>", "<uuid>"]),
            json!([uuid, "1b4e28ba-2fa1-41d2-883f-0016d3cca427"])
        )
        .is_err());
        assert!(check(
            json!("<uuid>"),
            json!("0F8FAD5B-D9CB-469F-A165-70867728950E")
        )
        .is_err());
        assert!(
            check(
                json!("<uuid>"),
                json!("0f8fad5b-d9cb-169f-a165-70867728950e")
            )
            .is_err(),
            "version 1"
        );
        assert!(
            check(
                json!("<uuid>"),
                json!("0f8fad5b-d9cb-469f-c165-70867728950e")
            )
            .is_err(),
            "variant"
        );
        assert!(check(json!("<rfc3339>"), json!("2100-01-01T00:00:00Z")).is_ok());
        assert!(check(json!("<rfc3339>"), json!("2099-12-31T23:59:00Z")).is_ok());
        assert!(
            check(json!("<rfc3339>"), json!("2100-01-02T00:00:00Z")).is_err(),
            "a day off"
        );
        assert!(check(json!("<rfc3339>"), json!("2100-01-01T00:00:00+00:00")).is_err());
        assert!(check(json!("<rfc3339>"), json!("2100-02-30T00:00:00Z")).is_err());
        assert!(check(
            json!({"t": "<unix>", "s": "<unix>"}),
            json!({"t": now, "s": now.to_string()})
        )
        .is_ok());
        assert!(check(json!("<unix>"), json!(now + 3600)).is_err());
        assert!(check(json!({"a": 1}), json!({"a": 1, "b": 2})).is_err());
        assert!(check(json!({"a": "<uuid>"}), json!({"a": "x"})).is_err());
        assert!(check(json!("x"), json!("y")).is_err());
    }

    #[test]
    fn a_date_counts_days_from_the_epoch() {
        assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_seconds("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(rfc3339_seconds("2024-02-29T23:59:59Z"), Some(1_709_251_199));
        assert_eq!(rfc3339_seconds("2100-01-01T00:00:00Z"), Some(4_102_444_800));
        assert_eq!(rfc3339_seconds("2023-02-29T00:00:00Z"), None);
    }
}
