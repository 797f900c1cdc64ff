//! The example auth plugins, built from guests/rust, called through the public API.

use mockforge_component_host::{
    AuthOutcome, ComponentManifest, ContractVersion, Denial, Error, Manifest, Plugin, PluginError,
    Request,
};
use mockforge_component_testkit::{hs256_jwt, signed_jwt, unix_now};
use mockforge_component_tests::conformance::vectors::{load_vectors, vectors_dir, ConfigChanges};
use mockforge_component_tests::{captured_logs, host, load, plugin_dir};
use serde_json::json;

const SECRET: &[u8] = b"mockforge-demo-secret";

fn bearer(token: &str) -> Request {
    Request::new("GET", "/orders").with_header("Authorization", format!("Bearer {token}"))
}

async fn deny(plugin: &Plugin, request: Request) -> Denial {
    match plugin
        .authenticate(request)
        .await
        .expect("the call succeeds")
    {
        AuthOutcome::Deny(denial) => denial,
        AuthOutcome::Allow(identity) => panic!("allowed as {identity:?}"),
        AuthOutcome::Abstain => panic!("abstained"),
    }
}

/// The auth-jwt plugin with its manifest's config changed by `edit`.
async fn jwt_with(edit: impl FnOnce(&mut ComponentManifest)) -> Plugin {
    let dir = plugin_dir("auth-jwt");
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).unwrap();
    edit(manifest.component_mut().unwrap());
    let bytes = std::fs::read(dir.join(&manifest.component().unwrap().component)).unwrap();
    host().load_bytes(bytes, manifest, &dir).await.unwrap()
}

#[tokio::test]
async fn jwt_allows_a_good_token_with_its_identity_and_claims() {
    let plugin = load("auth-jwt").await;
    // Written as text: the claim order in the token is what the identity must keep.
    let payload = format!(
        r#"{{"sub":"user-42","preferred_username":"ada","email":"ada@example.com","name":"Ada Lovelace","roles":["admin","dev"],"groups":["eng"],"exp":{},"tenant":{{"id":7}}}}"#,
        unix_now() + 600
    );
    let token = signed_jwt(SECRET, "HS256", &payload);
    let AuthOutcome::Allow(identity) = plugin.authenticate(bearer(&token)).await.unwrap() else {
        panic!("a good token was denied");
    };
    assert_eq!(identity.subject, "user-42");
    assert_eq!(identity.username.as_deref(), Some("ada"));
    assert_eq!(identity.email.as_deref(), Some("ada@example.com"));
    assert_eq!(identity.display_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(identity.roles, ["admin", "dev"]);
    assert_eq!(identity.groups, ["eng"]);
    assert_eq!(identity.claim("tenant"), Some(&json!({"id": 7})));
    let names: Vec<&str> = identity.claims.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "sub",
            "preferred_username",
            "email",
            "name",
            "roles",
            "groups",
            "exp",
            "tenant"
        ],
        "every claim, in token order"
    );
}

#[tokio::test]
async fn jwt_denies_bad_tokens_with_401_and_a_reason() {
    let plugin = load("auth-jwt").await;
    let now = unix_now();
    let good = json!({"sub": "u", "exp": now + 600});
    let valid = hs256_jwt(SECRET, &good);
    // The payload swapped for another, the signature kept.
    let parts: Vec<&str> = valid.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        base64_of(r#"{"sub":"admin","exp":9999999999}"#),
        parts[2]
    );

    for no_bearer in [
        Request::new("GET", "/"),
        Request::new("GET", "/").with_header("authorization", "Basic dTpw"),
    ] {
        assert_eq!(
            plugin.authenticate(no_bearer).await.unwrap(),
            AuthOutcome::Abstain,
            "no bearer credential is another scheme's business"
        );
    }
    let cases = [
        (bearer("not-a-jwt"), "malformed token"),
        (
            bearer(&hs256_jwt(b"another-secret", &good)),
            "invalid signature",
        ),
        (bearer(&tampered), "invalid signature"),
        (
            bearer(&signed_jwt(SECRET, "none", &good.to_string())),
            "unsupported algorithm",
        ),
        (
            bearer(&hs256_jwt(SECRET, &json!({"sub": "u", "exp": now - 60}))),
            "token expired",
        ),
        (
            bearer(&hs256_jwt(SECRET, &json!({"sub": "u", "nbf": now + 600}))),
            "token not yet valid",
        ),
        (
            bearer(&hs256_jwt(SECRET, &json!({"exp": now + 600}))),
            "missing subject",
        ),
    ];
    for (request, reason) in cases {
        let denial = deny(&plugin, request).await;
        assert_eq!(denial.status, 401, "{reason}");
        assert_eq!(denial.reason, reason);
        let challenge = denial
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no WWW-Authenticate for {reason}"));
        assert!(
            challenge.starts_with("Bearer realm=\"mockforge\""),
            "{challenge}"
        );
    }
}

