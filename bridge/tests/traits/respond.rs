//! response-template through `Arc<dyn ResponsePlugin>`: it produces for its route and
//! declines elsewhere, and its `respond` runs once per request although MockForge asks twice.

use http::Method;
use mockforge_component_bridge::core::{ResponsePlugin, ResponsePluginConfig};
use mockforge_component_bridge::ComponentPlugin;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

use crate::support::{context, load, response_request};

/// The plugin as MockForge holds it, and the host's handle to watch its call count.
async fn response_template() -> (
    Arc<dyn ResponsePlugin>,
    mockforge_component_bridge::host::Plugin,
) {
    let bridge: ComponentPlugin = load("rust", "response-template").await;
    let handle = bridge.plugin();
    (Arc::new(bridge), handle)
}

#[tokio::test]
async fn it_produces_for_its_route_and_the_plugin_runs_once() {
    let (plugin, handle) = response_template().await;
    let config = ResponsePluginConfig::default();
    plugin.initialize(&config).await.unwrap();
    let context = context();
    let request = response_request(
        Method::GET,
        "/users/42?x=1",
        &[("user-agent", "bridge-test")],
    );

    let can = plugin
        .can_handle(&context, &request, &config)
        .await
        .unwrap();
    assert!(can.is_success() && can.unwrap(), "it handles /users/42");
    let response = plugin
        .generate_response(&context, &request, &config)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.status_code, 200);
    assert_eq!(response.content_type, "application/json");
    let body: Value = response.body_as_json().expect("JSON");
    assert_eq!(body["id"], json!("42"));
    assert_eq!(body["method"], json!("GET"));
    assert_eq!(body["agent"], json!("bridge-test"));
    assert_eq!(
        handle.metrics().calls,
        1,
        "respond ran once for the two questions"
    );
}

#[tokio::test]
async fn it_declines_other_paths() {
    let (plugin, handle) = response_template().await;
    let config = ResponsePluginConfig::default();
    let context = context();
    let request = response_request(Method::GET, "/orders/1", &[]);
    let can = plugin
        .can_handle(&context, &request, &config)
        .await
        .unwrap();
    assert!(can.is_success());
    assert!(!can.unwrap(), "declined");
    let generated = plugin
        .generate_response(&context, &request, &config)
        .await
        .unwrap();
    assert!(!generated.is_success(), "nothing to generate");
    assert!(
        generated.error().unwrap().contains("response-template"),
        "{:?}",
        generated.error()
    );
    assert_eq!(
        handle.metrics().calls,
        2,
        "a decline is not kept: asked again"
    );
}

#[tokio::test]
async fn generate_response_without_can_handle_asks_the_plugin() {
    let (plugin, handle) = response_template().await;
    let config = ResponsePluginConfig::default();
    let request = response_request(Method::GET, "/users/9", &[]);
    let response = plugin
        .generate_response(&context(), &request, &config)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.body_as_json().unwrap()["id"], json!("9"));
    assert_eq!(handle.metrics().calls, 1);
}

#[tokio::test]
async fn an_answer_is_for_its_own_request_id_only() {
    let (plugin, handle) = response_template().await;
    let config = ResponsePluginConfig::default();
    let first = context();
    let request = response_request(Method::GET, "/users/1", &[]);
    assert!(plugin
        .can_handle(&first, &request, &config)
        .await
        .unwrap()
        .unwrap());
    // Another request (another id, another path): its own answer, not the kept one.
    let other = response_request(Method::GET, "/users/2", &[]);
    let response = plugin
        .generate_response(&context(), &other, &config)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.body_as_json().unwrap()["id"], json!("2"));
    // The first request's answer is still there for it.
    let response = plugin
        .generate_response(&first, &request, &config)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.body_as_json().unwrap()["id"], json!("1"));
    assert_eq!(handle.metrics().calls, 2);
}

#[tokio::test]
async fn initialize_reconfigures_the_route() {
    let (plugin, _) = response_template().await;
    let config = ResponsePluginConfig {
        config: HashMap::from([
            ("route".to_string(), json!("/teams/{id}")),
            ("status".to_string(), json!(203)),
        ]),
        priority: 7,
        ..ResponsePluginConfig::default()
    };
    plugin.initialize(&config).await.unwrap();
    assert_eq!(plugin.priority(), 7);
    let context = context();
    let old = response_request(Method::GET, "/users/1", &[]);
    assert!(!plugin
        .can_handle(&context, &old, &config)
        .await
        .unwrap()
        .unwrap());
    let new = response_request(Method::GET, "/teams/5", &[]);
    assert!(plugin
        .can_handle(&context, &new, &config)
        .await
        .unwrap()
        .unwrap());
    let response = plugin
        .generate_response(&context, &new, &config)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.status_code, 203);
    assert_eq!(response.body_as_json().unwrap()["id"], json!("5"));
}

#[tokio::test]
async fn a_request_id_reused_for_another_request_does_not_hand_over_its_answer() {
    let (plugin, handle) = response_template().await;
    let config = ResponsePluginConfig::default();
    let shared = context();
    let alice = response_request(Method::GET, "/users/1", &[("user-agent", "alice")]);
    let bob = response_request(Method::GET, "/users/1", &[("user-agent", "bob")]);
    assert!(plugin
        .can_handle(&shared, &alice, &config)
        .await
        .unwrap()
        .unwrap());
    assert!(plugin
        .can_handle(&shared, &bob, &config)
        .await
        .unwrap()
        .unwrap());
    for (request, agent) in [(&alice, "alice"), (&bob, "bob")] {
        let response = plugin
            .generate_response(&shared, request, &config)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(response.body_as_json().unwrap()["agent"], json!(agent));
    }
    assert_eq!(
        handle.metrics().calls,
        3,
        "alice's answer was replaced: asked again"
    );
}
