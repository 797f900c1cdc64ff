//! A modifier (the `flaky` test plugin, whose `modify` adds `x-flaky: <subject>`) through
//! `Box<dyn ResponseModifierPlugin>`.

use std::collections::HashMap;

use http::Method;
use mockforge_component_bridge::core::{
    ResponseData, ResponseModifierConfig, ResponseModifierPlugin,
};
use serde_json::json;

use crate::support::{context, load, response_request};

async fn flaky() -> Box<dyn ResponseModifierPlugin> {
    Box::new(load("rust", "flaky").await)
}

fn mock_response() -> ResponseData {
    ResponseData::json(200, &json!({"ok": true}))
        .unwrap()
        .with_header("x-mock", "1")
        .with_metadata("route", json!("/orders"))
        .with_custom("trace", json!("t-1"))
}

/// The plugin's modification of [`mock_response`] to `GET /`.
async fn modify_mock(
    plugin: &dyn ResponseModifierPlugin,
    config: &ResponseModifierConfig,
) -> ResponseData {
    plugin
        .modify_response(
            &context(),
            &response_request(Method::GET, "/", &[]),
            mock_response(),
            config,
        )
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn it_modifies_the_response_and_keeps_mockforges_values() {
    let plugin = flaky().await;
    let config = ResponseModifierConfig::default();
    plugin.initialize(&config).await.unwrap();
    let request = response_request(Method::GET, "/orders", &[]);
    let response = mock_response();
    let context = context();
    assert!(plugin
        .should_modify(&context, &request, &response, &config)
        .await
        .unwrap()
        .unwrap());
    let modified = plugin
        .modify_response(&context, &request, response, &config)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(modified.status_code, 200);
    assert_eq!(modified.headers["x-flaky"], "flaky");
    assert_eq!(modified.headers["x-mock"], "1");
    assert_eq!(modified.content_type, "application/json");
    assert_eq!(modified.body_as_json().unwrap(), json!({"ok": true}));
    assert_eq!(modified.metadata["route"], json!("/orders"));
    assert_eq!(modified.custom["trace"], json!("t-1"));
}

#[tokio::test]
async fn the_modifier_reads_the_config_initialize_gave_it() {
    let plugin = flaky().await;
    let config = ResponseModifierConfig {
        config: HashMap::from([("subject".to_string(), json!("mockforge"))]),
        ..ResponseModifierConfig::default()
    };
    plugin.initialize(&config).await.unwrap();
    let modified = modify_mock(&*plugin, &config).await;
    assert_eq!(modified.headers["x-flaky"], "mockforge");
}

#[tokio::test]
async fn an_auth_only_plugin_does_not_modify() {
    let plugin: Box<dyn ResponseModifierPlugin> = Box::new(load("rust", "auth-jwt").await);
    let config = ResponseModifierConfig::default();
    let request = response_request(Method::GET, "/", &[]);
    assert!(!plugin
        .should_modify(&context(), &request, &mock_response(), &config)
        .await
        .unwrap()
        .unwrap());
}

#[tokio::test]
async fn each_initialize_applies_its_config_over_the_manifests() {
    let plugin = flaky().await;
    let mut seen = Vec::new();
    for subject in [Some("first"), Some("second"), None] {
        let config = ResponseModifierConfig {
            config: subject
                .map(|s| HashMap::from([("subject".to_string(), json!(s))]))
                .unwrap_or_default(),
            ..ResponseModifierConfig::default()
        };
        plugin.initialize(&config).await.expect("initialize");
        let modified = modify_mock(&*plugin, &config).await;
        seen.push(modified.headers["x-flaky"].clone());
    }
    assert_eq!(
        seen,
        ["first", "second", "flaky"],
        "an empty config is the manifest's"
    );
}
