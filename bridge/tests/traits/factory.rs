//! MockForge's factory traits: plugins of the kinds the loaded plugin offers, sharing it.

use http::Method;
use mockforge_component_bridge::core::response::{
    ResponseModifierPluginFactory, ResponsePluginFactory,
};
use mockforge_component_bridge::core::{
    AuthPluginConfig, AuthPluginFactory, PluginError, ResponsePluginConfig,
};
use mockforge_component_bridge::ComponentPluginFactory;
use mockforge_component_testkit::{hs256_jwt, unix_now};
use serde_json::json;

use crate::support::{bearer, context, host, plugin_dir, response_request, DEMO_SECRET};

#[tokio::test]
async fn a_factory_creates_the_kinds_its_plugin_offers() {
    let factory = ComponentPluginFactory::load(&host(), plugin_dir("rust", "auth-jwt"))
        .await
        .unwrap();
    let auth = AuthPluginFactory::create_plugin(&factory).expect("an auth plugin");
    let jwt = hs256_jwt(DEMO_SECRET, &json!({"sub": "made", "exp": unix_now() + 60}));
    let response = auth
        .authenticate(&context(), &bearer(&jwt), &AuthPluginConfig::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.identity().unwrap().user_id, "made");

    for result in [
        ResponsePluginFactory::create_plugin(&factory).map(|_| ()),
        ResponseModifierPluginFactory::create_plugin(&factory).map(|_| ()),
    ] {
        let Err(PluginError::ExecutionError { message }) = result else {
            panic!("an auth plugin made into a response plugin: {result:?}");
        };
        assert!(
            message.contains("auth-jwt") && message.contains("auth plugin"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn plugins_from_one_factory_are_configured_apart() {
    let factory = ComponentPluginFactory::load(&host(), plugin_dir("rust", "response-template"))
        .await
        .unwrap();
    let teams = ResponsePluginFactory::create_plugin(&factory).unwrap();
    let users = ResponsePluginFactory::create_plugin(&factory).unwrap();
    let teams_config = ResponsePluginConfig {
        config: [("route".to_string(), json!("/teams/{id}"))].into(),
        ..ResponsePluginConfig::default()
    };
    teams.initialize(&teams_config).await.unwrap();
    let config = ResponsePluginConfig::default();
    let request = response_request(Method::GET, "/users/1", &[]);
    assert!(users
        .can_handle(&context(), &request, &config)
        .await
        .unwrap()
        .unwrap());
    assert!(!teams
        .can_handle(&context(), &request, &teams_config)
        .await
        .unwrap()
        .unwrap());
}
