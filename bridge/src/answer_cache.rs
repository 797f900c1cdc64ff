//! The answer a response plugin gave in MockForge's `can_handle`, kept until
//! `generate_response` asks for it, so that the plugin's `respond` runs once per request.
//!
//! Entries are keyed by MockForge's request id and checked against a fingerprint of the whole
//! request (method, path, query, headers, body, client address): a request id that MockForge
//! reused for another request does not hand that request this one's answer. They are bounded three ways: an entry expires after a time to live, the number of
//! entries is capped, and so are the body bytes held; past a cap the oldest entries go first.
//! An entry is removed when it is taken, so a request's answer is handed out once.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use std::hash::{DefaultHasher, Hash as _, Hasher as _};

use mockforge_component_host::{Request, Response};

/// How long an answer waits for `generate_response` by default: MockForge asks right after
/// `can_handle`, so an answer older than this belongs to a request that went elsewhere.
pub const DEFAULT_ANSWER_TTL: Duration = Duration::from_secs(10);
/// Answers kept at once by default.
pub const DEFAULT_MAX_ANSWERS: usize = 1024;
/// Body bytes held by the kept answers by default.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 64 << 20;

/// Stale order pairs tolerated beyond twice the live entries before the queue is compacted.
const STALE_SLACK: usize = 16;

/// The bounds of the answer cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerCacheLimits {
    /// How long an answer is kept.
    pub ttl: Duration,
    /// How many answers are kept at once.
    pub max_entries: usize,
    /// How many body bytes the kept answers may hold together; a single answer larger than
    /// this is not kept (the plugin is asked again in `generate_response`).
    pub max_bytes: usize,
}

impl Default for AnswerCacheLimits {
    fn default() -> Self {
        Self {
            ttl: DEFAULT_ANSWER_TTL,
            max_entries: DEFAULT_MAX_ANSWERS,
            max_bytes: DEFAULT_MAX_ANSWER_BYTES,
        }
    }
}

/// Which request an answer is for: MockForge's request id, and a fingerprint of the request as
/// the plugin saw it, as a check that the id was not reused for another request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct AnswerKey {
    pub(crate) request_id: String,
    pub(crate) fingerprint: u64,
}

impl AnswerKey {
    /// The key for `request` under MockForge's `request_id`.
    pub(crate) fn new(request_id: &str, request: &Request) -> Self {
        let mut hasher = DefaultHasher::new();
        request.method.hash(&mut hasher);
        request.path.hash(&mut hasher);
        request.query.hash(&mut hasher);
        request.headers.hash(&mut hasher);
        request.body.hash(&mut hasher);
        request.client_addr.hash(&mut hasher);
        request.id.hash(&mut hasher);
        request.route.hash(&mut hasher);
        request.path_params.hash(&mut hasher);
        // An identity (claims are JSON values, which do not hash) counts as its JSON text.
        serde_json::to_string(&request.identity)
            .unwrap_or_default()
            .hash(&mut hasher);
        Self {
            request_id: request_id.to_owned(),
            fingerprint: hasher.finish(),
        }
    }
}

/// A bounded, expiring map from request to the response a plugin produced for it.
#[derive(Debug)]
pub(crate) struct AnswerCache {
    limits: AnswerCacheLimits,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    entries: HashMap<String, Entry>,
    /// Request ids in insertion order with the sequence number of their entry: a stale pair
    /// (its entry was taken or replaced) is skipped when it reaches the front.
    order: VecDeque<(u64, String)>,
    next_sequence: u64,
    bytes: usize,
}

#[derive(Debug)]
struct Entry {
    sequence: u64,
    inserted: Instant,
    fingerprint: u64,
    response: Response,
}

impl State {
    /// Removes the oldest live entry; false when there is none.
    fn evict_oldest(&mut self) -> bool {
        while let Some((sequence, id)) = self.order.pop_front() {
            if self
                .entries
                .get(&id)
                .is_some_and(|e| e.sequence == sequence)
            {
                self.remove(&id);
                return true;
            }
        }
        false
    }

    fn remove(&mut self, id: &str) -> Option<Entry> {
        let entry = self.entries.remove(id)?;
        self.bytes -= entry.response.body.len();
        Some(entry)
    }

    /// Drops the stale order pairs (of answers taken or replaced) once they outnumber the live
    /// ones: a live entry at the front keeps `expire` from reaching them, and a request id
    /// answered again and again would otherwise grow the queue without bound.
    fn compact(&mut self) {
        if self.order.len() > 2 * self.entries.len() + STALE_SLACK {
            let entries = &self.entries;
            self.order
                .retain(|(sequence, id)| entries.get(id).is_some_and(|e| e.sequence == *sequence));
        }
    }

