//! auth-jwt through `Box<dyn AuthPlugin>`: a valid, an expired and a forged token, MockForge's
//! configuration applied by `initialize`, and the capabilities it reports.

use std::collections::HashMap;

use mockforge_component_bridge::core::{AuthPlugin, AuthPluginConfig, PluginError};
use mockforge_component_bridge::{DENIAL_HEADERS_KEY, DENIAL_STATUS_KEY};
use mockforge_component_testkit::{hs256_jwt, unix_now, TempDir};
use serde_json::json;

use crate::support::{bearer, context, load, temp_dir, DEMO_SECRET};

async fn auth_jwt() -> Box<dyn AuthPlugin> {
    Box::new(load("rust", "auth-jwt").await)
}

#[tokio::test]
async fn a_valid_token_is_a_successful_auth_response_with_identity_and_claims() {
    let plugin = auth_jwt().await;
    let config = AuthPluginConfig::default();
    plugin.initialize(&config).await.expect("initialize");
    let jwt = hs256_jwt(
        DEMO_SECRET,
        &json!({
            "sub": "user-7", "preferred_username": "ada", "email": "ada@example.com",
            "name": "Ada L", "roles": ["admin"], "groups": ["eng"], "exp": unix_now() + 600,
            "tenant": {"id": 3}
        }),
    );
    let result = plugin
        .authenticate(&context(), &bearer(&jwt), &config)
        .await
        .expect("no error");
    assert!(result.is_success());
    let response = result.unwrap();
    assert!(response.is_authenticated(), "{response:?}");
    let user = response.identity().expect("an identity");
    assert_eq!(user.user_id, "user-7");
    assert_eq!(user.username.as_deref(), Some("ada"));
    assert_eq!(user.email.as_deref(), Some("ada@example.com"));
    assert_eq!(user.display_name.as_deref(), Some("Ada L"));
    assert!(user.has_role("admin") && user.in_group("eng"));
    assert_eq!(
        response.claims()["tenant"],
        json!({"id": 3}),
        "a claim as a JSON value"
    );
    assert_eq!(response.claims()["sub"], json!("user-7"));
}

#[tokio::test]
async fn an_expired_token_is_a_failure_with_the_status_and_challenge_in_metadata() {
    let plugin = auth_jwt().await;
    let jwt = hs256_jwt(
        DEMO_SECRET,
        &json!({"sub": "user-7", "exp": unix_now() - 60}),
    );
    let response = plugin
        .authenticate(&context(), &bearer(&jwt), &AuthPluginConfig::default())
        .await
        .expect("a verdict, not an error")
        .unwrap();
    assert!(!response.is_authenticated());
    assert!(response.identity().is_none());
    assert_eq!(response.error_message(), Some("token expired"));
    assert_eq!(response.metadata[DENIAL_STATUS_KEY], json!(401));
    let headers = response.metadata[DENIAL_HEADERS_KEY]
        .as_array()
        .expect("an array of pairs");
    assert!(
        headers
            .iter()
            .any(|pair| pair[0] == "WWW-Authenticate"
                && pair[1].as_str().unwrap().starts_with("Bearer")),
        "{headers:?}"
    );
}

#[tokio::test]
async fn a_forged_token_is_a_failure() {
    let plugin = auth_jwt().await;
    let forged = hs256_jwt(
        b"not-the-secret",
        &json!({"sub": "mallory", "exp": unix_now() + 600}),
    );
    let response = plugin
        .authenticate(&context(), &bearer(&forged), &AuthPluginConfig::default())
        .await
        .unwrap()
        .unwrap();
    assert!(!response.is_authenticated());
    assert_eq!(response.error_message(), Some("invalid signature"));
    assert_eq!(response.metadata[DENIAL_STATUS_KEY], json!(401));
}

#[tokio::test]
async fn initialize_makes_mockforges_config_the_plugins_config() {
    let plugin = auth_jwt().await;
    let config = AuthPluginConfig {
        config: HashMap::from([
            ("secret".to_string(), json!("mockforge-configured-secret")),
            ("leeway-seconds".to_string(), json!(120)),
        ]),
        ..AuthPluginConfig::default()
    };
    plugin.validate_config(&config).expect("valid");
    plugin.initialize(&config).await.expect("initialize");
    let claims = json!({"sub": "configured", "exp": unix_now() - 60});
    let with_new_secret = hs256_jwt(b"mockforge-configured-secret", &claims);
    let response = plugin
        .authenticate(&context(), &bearer(&with_new_secret), &config)
        .await
        .unwrap()
        .unwrap();
    assert!(
        response.is_authenticated(),
        "the new secret verifies and the leeway covers the minute: {response:?}"
    );
    let with_demo_secret = hs256_jwt(DEMO_SECRET, &claims);
    let response = plugin
        .authenticate(&context(), &bearer(&with_demo_secret), &config)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.error_message(), Some("invalid signature"));
}

