//! The key-value store behind contract 0.2's `kv` import: one per plugin name, in memory,
//! shared by every instance of the plugin (and kept across its reloads), capped in keys and
//! bytes. Entries with a time to live expire lazily: a read past the deadline sees nothing,
//! and expired entries are swept before a write is refused for want of room.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::limits::KvLimits;

/// Why a write was refused; the message names the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KvRefusal {
    /// Empty or over the key cap.
    InvalidKey(String),
    /// Over the value cap.
    ValueTooLarge(String),
    /// Over the cap on keys or bytes.
    QuotaExceeded(String),
    /// `increment` on a value that is not a decimal `i64`, or an overflow.
    NotANumber(String),
}

struct Entry {
    value: Vec<u8>,
    expires: Option<Instant>,
}

impl Entry {
    fn live(&self, now: Instant) -> bool {
        self.expires.is_none_or(|at| at > now)
    }
}

#[derive(Default)]
struct Contents {
    entries: BTreeMap<String, Entry>,
    /// Bytes of keys and values of every entry, expired ones included until swept.
    bytes: u64,
}

impl Contents {
    fn sweep(&mut self, now: Instant) {
        let mut freed = 0;
        self.entries.retain(|key, entry| {
            let live = entry.live(now);
            if !live {
                freed += (key.len() + entry.value.len()) as u64;
            }
            live
        });
        self.bytes -= freed;
    }
}

/// One plugin's store.
pub(crate) struct KvStore {
    contents: Mutex<Contents>,
    limits: Mutex<KvLimits>,
}

impl KvStore {
    fn new(limits: KvLimits) -> Self {
        Self {
            contents: Mutex::new(Contents::default()),
            limits: Mutex::new(limits),
        }
    }

