//! The example response plugins, built from guests/rust, called through the public API.

use mockforge_component_host::{CapabilityPolicy, HostConfig, Manifest, Request, Response};
use mockforge_component_tests::{captured_logs, host_with, load, plugin_dir};
use serde_json::{json, Value};

fn json_body(response: &Response) -> Value {
    serde_json::from_slice(&response.body).unwrap_or_else(|e| {
        panic!(
            "body is not JSON ({e}): {}",
            String::from_utf8_lossy(&response.body)
        )
    })
}

#[tokio::test]
async fn template_renders_request_fields_into_json() {
    let plugin = load("response-template").await;
    let request = Request::new("GET", "/users/42?page=3")
        .with_header("User-Agent", "curl/8 \"quoted\"")
        .with_route("/users/{id}", [("id".to_owned(), "42".to_owned())]);
    let response = plugin
        .respond(request)
        .await
        .unwrap()
        .expect("the route matches");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = json_body(&response);
    assert_eq!(body["id"], "42");
    assert_eq!(body["method"], "GET");
    assert_eq!(
        body["agent"], "curl/8 \"quoted\"",
        "values are JSON-escaped"
    );
    let request_id = body["request_id"].as_str().unwrap();
    assert_eq!(request_id.len(), 36, "{request_id}");
    assert_eq!(&request_id[14..15], "4", "a v4 uuid: {request_id}");
    let at = body["at"].as_str().unwrap();
    assert!(at.starts_with("20") && at.ends_with('Z'), "{at}");

    let again = plugin
        .respond(
            Request::new("GET", "/users/42")
                .with_route("/users/{id}", [("id".to_owned(), "42".to_owned())]),
        )
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        json_body(&again)["request_id"],
        body["request_id"],
        "a fresh uuid per call"
    );
}

#[tokio::test]
async fn template_declines_other_routes() {
    let plugin = load("response-template").await;
    // The host matched another route, or none: the path alone is never matched.
    for request in [
        Request::new("GET", "/orders/1").with_route("/orders/{id}", [("id".into(), "1".into())]),
        Request::new("GET", "/users/1"),
        Request::new("GET", "/users/1/extra")
            .with_route("/users/{id}/extra", [("id".into(), "1".into())]),
    ] {
        assert_eq!(plugin.respond(request).await.unwrap(), None);
    }
}

#[tokio::test]
async fn template_modify_keeps_the_response_and_adds_a_header() {
    let plugin = load("response-template").await;
    let original = Response {
        status: 201,
        headers: vec![("x-a".into(), "1".into()), ("x-a".into(), "2".into())],
        body: b"{\"ok\":true}".to_vec(),
    };
    let modified = plugin
        .modify(Request::new("POST", "/users"), original.clone())
        .await
        .unwrap();
    assert_eq!(modified.status, 201);
    assert_eq!(modified.body, original.body);
    assert_eq!(&modified.headers[..2], &original.headers[..]);
    assert_eq!(
        modified.header("x-mockforge-plugin"),
        Some("response-template")
    );
}

#[tokio::test]
async fn echo_sees_config_and_every_request_field() {
    let logs = captured_logs();
    let plugin = load("echo-config").await;
    let body = vec![0xffu8; 1 << 20];
    let request = Request::new("POST", "/caf%C3%A9/ünï?x=a%20b&y=2")
        .with_header("X-Dup", "one")
        .with_header("x-dup", "two")
        .with_header("X-Name", "Zoë ☃")
        .with_body(body)
        .with_client_addr("127.0.0.1:5555");
    let response = plugin
        .respond(request)
        .await
        .unwrap()
        .expect("echo always answers");
    let echoed = json_body(&response);
    assert_eq!(
        echoed["config"],
        json!({"answer": "42", "enabled": "true", "greeting": "hello", "ratio": "0.5"})
    );
    assert_eq!(echoed["method"], "POST");
    assert_eq!(echoed["path"], "/caf%C3%A9/ünï");
    assert_eq!(echoed["query"], "x=a%20b&y=2");
    assert_eq!(echoed["query_param_x"], "a b");
    assert_eq!(
        echoed["headers"],
        json!([["X-Dup", "one"], ["x-dup", "two"], ["X-Name", "Zoë ☃"]])
    );
    assert_eq!(echoed["body_len"], 1 << 20);
    assert_eq!(echoed["client_addr"], "127.0.0.1:5555");

    let text = logs.text();
    assert!(
        text.lines().any(|l| l.contains("echo-config called")
            && l.contains("echo-config")
            && l.contains("ünï")),
        "no log record with the path field:\n{text}"
    );
}

#[tokio::test]
async fn echo_handles_an_empty_request() {
    let plugin = load("echo-config").await;
    let response = plugin
        .respond(Request::new("GET", "/"))
        .await
        .unwrap()
        .unwrap();
    let echoed = json_body(&response);
    assert_eq!(echoed["headers"], json!([]));
    assert_eq!(echoed["body_len"], 0);
    assert_eq!(echoed["client_addr"], Value::Null);
    assert_eq!(echoed["query_param_x"], Value::Null);
    assert_eq!(
        echoed["env"],
        json!({}),
        "nothing of the host's environment leaks"
    );
}

#[tokio::test]
async fn a_granted_environment_variable_reaches_the_plugin() {
    let dir = plugin_dir("echo-config");
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).unwrap();
    manifest.component_mut().unwrap().capabilities.env = vec!["ECHO_TZ".into()];
    let bytes = std::fs::read(dir.join(&manifest.component().unwrap().component)).unwrap();
    let policy = CapabilityPolicy::deny_all().allow_env_value("ECHO_TZ", "UTC");
    let host = host_with(HostConfig::default().policy(policy));
    let plugin = host.load_bytes(bytes, manifest, &dir).await.unwrap();
    assert_eq!(
        plugin.info().grant.env,
        [("ECHO_TZ".to_string(), "UTC".to_string())]
    );
    let response = plugin
        .respond(Request::new("GET", "/"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(json_body(&response)["env"], json!({"ECHO_TZ": "UTC"}));
}
