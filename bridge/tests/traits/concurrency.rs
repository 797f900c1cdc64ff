//! 200 concurrent calls through one trait object: each gets its own answer.

use std::sync::Arc;

use http::Method;
use mockforge_component_bridge::core::{
    AuthPlugin, AuthPluginConfig, ResponsePlugin, ResponsePluginConfig,
};
use mockforge_component_testkit::{hs256_jwt, unix_now};
use serde_json::json;

use crate::support::{bearer, context, load, response_request, DEMO_SECRET};

const CALLS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_authentications_each_get_their_own_identity() {
    let plugin: Arc<dyn AuthPlugin> = Arc::new(load("rust", "auth-jwt").await);
    let tasks: Vec<_> = (0..CALLS)
        .map(|i| {
            let plugin = Arc::clone(&plugin);
            tokio::spawn(async move {
                let subject = format!("user-{i}");
                let valid = i % 4 != 0;
                let secret: &[u8] = if valid { DEMO_SECRET } else { b"forged" };
                let jwt = hs256_jwt(secret, &json!({"sub": subject, "exp": unix_now() + 600}));
                let response = plugin
                    .authenticate(&context(), &bearer(&jwt), &AuthPluginConfig::default())
                    .await
                    .expect("a verdict")
                    .unwrap();
                assert_eq!(response.is_authenticated(), valid, "call {i}");
                if valid {
                    assert_eq!(response.identity().unwrap().user_id, subject);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("no task panicked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_requests_each_generate_their_own_response() {
    let plugin: Arc<dyn ResponsePlugin> = Arc::new(load("rust", "response-template").await);
    let tasks: Vec<_> = (0..CALLS)
        .map(|i| {
            let plugin = Arc::clone(&plugin);
            tokio::spawn(async move {
                let config = ResponsePluginConfig::default();
                let context = context();
                let request = response_request(Method::GET, &format!("/users/{i}"), &[]);
                assert!(plugin
                    .can_handle(&context, &request, &config)
                    .await
                    .unwrap()
                    .unwrap());
                tokio::task::yield_now().await;
                let response = plugin
                    .generate_response(&context, &request, &config)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(response.body_as_json().unwrap()["id"], json!(i.to_string()));
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("no task panicked");
    }
}