fn base64_of(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[tokio::test]
async fn jwt_config_values_reach_the_plugin() {
    let plugin = jwt_with(|m| {
        m.config.insert("secret".into(), "rotated".into());
        m.config
            .insert("issuer".into(), "https://issuer.example".into());
    })
    .await;
    let claims = json!({"sub": "u", "iss": "https://issuer.example", "exp": unix_now() + 60});
    let token = hs256_jwt(b"rotated", &claims);
    assert!(matches!(
        plugin.authenticate(bearer(&token)).await.unwrap(),
        AuthOutcome::Allow(_)
    ));
    let old_secret = hs256_jwt(SECRET, &claims);
    assert_eq!(
        deny(&plugin, bearer(&old_secret)).await.reason,
        "invalid signature"
    );
    let other_issuer = json!({"sub": "u", "iss": "https://evil.example", "exp": unix_now() + 60});
    let token = hs256_jwt(b"rotated", &other_issuer);
    assert_eq!(deny(&plugin, bearer(&token)).await.reason, "invalid issuer");
}

#[tokio::test]
async fn jwt_without_a_secret_reports_its_own_config_error() {
    let plugin = jwt_with(|m| {
        m.config.remove("secret");
    })
    .await;
    let err = plugin.authenticate(bearer("a.b.c")).await.unwrap_err();
    match err {
        Error::Plugin {
            plugin,
            error: PluginError::InvalidConfig(message),
        } => {
            assert_eq!(plugin, "auth-jwt");
            assert!(message.contains("secret"), "{message}");
        }
        other => panic!("expected the plugin's config error, got {other}"),
    }
}

#[tokio::test]
async fn plugin_logs_reach_tracing_with_the_plugin_name() {
    let logs = captured_logs();
    let plugin = load("auth-jwt").await;
    deny(&plugin, bearer("not-a-jwt")).await;
    let text = logs.text();
    let line = text
        .lines()
        .find(|line| line.contains("malformed token"))
        .unwrap_or_else(|| panic!("no log line from the plugin in:\n{text}"));
    assert!(line.contains("mockforge_plugin"), "{line}");
    assert!(
        line.contains("plugin=\"auth-jwt\"") || line.contains("plugin=auth-jwt"),
        "{line}"
    );
}

#[tokio::test]
async fn api_key_accepts_header_or_query_and_denies_the_rest() {
    let plugin = load("auth-api-key").await;
    let by_header = Request::new("GET", "/").with_header("X-API-Key", "demo-key-bob");
    let AuthOutcome::Allow(identity) = plugin.authenticate(by_header).await.unwrap() else {
        panic!("a good key in the header was denied");
    };
    assert_eq!(identity.subject, "bob");

    let by_query = Request::new("GET", "/items?api_key=demo-key-alice");
    let AuthOutcome::Allow(identity) = plugin.authenticate(by_query).await.unwrap() else {
        panic!("a good key in the query was denied");
    };
    assert_eq!(identity.subject, "alice");

    assert_eq!(
        plugin.authenticate(Request::new("GET", "/")).await.unwrap(),
        AuthOutcome::Abstain,
        "no key at all is another scheme's business"
    );
    let wrong = deny(
        &plugin,
        Request::new("GET", "/").with_header("x-api-key", "demo-key-bo"),
    )
    .await;
    assert_eq!(
        (wrong.status, wrong.reason.as_str()),
        (401, "invalid api key")
    );
    assert!(wrong
        .headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("www-authenticate") && v.starts_with("ApiKey")));
}

