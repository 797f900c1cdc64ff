//! Remote plugins: the Python SDK's examples under uvicorn on 127.0.0.1, loaded from a plugin
//! folder whose manifest has a `[remote]` table, through the same trait objects.

use std::collections::HashMap;

use http::Method;
use mockforge_component_bridge::core::{
    AuthPlugin, AuthPluginConfig, PluginError, ResponseData, ResponseModifierConfig,
    ResponseModifierPlugin, ResponsePlugin, ResponsePluginConfig,
};
use mockforge_component_bridge::{ComponentPlugin, DENIAL_STATUS_KEY};
use mockforge_component_testkit::{free_port, ChildProcess, RemoteExamples, TempDir};
use serde_json::json;

use crate::support::{auth_request, context, host, repo_root, response_request, temp_dir};

const SECRET: &str = "bridge-remote-secret";

/// `guests/python/remote-examples/<module>.py` under uvicorn on a free port; fails naming the
/// recipe when the Python SDK is not installed.
fn uvicorn(module: &str) -> (ChildProcess, u16) {
    let port = free_port();
    let server = RemoteExamples::of_checkout(&repo_root())
        .and_then(|examples| examples.uvicorn(module, port, SECRET, &[]))
        .unwrap_or_else(|e| panic!("{e}"));
    (server, port)
}

/// A plugin folder holding only a remote manifest for `127.0.0.1:port`.
fn remote_folder(name: &str, kind: &str, port: u16) -> TempDir {
    let dir = temp_dir(name);
    std::fs::write(
        dir.path().join("plugin.toml"),
        format!(
            "name = \"{name}\"\nversion = \"0.1.0\"\nkind = \"{kind}\"\n\n[remote]\n\
             endpoint = \"http://127.0.0.1:{port}\"\nsecret = \"{SECRET}\"\nhealth-interval-ms = 0\n"
        ),
    )
    .unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_auth_plugin_allows_and_denies_through_dyn_auth_plugin() {
    let (_server, port) = uvicorn("trivial_auth");
    let folder = remote_folder("remote-trivial", "auth", port);
    let plugin: Box<dyn AuthPlugin> = Box::new(
        ComponentPlugin::load(&host(), folder.path())
            .await
            .expect("loads"),
    );
    let config = AuthPluginConfig::default();
    plugin
        .initialize(&config)
        .await
        .expect("the remote answers its probe");
    assert_eq!(
        plugin.capabilities().custom["endpoint"],
        json!(format!("http://127.0.0.1:{port}"))
    );

    let good = auth_request("/", &[("authorization", "Bearer good")]);
    let response = plugin
        .authenticate(&context(), &good, &config)
        .await
        .unwrap()
        .unwrap();
    assert!(response.is_authenticated());
    assert_eq!(response.identity().unwrap().user_id, "good");

    let bad = auth_request("/", &[("authorization", "Bearer bad")]);
    let response = plugin
        .authenticate(&context(), &bad, &config)
        .await
        .unwrap()
        .unwrap();
    assert!(!response.is_authenticated());
    assert_eq!(response.metadata[DENIAL_STATUS_KEY], json!(401));

    let configured = AuthPluginConfig {
        config: HashMap::from([("secret".to_string(), json!("x"))]),
        ..AuthPluginConfig::default()
    };
    let err = plugin.initialize(&configured).await.unwrap_err();
    assert!(
        matches!(&err, PluginError::ConfigurationError { message } if message.contains("remote")),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_response_plugin_produces_declines_and_modifies() {
    let (_server, port) = uvicorn("hello_response");
    let folder = remote_folder("remote-hello", "response", port);
    let host = host();
    let responder: Box<dyn ResponsePlugin> =
        Box::new(ComponentPlugin::load(&host, folder.path()).await.unwrap());
    let config = ResponsePluginConfig::default();
    let context = context();
    let hello = response_request(Method::GET, "/hello/ada?greeting=hi", &[]);
    assert!(responder
        .can_handle(&context, &hello, &config)
        .await
        .unwrap()
        .unwrap());
    let response = responder
        .generate_response(&context, &hello, &config)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.status_code, 200);
    assert_eq!(
        response.body_as_json().unwrap(),
        json!({"message": "hi, ada"})
    );

    let elsewhere = response_request(Method::GET, "/orders", &[]);
    assert!(!responder
        .can_handle(&context, &elsewhere, &config)
        .await
        .unwrap()
        .unwrap());

    let modifier: Box<dyn ResponseModifierPlugin> =
        Box::new(ComponentPlugin::load(&host, folder.path()).await.unwrap());
    let modified = modifier
        .modify_response(
            &context,
            &elsewhere,
            ResponseData::text(200, "mock"),
            &ResponseModifierConfig::default(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(modified.headers["x-modified-by"], "hello-response");
    assert_eq!(modified.body_as_string().as_deref(), Some("mock"));
}