    fn contents(&self) -> MutexGuard<'_, Contents> {
        // A panic cannot happen while the lock is held (no plugin code runs under it), so a
        // poisoned lock still holds consistent contents.
        self.contents.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn limits(&self) -> KvLimits {
        *self.limits.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value of `key`, when it is there and live.
    pub(crate) fn get(&self, key: &str) -> Option<Vec<u8>> {
        let now = Instant::now();
        self.contents()
            .entries
            .get(key)
            .filter(|entry| entry.live(now))
            .map(|entry| entry.value.clone())
    }

    /// Stores `value` under `key`, to expire after `ttl` when given.
    pub(crate) fn set(
        &self,
        key: String,
        value: Vec<u8>,
        ttl: Option<Duration>,
    ) -> Result<(), KvRefusal> {
        let limits = self.limits();
        check_key(&key, &limits)?;
        if value.len() as u64 > limits.max_value_bytes {
            return Err(KvRefusal::ValueTooLarge(format!(
                "{} bytes, over the cap of {} bytes",
                value.len(),
                limits.max_value_bytes
            )));
        }
        let now = Instant::now();
        let expires = ttl.and_then(|ttl| now.checked_add(ttl));
        let mut contents = self.contents();
        store(&mut contents, &limits, now, key, value, expires)
    }

    /// Removes `key`; whether it was there and live.
    pub(crate) fn delete(&self, key: &str) -> bool {
        let now = Instant::now();
        let mut contents = self.contents();
        match contents.entries.remove(key) {
            Some(entry) => {
                contents.bytes -= (key.len() + entry.value.len()) as u64;
                entry.live(now)
            }
            None => false,
        }
    }

    /// Adds `delta` to the decimal integer under `key` (0 when absent), atomically: the
    /// store's lock is held from the read to the write.
    pub(crate) fn increment(&self, key: String, delta: i64) -> Result<i64, KvRefusal> {
        let limits = self.limits();
        check_key(&key, &limits)?;
        let now = Instant::now();
        let mut contents = self.contents();
        let (current, expires) = match contents.entries.get(&key).filter(|e| e.live(now)) {
            Some(entry) => {
                let text = std::str::from_utf8(&entry.value).ok();
                let number = text.and_then(|t| t.parse::<i64>().ok()).ok_or_else(|| {
                    KvRefusal::NotANumber(format!(
                        "the value under `{}` is not a decimal 64-bit integer",
                        key.escape_debug()
                    ))
                })?;
                (number, entry.expires)
            }
            None => (0, None),
        };
        let sum = current.checked_add(delta).ok_or_else(|| {
            KvRefusal::NotANumber(format!("{current} + {delta} overflows a 64-bit integer"))
        })?;
        store(
            &mut contents,
            &limits,
            now,
            key,
            sum.to_string().into_bytes(),
            expires,
        )?;
        Ok(sum)
    }

    /// The live keys starting with `prefix`, sorted, at most `limit`.
    pub(crate) fn keys(&self, prefix: &str, limit: usize) -> Vec<String> {
        let now = Instant::now();
        self.contents()
            .entries
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(|(key, _)| key.starts_with(prefix))
            .filter(|(_, entry)| entry.live(now))
            .take(limit)
            .map(|(key, _)| key.clone())
            .collect()
    }
}

fn check_key(key: &str, limits: &KvLimits) -> Result<(), KvRefusal> {
    if key.is_empty() {
        return Err(KvRefusal::InvalidKey("the key is empty".into()));
    }
    if key.len() as u64 > limits.max_key_bytes {
        return Err(KvRefusal::InvalidKey(format!(
            "{} bytes, over the cap of {} bytes",
            key.len(),
            limits.max_key_bytes
        )));
    }
    Ok(())
}

/// Puts the entry in, within the caps (sweeping expired entries first when it would not fit).
fn store(
    contents: &mut Contents,
    limits: &KvLimits,
    now: Instant,
    key: String,
    value: Vec<u8>,
    expires: Option<Instant>,
) -> Result<(), KvRefusal> {
    let fits = |contents: &Contents| {
        let replaced = contents
            .entries
            .get(&key)
            .map(|e| (key.len() + e.value.len()) as u64);
        let keys = contents.entries.len() as u64 + u64::from(replaced.is_none());
        let bytes = contents.bytes - replaced.unwrap_or(0) + (key.len() + value.len()) as u64;
        if keys > limits.max_keys {
            Err(KvRefusal::QuotaExceeded(format!(
                "the store holds its cap of {} keys",
                limits.max_keys
            )))
        } else if bytes > limits.max_bytes {
            Err(KvRefusal::QuotaExceeded(format!(
                "{bytes} bytes, over the store's cap of {} bytes",
                limits.max_bytes
            )))
        } else {
            Ok(bytes)
        }
    };
    let bytes = match fits(contents) {
        Ok(bytes) => bytes,
        Err(_) => {
            contents.sweep(now);
            fits(contents)?
        }
    };
    contents.bytes = bytes;
    contents.entries.insert(key, Entry { value, expires });
    Ok(())
}

/// The stores of one host, by plugin name.
#[derive(Default)]
pub(crate) struct KvStores {
    stores: Mutex<HashMap<String, Arc<KvStore>>>,
}

impl KvStores {
    /// The store of plugin `name`, created empty on its first load; a reload keeps its
    /// contents and applies its new caps (entries already stored stay).
    pub(crate) fn of(&self, name: &str, limits: KvLimits) -> Arc<KvStore> {
        let mut stores = self.stores.lock().unwrap_or_else(|e| e.into_inner());
        let store = stores
            .entry(name.to_owned())
            .or_insert_with(|| Arc::new(KvStore::new(limits)))
            .clone();
        *store.limits.lock().unwrap_or_else(|e| e.into_inner()) = limits;
        store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> KvLimits {
        KvLimits {
            max_keys: 3,
            max_bytes: 64,
            max_key_bytes: 8,
            max_value_bytes: 16,
        }
    }

    #[test]
    fn set_get_delete_and_keys_by_prefix() {
        let kv = KvStore::new(limits());
        kv.set("item:2".into(), b"b".to_vec(), None).unwrap();
        kv.set("item:1".into(), b"a".to_vec(), None).unwrap();
        kv.set("other".into(), b"c".to_vec(), None).unwrap();
        assert_eq!(kv.get("item:1").as_deref(), Some(&b"a"[..]));
        assert_eq!(kv.keys("item:", 10), ["item:1", "item:2"]);
        assert_eq!(kv.keys("item:", 1), ["item:1"]);
        assert!(kv.delete("item:1"));
        assert!(!kv.delete("item:1"));
        assert_eq!(kv.get("item:1"), None);
        assert_eq!(kv.keys("", 10), ["item:2", "other"]);
    }

    #[test]
    fn caps_refuse_and_name_the_cap() {
        let kv = KvStore::new(limits());
        assert!(matches!(
            kv.set(String::new(), vec![], None),
            Err(KvRefusal::InvalidKey(_))
        ));
        assert!(matches!(
            kv.set("123456789".into(), vec![], None),
            Err(KvRefusal::InvalidKey(m)) if m.contains("cap of 8")
        ));
        assert!(matches!(
            kv.set("k".into(), vec![0; 17], None),
            Err(KvRefusal::ValueTooLarge(m)) if m.contains("cap of 16")
        ));
        for key in ["a", "b", "c"] {
            kv.set(key.into(), vec![0; 16], None).unwrap();
        }
        assert!(matches!(
            kv.set("d".into(), vec![], None),
            Err(KvRefusal::QuotaExceeded(m)) if m.contains("3 keys")
        ));
        // Replacing a key needs no new room in keys.
        kv.set("a".into(), vec![1; 16], None).unwrap();
        let big = KvStore::new(KvLimits {
            max_bytes: 20,
            ..limits()
        });
        big.set("a".into(), vec![0; 16], None).unwrap();
        assert!(matches!(
            big.set("b".into(), vec![0; 16], None),
            Err(KvRefusal::QuotaExceeded(m)) if m.contains("cap of 20 bytes")
        ));
    }

    #[test]
    fn entries_expire_and_free_their_room() {
        let kv = KvStore::new(limits());
        kv.set("a".into(), vec![0; 16], Some(Duration::from_millis(20)))
            .unwrap();
        kv.set("b".into(), vec![0; 16], None).unwrap();
        kv.set("c".into(), vec![0; 16], None).unwrap();
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(kv.get("a"), None);
        assert_eq!(kv.keys("", 10), ["b", "c"]);
        // The expired entry is swept to make room.
        kv.set("d".into(), vec![0; 16], None).unwrap();
        assert!(!kv.delete("a"));
    }

    #[test]
    fn increment_is_decimal_and_checked() {
        let kv = KvStore::new(KvLimits {
            max_value_bytes: 32,
            ..limits()
        });
        assert_eq!(kv.increment("n".into(), 1), Ok(1));
        assert_eq!(kv.increment("n".into(), 41), Ok(42));
        assert_eq!(kv.get("n").as_deref(), Some(&b"42"[..]));
        kv.set("t".into(), b"text".to_vec(), None).unwrap();
        assert!(matches!(
            kv.increment("t".into(), 1),
            Err(KvRefusal::NotANumber(_))
        ));
        kv.set("m".into(), i64::MAX.to_string().into_bytes(), None)
            .unwrap();
        assert!(matches!(
            kv.increment("m".into(), 1),
            Err(KvRefusal::NotANumber(m)) if m.contains("overflows")
        ));
    }

    #[test]
    fn increments_from_many_threads_all_count() {
        let kv = Arc::new(KvStore::new(limits()));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let kv = kv.clone();
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        kv.increment("n".into(), 1).unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(kv.get("n").as_deref(), Some(&b"4000"[..]));
    }

    #[test]
    fn stores_are_per_name_and_kept_across_reloads() {
        let stores = KvStores::default();
        let a = stores.of("a", limits());
        a.set("k".into(), b"1".to_vec(), None).unwrap();
        assert_eq!(stores.of("b", limits()).get("k"), None);
        let again = stores.of(
            "a",
            KvLimits {
                max_value_bytes: 1,
                ..limits()
            },
        );
        assert_eq!(again.get("k").as_deref(), Some(&b"1"[..]));
        assert!(matches!(
            again.set("k".into(), b"22".to_vec(), None),
            Err(KvRefusal::ValueTooLarge(_))
        ));
    }
}
