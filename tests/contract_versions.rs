//! Contract versions side by side (0.1 frozen, 0.2 current) and what 0.2 adds, through the
//! public API with plugins built from guests/rust: the host tells the versions apart, serves
//! both, and keeps each plugin's key-value store to itself.

use std::path::{Path, PathBuf};

use mockforge_component_host::{
    AuthOutcome, ContractVersion, Identity, Manifest, Plugin, PluginHost, Request, Response,
};
use mockforge_component_testkit::{hs256_jwt, unix_now};
use mockforge_component_tests::{host, plugin_dir, plugins_dir};
use serde_json::json;

fn bearer(token: &str) -> Request {
    Request::new("GET", "/orders").with_header("authorization", format!("Bearer {token}"))
}

/// The frozen 0.1 build of Rust plugin `name` (`target/plugins/rust/0.1/<name>`).
fn frozen_dir(name: &str) -> PathBuf {
    let dir = plugins_dir().join("0.1").join(name);
    assert!(
        dir.join("plugin.toml").is_file(),
        "the 0.1 build of `{name}` is not at {}: run `just build-guests`",
        dir.display()
    );
    dir
}

#[tokio::test]
async fn a_0_1_and_a_0_2_plugin_are_served_side_by_side_with_the_newest_types() {
    let host = host();
    let current = host.load(plugin_dir("auth-jwt")).await.unwrap();
    let frozen = host.load(frozen_dir("auth-jwt")).await.unwrap();
    assert_eq!(current.info().contract, Some(ContractVersion::V0_2));
    assert_eq!(frozen.info().contract, Some(ContractVersion::V0_1));
    assert_eq!(current.info().world, "mockforge:plugin/auth-plugin@0.2.0");
    assert_eq!(frozen.info().world, "mockforge:plugin/auth-plugin@0.1.0");

    let token = hs256_jwt(
        b"mockforge-demo-secret",
        &json!({"sub": "u-1", "exp": unix_now() + 600, "scope": ["a", "b"], "n": 1.5}),
    );
    let mut identities = Vec::new();
    for plugin in [&current, &frozen] {
        let AuthOutcome::Allow(identity) = plugin.authenticate(bearer(&token)).await.unwrap()
        else {
            panic!("{} refused a good token", plugin.info().name)
        };
        identities.push(identity);
    }
    assert_eq!(identities[0].subject, "u-1");
    assert_eq!(
        identities[0].claims, identities[1].claims,
        "0.1's claim pairs arrive as the same object 0.2 gives"
    );
    assert_eq!(identities[0].claim("scope"), Some(&json!(["a", "b"])));

    // Without credentials 0.2 abstains (another scheme's business); 0.1 can only deny.
    let anonymous = Request::new("GET", "/orders");
    assert_eq!(
        current.authenticate(anonymous.clone()).await.unwrap(),
        AuthOutcome::Abstain
    );
    assert!(matches!(
        frozen.authenticate(anonymous).await.unwrap(),
        AuthOutcome::Deny(_)
    ));
}

/// A copy of the kv-crud plugin named `name`, in a folder of its own.
fn kv_crud_named(name: &str) -> (PathBuf, Manifest) {
    let dir = plugin_dir("kv-crud");
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).unwrap();
    manifest.name = name.to_owned();
    (dir, manifest)
}

async fn load_named(host: &PluginHost, name: &str) -> Plugin {
    let (dir, manifest) = kv_crud_named(name);
    let bytes = std::fs::read(dir.join(&manifest.component().unwrap().component)).unwrap();
    host.load_bytes(bytes, manifest, Path::new(&dir))
        .await
        .unwrap()
}

fn items(method: &str, path: &str) -> Request {
    let request = Request::new(method, path);
    match path.strip_prefix("/items/") {
        Some(id) => request.with_route("/items/{id}", [("id".to_owned(), id.to_owned())]),
        None => request.with_route("/items", []),
    }
}

async fn call(plugin: &Plugin, request: Request) -> Response {
    plugin
        .respond(request)
        .await
        .unwrap()
        .expect("kv-crud answers its routes")
}

fn body(response: &Response) -> serde_json::Value {
    serde_json::from_slice(&response.body).unwrap()
}

#[tokio::test]
async fn a_plugins_store_is_shared_by_its_instances_kept_across_loads_and_private_to_it() {
    let host = host();
    let name = format!("kv-crud-{}", std::process::id());
    let plugin = load_named(&host, &name).await;
    let created = call(
        &plugin,
        items("POST", "/items").with_body(r#"{"title":"a"}"#),
    )
    .await;
    assert_eq!(created.status, 201);
    let id = body(&created)["id"].as_str().unwrap().to_owned();

    // Another load of the same plugin (a reload) sees the item: the store is the plugin's.
    let reloaded = load_named(&host, &name).await;
    let read = call(&reloaded, items("GET", &format!("/items/{id}"))).await;
    assert_eq!(
        (read.status, body(&read)),
        (200, json!({"title": "a", "id": id}))
    );

    // Another plugin never sees it.
    let other = load_named(&host, &format!("{name}-other")).await;
    let missing = call(&other, items("GET", &format!("/items/{id}"))).await;
    assert_eq!(missing.status, 404);

    // Concurrent creations through many instances all count: every id is distinct.
    let creations = (0..24).map(|i| {
        let plugin = plugin.clone();
        async move {
            let created = call(
                &plugin,
                items("POST", "/items").with_body(format!(r#"{{"n":{i}}}"#)),
            )
            .await;
            body(&created)["id"].as_str().unwrap().to_owned()
        }
    });
    let mut ids: Vec<String> = futures_join_all(creations).await;
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 24, "{ids:?}");
    let listed = call(&plugin, items("GET", "/items")).await;
    assert_eq!(body(&listed).as_array().unwrap().len(), 25);
}

/// Runs every future on the current runtime at once and collects the results in order.
async fn futures_join_all<F, T>(futures: impl IntoIterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn a_0_2_response_plugin_reads_the_route_context_and_identity_it_is_given() {
    let plugin = host().load(plugin_dir("response-template")).await.unwrap();
    let request = Request::new("GET", "/users/J%C3%BCrgen")
        .with_route("/users/{id}", [("id".to_owned(), "Jürgen".to_owned())])
        .with_identity(Identity {
            subject: "ada".into(),
            ..Identity::default()
        });
    let response = plugin.respond(request).await.unwrap().unwrap();
    assert_eq!(body(&response)["id"], "Jürgen");
    // Another route, or no route at all, is not this plugin's.
    let unrouted = Request::new("GET", "/users/1");
    assert_eq!(plugin.respond(unrouted).await.unwrap(), None);
}