    /// Drops expired entries from the front (the oldest first), and stale order pairs.
    fn expire(&mut self, now: Instant, ttl: Duration) {
        while let Some((sequence, id)) = self.order.front() {
            let live = self.entries.get(id).filter(|e| e.sequence == *sequence);
            match live {
                Some(entry) if now.duration_since(entry.inserted) < ttl => break,
                Some(_) => {
                    let id = id.clone();
                    self.order.pop_front();
                    self.remove(&id);
                }
                None => {
                    self.order.pop_front();
                }
            }
        }
    }
}

impl AnswerCache {
    pub(crate) fn new(limits: AnswerCacheLimits) -> Self {
        Self {
            limits,
            state: Mutex::new(State::default()),
        }
    }

    pub(crate) fn limits(&self) -> AnswerCacheLimits {
        self.limits
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps `response` for `key` (replacing an earlier answer for the same request id), making
    /// room by dropping expired and then the oldest entries. An empty request id is not kept:
    /// it cannot tell requests apart.
    pub(crate) fn insert(&self, key: AnswerKey, response: Response) {
        let size = response.body.len();
        if key.request_id.is_empty() || self.limits.max_entries == 0 || size > self.limits.max_bytes
        {
            return;
        }
        let now = Instant::now();
        let mut state = self.state();
        state.expire(now, self.limits.ttl);
        state.remove(&key.request_id);
        while state.entries.len() >= self.limits.max_entries
            || state.bytes + size > self.limits.max_bytes
        {
            if !state.evict_oldest() {
                break;
            }
        }
        let sequence = state.next_sequence;
        state.next_sequence += 1;
        state.order.push_back((sequence, key.request_id.clone()));
        state.bytes += size;
        state.entries.insert(
            key.request_id,
            Entry {
                sequence,
                inserted: now,
                fingerprint: key.fingerprint,
                response,
            },
        );
        state.compact();
    }

    /// The answer kept for `key`, removed; `None` when there is none, it expired, or it was
    /// for another request under the same request id.
    pub(crate) fn take(&self, key: &AnswerKey) -> Option<Response> {
        let now = Instant::now();
        let mut state = self.state();
        state.expire(now, self.limits.ttl);
        let matches = state
            .entries
            .get(&key.request_id)
            .is_some_and(|e| e.fingerprint == key.fingerprint);
        if !matches {
            return None;
        }
        state.remove(&key.request_id).map(|entry| entry.response)
    }

    /// Drops every kept answer.
    pub(crate) fn clear(&self) {
        let mut state = self.state();
        *state = State {
            next_sequence: state.next_sequence,
            ..State::default()
        };
    }

    /// Answers kept now (expired ones included until the next insert or take).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.state().entries.len()
    }