#[tokio::test]
async fn a_config_value_a_manifest_cannot_hold_is_refused_naming_the_key() {
    let plugin = auth_jwt().await;
    let config = AuthPluginConfig {
        config: HashMap::from([("secret".to_string(), json!({"nested": true}))]),
        ..AuthPluginConfig::default()
    };
    for result in [
        plugin.validate_config(&config),
        plugin.initialize(&config).await,
    ] {
        let Err(PluginError::ConfigurationError { message }) = result else {
            panic!("not a configuration error: {result:?}");
        };
        assert!(
            message.contains("auth-jwt") && message.contains("`secret`"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn an_empty_secret_from_mockforge_is_the_plugins_configuration_error_on_its_call() {
    let plugin = auth_jwt().await;
    let config = AuthPluginConfig {
        config: HashMap::from([("secret".to_string(), json!(""))]),
        ..AuthPluginConfig::default()
    };
    plugin
        .initialize(&config)
        .await
        .expect("the component starts");
    let jwt = hs256_jwt(DEMO_SECRET, &json!({"sub": "x", "exp": unix_now() + 60}));
    let err = plugin
        .authenticate(&context(), &bearer(&jwt), &config)
        .await
        .expect_err("an empty secret is the plugin's configuration error");
    let PluginError::ConfigurationError { message } = err else {
        panic!("not a configuration error: {err:?}");
    };
    assert!(message.starts_with("plugin `auth-jwt`: "), "{message}");
}

#[tokio::test]
async fn capabilities_report_the_limits_the_host_enforces() {
    let dir = tempdir_with_limits();
    let plugin: Box<dyn AuthPlugin> = Box::new(
        mockforge_component_bridge::ComponentPlugin::load(&crate::support::host(), dir.path())
            .await
            .unwrap(),
    );
    let capabilities = plugin.capabilities();
    assert_eq!(capabilities.resources.max_memory_bytes, 24 << 20);
    assert_eq!(capabilities.resources.max_execution_time_ms, 250);
    assert_eq!(capabilities.resources.max_concurrent_executions, 3);
    assert!(!capabilities.network.allow_http);
    assert!(capabilities.filesystem.read_paths.is_empty());
    assert!(capabilities.filesystem.write_paths.is_empty());
    assert_eq!(capabilities.custom["kind"], json!("auth"));
    assert_eq!(capabilities.custom["instances"], json!("pooled"));
    assert_eq!(capabilities.custom["pool-size"], json!(2));
    assert_eq!(capabilities.custom["env"], json!([]));
}

/// A copy of auth-jwt whose manifest asks for limits and a warm pool.
fn tempdir_with_limits() -> TempDir {
    let source = crate::support::plugin_dir("rust", "auth-jwt");
    let dir = temp_dir("limits");
    std::fs::copy(source.join("plugin.wasm"), dir.path().join("plugin.wasm")).unwrap();
    let manifest = std::fs::read_to_string(source.join("plugin.toml")).unwrap();
    std::fs::write(
        dir.path().join("plugin.toml"),
        format!(
            "{manifest}\n[limits]\nmemory-mib = 24\ntimeout-ms = 250\nmax-instances = 3\n\n\
             [instances]\nstrategy = \"pooled\"\npool-size = 2\n"
        ),
    )
    .unwrap();
    dir
}

#[tokio::test]
async fn a_signed_plugin_under_require_cannot_be_given_other_config() {
    use mockforge_component_bridge::host::{sign_plugin, HostConfig, PrivateKey, SignaturePolicy};

    let source = crate::support::plugin_dir("rust", "auth-jwt");
    let dir = temp_dir("signed");
    for file in ["plugin.wasm", "plugin.toml"] {
        std::fs::copy(source.join(file), dir.path().join(file)).unwrap();
    }
    let key = PrivateKey::generate().unwrap();
    sign_plugin(dir.path(), &key).await.expect("signed");
    let host = crate::support::host_with(
        HostConfig::default()
            .signature_policy(SignaturePolicy::Require)
            .trust_key(key.public_key()),
    );
    let plugin: Box<dyn AuthPlugin> = Box::new(
        mockforge_component_bridge::ComponentPlugin::load(&host, dir.path())
            .await
            .expect("the signed plugin loads"),
    );
    plugin
        .initialize(&AuthPluginConfig::default())
        .await
        .expect("no config to apply: the signed plugin as it is");
    let config = AuthPluginConfig {
        config: HashMap::from([("secret".to_string(), json!("other"))]),
        ..AuthPluginConfig::default()
    };
    let err = plugin.initialize(&config).await.unwrap_err();
    let PluginError::SecurityViolation { violation } = &err else {
        panic!("not a security violation: {err:?}");
    };
    assert!(
        violation.contains("auth-jwt") && violation.contains("signature"),
        "{violation}"
    );
    let jwt = hs256_jwt(
        DEMO_SECRET,
        &json!({"sub": "still", "exp": unix_now() + 60}),
    );
    let response = plugin
        .authenticate(&context(), &bearer(&jwt), &config)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        response.identity().unwrap().user_id,
        "still",
        "the signed configuration stays in force"
    );
}
