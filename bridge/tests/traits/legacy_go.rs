//! A legacy core module built with standard Go (`guests/go-legacy`, wasip1, adapted by the host on
//! load) through the same `Box<dyn AuthPlugin>`.

use mockforge_component_bridge::core::{AuthPlugin, AuthPluginConfig};
use mockforge_component_bridge::DENIAL_STATUS_KEY;
use mockforge_component_testkit::{hs256_jwt, unix_now};
use serde_json::json;

use crate::support::{bearer, context, load, DEMO_SECRET};

#[tokio::test]
async fn the_go_jwt_plugin_allows_a_valid_token_and_denies_a_forged_one() {
    let plugin: Box<dyn AuthPlugin> = Box::new(load("go-legacy", "auth-jwt").await);
    let config = AuthPluginConfig::default();
    plugin.initialize(&config).await.expect("initialize");

    let valid = hs256_jwt(
        DEMO_SECRET,
        &json!({"sub": "gopher", "exp": unix_now() + 600}),
    );
    let response = plugin
        .authenticate(&context(), &bearer(&valid), &config)
        .await
        .expect("a verdict")
        .unwrap();
    assert!(response.is_authenticated(), "{response:?}");
    assert_eq!(response.identity().unwrap().user_id, "gopher");
    assert_eq!(response.claims()["sub"], json!("gopher"));

    let forged = hs256_jwt(b"wrong", &json!({"sub": "gopher", "exp": unix_now() + 600}));
    let response = plugin
        .authenticate(&context(), &bearer(&forged), &config)
        .await
        .expect("a verdict")
        .unwrap();
    assert!(!response.is_authenticated());
    assert_eq!(response.metadata[DENIAL_STATUS_KEY], json!(401));
}
