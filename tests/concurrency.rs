//! Many tasks calling one plugin at once all get the right answer, with fresh and with pooled
//! instances.

use std::sync::Arc;

use mockforge_component_host::{AuthOutcome, InstanceStrategy, Manifest, Plugin, Request};
use mockforge_component_testkit::{hs256_jwt, unix_now};
use mockforge_component_tests::{host, plugin_dir};
use serde_json::json;

const CALLS: usize = 1000;

async fn jwt(strategy: InstanceStrategy) -> Plugin {
    let dir = plugin_dir("auth-jwt");
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).unwrap();
    manifest.component_mut().unwrap().instances.strategy = Some(strategy);
    manifest.component_mut().unwrap().limits.max_instances = Some(8);
    manifest.component_mut().unwrap().limits.timeout_ms = Some(10_000);
    let bytes = std::fs::read(dir.join(&manifest.component().unwrap().component)).unwrap();
    host().load_bytes(bytes, manifest, &dir).await.unwrap()
}

async fn many_concurrent_calls(plugin: Plugin) {
    let requests: Vec<(Arc<Request>, Option<String>)> = (0..CALLS)
        .map(|i| {
            if i % 3 == 0 {
                let request = Request::new("GET", "/").with_header("authorization", "Bearer nope");
                (Arc::new(request), None)
            } else {
                let subject = format!("user-{i}");
                let claims = json!({"sub": subject, "exp": unix_now() + 600});
                let token = hs256_jwt(b"mockforge-demo-secret", &claims);
                let request = Request::new("GET", "/")
                    .with_header("authorization", format!("Bearer {token}"));
                (Arc::new(request), Some(subject))
            }
        })
        .collect();
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(request, expected)| {
            let plugin = plugin.clone();
            tokio::spawn(async move { (plugin.authenticate(request).await, expected) })
        })
        .collect();
    for task in tasks {
        let (outcome, expected) = task.await.expect("no task panics");
        match (outcome.expect("every call succeeds"), expected) {
            (AuthOutcome::Allow(identity), Some(subject)) => assert_eq!(identity.subject, subject),
            (AuthOutcome::Deny(denial), None) => assert_eq!(denial.reason, "malformed token"),
            (outcome, expected) => panic!("expected {expected:?}, got {outcome:?}"),
        }
    }
    let metrics = plugin.metrics();
    assert_eq!(metrics.calls, CALLS as u64);
    assert_eq!(metrics.error_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_calls_on_fresh_instances() {
    many_concurrent_calls(jwt(InstanceStrategy::Fresh).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_calls_on_pooled_instances() {
    let plugin = jwt(InstanceStrategy::Pooled).await;
    many_concurrent_calls(plugin.clone()).await;
    let warm = plugin.warm_instances();
    assert!(
        (1..=4).contains(&warm),
        "pool of 4 warm instances at most, kept {warm}"
    );
}
