//! Where the items live in the plugin's key-value store.

use mockforge_component_sdk::{kv, PluginError};

/// The key of the counter that numbers items.
const NEXT_ID: &str = "next-id";
/// The prefix of every item's key.
const ITEM_PREFIX: &str = "item/";
/// How many items a list shows at most.
pub const LIST_LIMIT: u32 = 1000;

/// The next item id: "1", "2", ... (the host's atomic increment, shared by every instance).
pub fn next_id() -> Result<String, PluginError> {
    Ok(kv::increment(NEXT_ID, 1)?.to_string())
}

/// Store item `id` as the JSON text `json`.
pub fn put(id: u64, json: &str) -> Result<(), PluginError> {
    Ok(kv::set(&item_key(id), json, None)?)
}

/// The JSON text of item `id`, when it exists.
pub fn get(id: u64) -> Option<Vec<u8>> {
    kv::get(&item_key(id))
}

/// Remove item `id`; whether it existed.
pub fn delete(id: u64) -> bool {
    kv::delete(&item_key(id))
}

/// The JSON texts of the items, in id order (at most [`LIST_LIMIT`]).
pub fn list() -> Vec<Vec<u8>> {
    kv::keys(ITEM_PREFIX, LIST_LIMIT)
        .iter()
        .filter_map(|key| kv::get(key))
        .collect()
}

/// The key of item `id`: the id zero-padded to 20 digits, so that the store's sorted keys are
/// in id order.
fn item_key(id: u64) -> String {
    format!("{ITEM_PREFIX}{id:020}")
}

/// The item id a path parameter names: a decimal number as the plugin writes them (no sign, no
/// leading zero); `None` for anything else, which names no item.
pub fn parse_id(text: &str) -> Option<u64> {
    text.parse().ok().filter(|id: &u64| id.to_string() == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_in_id_order() {
        let mut keys: Vec<String> = [10, 2, 1, u64::MAX].into_iter().map(item_key).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "item/00000000000000000001",
                "item/00000000000000000002",
                "item/00000000000000000010",
                "item/18446744073709551615"
            ]
        );
    }

    #[test]
    fn only_canonical_numbers_are_ids() {
        assert_eq!(parse_id("1"), Some(1));
        assert_eq!(parse_id("42"), Some(42));
        for text in [
            "",
            "01",
            "+1",
            "-1",
            "1.0",
            "x",
            " 1",
            "18446744073709551616",
        ] {
            assert_eq!(parse_id(text), None, "{text}");
        }
    }
}