    /// Body bytes held now.
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.state().bytes
    }

    /// Order pairs queued, live or stale: bounded too.
    #[cfg(test)]
    fn queued(&self) -> usize {
        self.state().order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request::new("GET", "/users/7?x=1")
            .with_header("authorization", "Bearer a")
            .with_body("{}")
            .with_client_addr("10.0.0.1")
    }

    fn key(id: &str) -> AnswerKey {
        AnswerKey::new(id, &request())
    }

    fn response(body: &str) -> Response {
        Response {
            status: 200,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    fn cache(ttl: Duration, max_entries: usize, max_bytes: usize) -> AnswerCache {
        AnswerCache::new(AnswerCacheLimits {
            ttl,
            max_entries,
            max_bytes,
        })
    }

    #[test]
    fn an_answer_is_handed_out_once() {
        let cache = cache(Duration::from_secs(60), 8, 1024);
        cache.insert(key("a"), response("for a"));
        assert_eq!(cache.take(&key("a")).unwrap().body, b"for a");
        assert!(cache.take(&key("a")).is_none());
        assert_eq!((cache.len(), cache.bytes()), (0, 0));
    }

    #[test]
    fn another_request_under_the_same_id_is_not_served() {
        let cache = cache(Duration::from_secs(60), 8, 1024);
        cache.insert(key("a"), response("for a"));
        let others = [
            Request {
                method: "POST".into(),
                ..request()
            },
            Request {
                path: "/users/8".into(),
                ..request()
            },
            Request {
                query: "x=2".into(),
                ..request()
            },
            request().with_header("authorization", "Bearer b"),
            Request {
                headers: vec![("authorization".into(), "Bearer b".into())].into(),
                ..request()
            },
            request().with_body("{ }"),
            request().with_client_addr("10.0.0.2"),
            request().with_route("/users/{id}", [("id".to_owned(), "7".to_owned())]),
            request().with_identity(mockforge_component_host::Identity {
                subject: "someone-else".into(),
                ..Default::default()
            }),
        ];
        for other in others {
            assert!(
                cache.take(&AnswerKey::new("a", &other)).is_none(),
                "{other:?}"
            );
        }
        assert!(cache.take(&key("a")).is_some());
    }

    #[test]
    fn entries_expire() {
        let cache = cache(Duration::from_millis(30), 8, 1024);
        cache.insert(key("old"), response("old"));
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.take(&key("old")).is_none());
        assert_eq!((cache.len(), cache.bytes()), (0, 0));
    }

    #[test]
    fn expired_entries_are_dropped_by_later_inserts_without_being_asked_for() {
        let cache = cache(Duration::from_millis(30), 100, 1 << 20);
        for i in 0..50 {
            cache.insert(key(&format!("never-taken-{i}")), response("x"));
        }
        std::thread::sleep(Duration::from_millis(60));
        cache.insert(key("fresh"), response("y"));
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.bytes(), 1);
        assert_eq!(cache.queued(), 1);
    }

    #[test]
    fn the_entry_count_is_capped_dropping_the_oldest() {
        let cache = cache(Duration::from_secs(60), 3, 1 << 20);
        for id in ["1", "2", "3", "4", "5"] {
            cache.insert(key(id), response(id));
        }
        assert_eq!(cache.len(), 3);
        assert!(cache.take(&key("1")).is_none());
        assert!(cache.take(&key("2")).is_none());
        for id in ["3", "4", "5"] {
            assert_eq!(cache.take(&key(id)).unwrap().body, id.as_bytes());
        }
    }

    #[test]
    fn the_bytes_held_are_capped_and_an_oversized_answer_is_not_kept() {
        let cache = cache(Duration::from_secs(60), 100, 10);
        cache.insert(key("a"), response("aaaa"));
        cache.insert(key("b"), response("bbbb"));
        cache.insert(key("c"), response("cccc"));
        assert_eq!(cache.bytes(), 8);
        assert!(cache.take(&key("a")).is_none(), "the oldest made room");
        cache.insert(key("huge"), response("01234567890"));
        assert!(cache.take(&key("huge")).is_none());
        assert_eq!(cache.bytes(), 8);
    }

    #[test]
    fn answers_replaced_or_taken_behind_a_waiting_one_leave_no_bookkeeping_behind() {
        let cache = cache(Duration::from_secs(60), 4, 1 << 20);
        cache.insert(key("waiting"), response("w"));
        for round in 0..10_000 {
            cache.insert(key("same"), response(&round.to_string()));
            let id = format!("taken-{round}");
            cache.insert(key(&id), response("t"));
            assert!(cache.take(&key(&id)).is_some());
        }
        assert_eq!(cache.take(&key("same")).unwrap().body, b"9999");
        assert!(cache.take(&key("waiting")).is_some());
        assert!(
            cache.queued() <= 2 * 4 + STALE_SLACK + 1,
            "{}",
            cache.queued()
        );
    }

    #[test]
    fn clearing_drops_every_answer() {
        let cache = cache(Duration::from_secs(60), 8, 1024);
        cache.insert(key("a"), response("a"));
        cache.insert(key("b"), response("b"));
        cache.clear();
        assert_eq!((cache.len(), cache.bytes(), cache.queued()), (0, 0, 0));
        assert!(cache.take(&key("a")).is_none());
        cache.insert(key("a"), response("again"));
        assert_eq!(cache.take(&key("a")).unwrap().body, b"again");
    }

    #[test]
    fn an_empty_request_id_is_never_kept() {
        let cache = cache(Duration::from_secs(60), 8, 1024);
        cache.insert(key(""), response("anonymous"));
        assert_eq!(cache.len(), 0);
        assert!(cache.take(&key("")).is_none());
    }

    #[test]
    fn a_million_requests_that_never_come_back_keep_the_cache_within_its_caps() {
        let cache = cache(Duration::from_secs(60), 64, 1 << 20);
        for i in 0..1_000_000 {
            cache.insert(key(&i.to_string()), response("body"));
        }
        assert_eq!(cache.len(), 64);
        assert_eq!(cache.bytes(), 64 * 4);
        assert!(cache.queued() <= 64);
    }
}