#[tokio::test]
async fn trivial_plugin_checks_one_header() {
    let plugin = load("auth-trivial").await;
    let good = Request::new("GET", "/").with_header("authorization", "Bearer good");
    assert!(
        matches!(plugin.authenticate(good).await.unwrap(), AuthOutcome::Allow(i) if i.subject == "good")
    );
    let bad = Request::new("GET", "/").with_header("authorization", "Bearer bad");
    assert_eq!(deny(&plugin, bad).await.status, 401);
}

#[tokio::test]
async fn an_auth_plugin_does_not_respond() {
    let plugin = load("auth-trivial").await;
    let err = plugin.respond(Request::new("GET", "/")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Unsupported {
                operation: "respond",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(plugin.metrics().error_count(), 1);
}

/// The request and configuration changes of case `name` of the 0.2 auth-jwt vectors, read by
/// the conformance suite's own reader.
fn vector_case(name: &str) -> (Request, ConfigChanges) {
    let root = mockforge_component_tests::workspace_root().join("tests/conformance/vectors");
    let file = load_vectors(
        &vectors_dir(&root, ContractVersion::V0_2),
        ContractVersion::V0_2,
    )
    .into_iter()
    .find(|file| file.plugin == "auth-jwt")
    .expect("the 0.2 auth-jwt vectors");
    let case = file
        .cases
        .into_iter()
        .find(|case| case.name == name)
        .unwrap_or_else(|| panic!("no case {name:?}"));
    (case.request(), case.config)
}

#[tokio::test]
async fn jwt_reads_its_keys_from_a_jwks_file_in_a_granted_folder() {
    let (request, config) = vector_case("JWKS: the kid chooses rsa-2");
    let keys = mockforge_component_testkit::TempDir::new("jwks-file").unwrap();
    std::fs::write(
        keys.join("jwks.json"),
        config["jwks"].as_deref().expect("the case's JWKS"),
    )
    .unwrap();
    let host = mockforge_component_tests::host_with(
        mockforge_component_host::HostConfig::default()
            .policy(mockforge_component_host::CapabilityPolicy::deny_all().allow_dir(keys.path())),
    );
    let dir = plugin_dir("auth-jwt");
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).unwrap();
    let component = manifest.component_mut().unwrap();
    component.config.remove("secret");
    component
        .config
        .insert("jwks-file".into(), "/keys/jwks.json".into());
    component
        .capabilities
        .dirs
        .push(mockforge_component_host::DirRequest {
            host: keys.path().to_owned(),
            guest: "/keys".into(),
        });
    let bytes = std::fs::read(dir.join(&component.component)).unwrap();
    let plugin = host.load_bytes(bytes, manifest, &dir).await.unwrap();
    let AuthOutcome::Allow(identity) = plugin.authenticate(request).await.unwrap() else {
        panic!("the token signed by rsa-2 was refused with the JWKS from the file");
    };
    assert!(!identity.subject.is_empty());
    // Without the folder granted, the file cannot be read: a configuration error.
    let denied_host = mockforge_component_tests::host();
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).unwrap();
    let component = manifest.component_mut().unwrap();
    component.config.remove("secret");
    component
        .config
        .insert("jwks-file".into(), "/keys/jwks.json".into());
    let bytes = std::fs::read(dir.join(&component.component)).unwrap();
    let plugin = denied_host.load_bytes(bytes, manifest, &dir).await.unwrap();
    let (request, _) = vector_case("JWKS: the kid chooses rsa-2");
    let err = plugin.authenticate(request).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Plugin {
                error: PluginError::InvalidConfig(_),
                ..
            }
        ),
        "{err}"
    );
}
