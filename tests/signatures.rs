//! Plugin integrity: the manifest's `sha256` pin and Ed25519 signatures, on real built plugins
//! copied into a scratch folder (so that they can be signed, tampered with and re-signed).

use std::path::PathBuf;

use mockforge_component_host::{
    sign_plugin, verify_plugin, AuthOutcome, Error, HostConfig, Manifest, PluginHost, PluginKind,
    PrivateKey, PublicKey, Request, SignaturePolicy, SignatureProblem, Tampered,
};
use mockforge_component_testkit::TempDir;
use mockforge_component_tests::{host_with, plugin_dir};

/// A scratch copy of a built plugin's folder, removed when dropped.
struct Scratch {
    dir: TempDir,
}

impl Scratch {
    fn of(plugin: &str, test: &str) -> Self {
        let dir = TempDir::new(&format!("mockforge-signatures-{test}")).unwrap();
        let source = plugin_dir(plugin);
        for file in ["plugin.toml", "plugin.wasm"] {
            std::fs::copy(source.join(file), dir.join(file)).unwrap();
        }
        Self { dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    fn append_to_manifest(&self, text: &str) {
        let mut manifest = std::fs::read_to_string(self.path("plugin.toml")).unwrap();
        manifest.push_str(text);
        std::fs::write(self.path("plugin.toml"), manifest).unwrap();
    }
}

fn requiring(key: &PublicKey) -> PluginHost {
    host_with(
        HostConfig::default()
            .signature_policy(SignaturePolicy::Require)
            .trust_key(key.clone()),
    )
}

fn good_request() -> Request {
    Request::new("GET", "/").with_header("authorization", "Bearer good")
}

fn signature_problem(err: Error, plugin: &str) -> SignatureProblem {
    assert_eq!(err.plugin(), plugin, "{err}");
    match err {
        Error::Signature { problem, .. } => problem,
        other => panic!("expected a signature error, got: {other}"),
    }
}

#[tokio::test]
async fn a_signed_plugin_loads_and_runs_under_require() {
    let scratch = Scratch::of("auth-trivial", "signed");
    let key = PrivateKey::generate().unwrap();
    let signature = sign_plugin(scratch.dir.path(), &key).await.unwrap();
    assert_eq!(signature, scratch.path("plugin.sig"));

    let plugin = requiring(&key.public_key())
        .load(scratch.dir.path())
        .await
        .unwrap();
    assert!(matches!(
        plugin.authenticate(good_request()).await.unwrap(),
        AuthOutcome::Allow(_)
    ));
    // Also when loaded by its component's path or its manifest's path.
    let host = requiring(&key.public_key());
    host.load(scratch.path("plugin.wasm")).await.unwrap();
    host.load(scratch.path("plugin.toml")).await.unwrap();
}

#[tokio::test]
async fn an_unsigned_plugin_is_refused_under_require_and_loads_otherwise() {
    let scratch = Scratch::of("auth-trivial", "unsigned");
    let key = PrivateKey::generate().unwrap().public_key();
    let err = requiring(&key).load(scratch.dir.path()).await.unwrap_err();
    let text = err.to_string();
    assert_eq!(
        signature_problem(err, "auth-trivial"),
        SignatureProblem::Missing {
            path: scratch.path("plugin.sig")
        }
    );
    assert!(text.contains("unsigned"), "{text}");

    let lenient = host_with(
        HostConfig::default()
            .signature_policy(SignaturePolicy::VerifyIfPresent)
            .trust_key(key),
    );
    lenient.load(scratch.dir.path()).await.unwrap();
}

#[tokio::test]
async fn a_flipped_byte_in_the_component_is_refused() {
    let scratch = Scratch::of("auth-trivial", "flipped");
    let key = PrivateKey::generate().unwrap();
    sign_plugin(scratch.dir.path(), &key).await.unwrap();
    let mut bytes = std::fs::read(scratch.path("plugin.wasm")).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(scratch.path("plugin.wasm"), &bytes).unwrap();

    let err = requiring(&key.public_key())
        .load(scratch.dir.path())
        .await
        .unwrap_err();
    assert_eq!(
        signature_problem(err, "auth-trivial"),
        SignatureProblem::Mismatch {
            key_id: key.public_key().id().to_owned(),
            tampered: Tampered::Component
        }
    );
    // A signature that is present is checked under VerifyIfPresent too.
    let lenient = host_with(
        HostConfig::default()
            .signature_policy(SignaturePolicy::VerifyIfPresent)
            .trust_key(key.public_key()),
    );
    assert!(matches!(
        lenient.load(scratch.dir.path()).await.unwrap_err(),
        Error::Signature { .. }
    ));
}

#[tokio::test]
async fn a_signature_by_a_key_not_trusted_is_refused() {
    let scratch = Scratch::of("auth-trivial", "untrusted");
    let signer = PrivateKey::generate().unwrap();
    sign_plugin(scratch.dir.path(), &signer).await.unwrap();
    let trusted = PrivateKey::generate().unwrap().public_key();

    let err = requiring(&trusted)
        .load(scratch.dir.path())
        .await
        .unwrap_err();
    assert_eq!(
        signature_problem(err, "auth-trivial"),
        SignatureProblem::UntrustedKey {
            key_id: signer.public_key().id().to_owned(),
            trusted: 1
        }
    );
    let lenient = host_with(
        HostConfig::default()
            .signature_policy(SignaturePolicy::VerifyIfPresent)
            .trust_key(trusted),
    );
    assert!(lenient.load(scratch.dir.path()).await.is_err());
}

#[tokio::test]
async fn a_manifest_widened_after_signing_is_refused() {
    let scratch = Scratch::of("auth-trivial", "widened");
    let key = PrivateKey::generate().unwrap();
    sign_plugin(scratch.dir.path(), &key).await.unwrap();
    scratch.append_to_manifest("\n[capabilities]\nenv = [\"HOME\"]\n");

    let err = requiring(&key.public_key())
        .load(scratch.dir.path())
        .await
        .unwrap_err();
    assert_eq!(
        signature_problem(err, "auth-trivial"),
        SignatureProblem::Mismatch {
            key_id: key.public_key().id().to_owned(),
            tampered: Tampered::Manifest
        }
    );
    // Re-signed, it loads (the policy then decides the capability on its own).
    sign_plugin(scratch.dir.path(), &key).await.unwrap();
    let host = host_with(
        HostConfig::default()
            .signature_policy(SignaturePolicy::Require)
            .trust_key(key.public_key())
            .policy(mockforge_component_host::CapabilityPolicy::deny_all().allow_env("HOME")),
    );
    host.load(scratch.dir.path()).await.unwrap();
}

#[tokio::test]
async fn a_forged_or_garbled_signature_file_is_refused() {
    let scratch = Scratch::of("auth-trivial", "forged");
    let key = PrivateKey::generate().unwrap();
    sign_plugin(scratch.dir.path(), &key).await.unwrap();
    let host = requiring(&key.public_key());

    // The recorded digests are kept, the signature replaced by another valid-looking one.
    let text = std::fs::read_to_string(scratch.path("plugin.sig")).unwrap();
    let line = text.lines().find(|l| l.starts_with("signature")).unwrap();
    let forged = text.replace(line, &format!("signature = \"{}\"", "A".repeat(86) + "=="));
    std::fs::write(scratch.path("plugin.sig"), forged).unwrap();
    let err = host.load(scratch.dir.path()).await.unwrap_err();
    assert!(matches!(
        signature_problem(err, "auth-trivial"),
        SignatureProblem::Mismatch {
            tampered: Tampered::Signature,
            ..
        }
    ));

    std::fs::write(scratch.path("plugin.sig"), "garbage \u{7}").unwrap();
    let err = host.load(scratch.dir.path()).await.unwrap_err();
    assert!(matches!(
        signature_problem(err, "auth-trivial"),
        SignatureProblem::Malformed { .. }
    ));

    std::fs::remove_file(scratch.path("plugin.sig")).unwrap();
    std::fs::create_dir(scratch.path("plugin.sig")).unwrap();
    let err = host.load(scratch.dir.path()).await.unwrap_err();
    assert!(matches!(
        signature_problem(err, "auth-trivial"),
        SignatureProblem::Unreadable { .. }
    ));
}

#[tokio::test]
async fn plugins_handed_over_as_bytes_carry_no_signature() {
    let bytes = std::fs::read(plugin_dir("auth-trivial").join("plugin.wasm")).unwrap();
    let manifest = Manifest::new("bytes-only", PluginKind::Auth);
    let key = PrivateKey::generate().unwrap().public_key();
    let err = requiring(&key)
        .load_bytes(bytes.clone(), manifest.clone(), ".")
        .await
        .unwrap_err();
    assert_eq!(
        signature_problem(err, "bytes-only"),
        SignatureProblem::NoManifestFile
    );
    let remote = Manifest::remote("remote-bytes", PluginKind::Auth, "http://127.0.0.1:9/");
    let err = requiring(&key).load_remote(remote).await.unwrap_err();
    assert_eq!(
        signature_problem(err, "remote-bytes"),
        SignatureProblem::NoManifestFile
    );
    // Under the default policy nothing changes.
    host_with(HostConfig::default())
        .load_bytes(bytes, manifest, ".")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_signed_remote_manifest_cannot_be_redirected() {
    let scratch = TempDir::new("mockforge-signatures-remote").unwrap();
    let dir = scratch.path();
    let manifest = "name = \"introspect\"\nversion = \"0.1.0\"\nkind = \"auth\"\n[remote]\nendpoint = \"http://127.0.0.1:9/\"\n";
    std::fs::write(dir.join("plugin.toml"), manifest).unwrap();
    let key = PrivateKey::generate().unwrap();
    sign_plugin(dir, &key).await.unwrap();
    let host = requiring(&key.public_key());
    host.load(dir).await.unwrap();

    std::fs::write(
        dir.join("plugin.toml"),
        manifest.replace("127.0.0.1:9", "attacker.example:80"),
    )
    .unwrap();
    let err = host.load(dir).await.unwrap_err();
    assert!(matches!(
        signature_problem(err, "introspect"),
        SignatureProblem::Mismatch {
            tampered: Tampered::Manifest,
            ..
        }
    ));
}

#[tokio::test]
async fn a_sha256_pin_must_match_the_component() {
    let scratch = Scratch::of("auth-trivial", "pin");
    let bytes = std::fs::read(scratch.path("plugin.wasm")).unwrap();
    let digest = sha256_hex(&bytes);
    let original = std::fs::read_to_string(scratch.path("plugin.toml")).unwrap();
    let pinned = |pin: &str| format!("sha256 = \"{pin}\"\n{original}");
    let host = host_with(HostConfig::default());

    std::fs::write(scratch.path("plugin.toml"), pinned(&digest.to_uppercase())).unwrap();
    let plugin = host.load(scratch.dir.path()).await.unwrap();
    assert!(matches!(
        plugin.authenticate(good_request()).await.unwrap(),
        AuthOutcome::Allow(_)
    ));

    let wrong = sha256_hex(b"another component");
    std::fs::write(scratch.path("plugin.toml"), pinned(&wrong)).unwrap();
    match host.load(scratch.dir.path()).await.unwrap_err() {
        Error::DigestMismatch {
            plugin,
            expected,
            actual,
        } => {
            assert_eq!(plugin, "auth-trivial");
            assert_eq!(expected, wrong);
            assert_eq!(actual, digest);
        }
        other => panic!("expected a digest mismatch, got: {other}"),
    }
    // Also for bytes handed over with a manifest.
    let mut manifest = Manifest::new("pinned-bytes", PluginKind::Auth);
    manifest.component_mut().unwrap().sha256 = Some(wrong);
    assert!(matches!(
        host.load_bytes(bytes, manifest, ".").await.unwrap_err(),
        Error::DigestMismatch { .. }
    ));
}

#[tokio::test]
async fn verify_plugin_checks_without_compiling() {
    let scratch = Scratch::of("auth-trivial", "verify");
    let key = PrivateKey::generate().unwrap();
    sign_plugin(scratch.dir.path(), &key).await.unwrap();
    let verified = verify_plugin(scratch.dir.path(), &[key.public_key()])
        .await
        .unwrap();
    assert_eq!(verified.plugin, "auth-trivial");
    assert_eq!(verified.key_id, key.public_key().id());
    assert_eq!(verified.path, scratch.path("plugin.sig"));
    assert_eq!(
        verified.component_sha256,
        sha256_hex(&std::fs::read(scratch.path("plugin.wasm")).unwrap())
    );
    let other = PrivateKey::generate().unwrap().public_key();
    assert!(verify_plugin(scratch.dir.path(), &[other]).await.is_err());
    assert!(verify_plugin(scratch.dir.path(), &[]).await.is_err());
    // A plugin whose pin does not match is not signed.
    scratch.append_to_manifest(&format!("\nsha256 = \"{}\"\n", "0".repeat(64)));
    assert!(matches!(
        sign_plugin(scratch.dir.path(), &key).await.unwrap_err(),
        Error::DigestMismatch { .. }
    ));
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
