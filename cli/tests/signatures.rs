//! `mfplugin keygen`, `sign` and `verify` end to end, and `--require-signatures` on a command
//! that loads plugins, with the real binary on a copy of a built plugin.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::{mfplugin, request_file, staged_language};

/// The staged Rust plugin `name`'s folder.
fn plugin_dir(name: &str) -> PathBuf {
    let dir = staged_language("rust").join(name);
    assert!(
        dir.join("plugin.toml").is_file(),
        "plugin `{name}` is not built at {}: run `just build-guests`",
        dir.display()
    );
    dir
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Succeeds, and returns stdout.
fn ok(work: &Path, args: &[&str]) -> String {
    let output = mfplugin(work, args);
    let (stdout, stderr) = text(&output);
    assert!(
        output.status.success(),
        "mfplugin {args:?} failed: {stderr}"
    );
    stdout
}

/// Fails with exit 1 and one `error:` line holding `expected`.
fn fails(work: &Path, args: &[&str], expected: &str) {
    let output = mfplugin(work, args);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "mfplugin {args:?}: {stderr}");
    assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn keygen_sign_verify_round_trip_and_require_signatures() {
    let work = std::env::temp_dir().join(format!("mfplugin-signatures-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let plugin = work.join("auth-trivial");
    std::fs::create_dir_all(&plugin).unwrap();
    for file in ["plugin.toml", "plugin.wasm"] {
        std::fs::copy(plugin_dir("auth-trivial").join(file), plugin.join(file)).unwrap();
    }
    let key = work.join("signer.key");
    let (key_s, public_s, plugin_s) = (
        key.to_str().unwrap(),
        format!("{}.pub", key.display()),
        plugin.to_str().unwrap(),
    );
    let request = request_file();
    let request_s = request.to_str().unwrap();

    let out = ok(&work, &["keygen", key_s]);
    assert!(out.contains("key id "), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the private key is private");
    }
    fails(&work, &["keygen", key_s], "exists already");
    let public_text = out.lines().last().unwrap().to_owned();
    assert!(public_text.starts_with("ed25519:"), "{out}");

    // Unsigned: verify and a call that requires signatures refuse it.
    fails(
        &work,
        &["verify", plugin_s, "--trust", &public_s],
        "unsigned",
    );
    // `call` under a host that requires signatures and trusts only `key`.
    let strict_call = [
        "call",
        plugin_s,
        "--request",
        request_s,
        "--require-signatures",
        "--trust",
        &public_s,
    ];
    fails(&work, &strict_call, "unsigned");

    let out = ok(&work, &["sign", plugin_s, "--key", key_s]);
    assert!(out.contains("plugin.sig"), "{out}");
    let out = ok(&work, &["verify", plugin_s, "--trust", &public_s]);
    assert!(
        out.starts_with("ok: auth-trivial is signed by trusted key"),
        "{out}"
    );
    // The key given as text works as well as its file.
    ok(&work, &["verify", plugin_s, "--trust", &public_text]);
    let out = ok(&work, &strict_call);
    assert!(out.contains("\"outcome\": \"allow\""), "{out}");

    // Another key is not trusted; verify needs a key at all.
    let other = work.join("other.key");
    ok(&work, &["keygen", other.to_str().unwrap()]);
    let other_public = format!("{}.pub", other.display());
    fails(
        &work,
        &["verify", plugin_s, "--trust", &other_public],
        "not among the 1 trusted key",
    );
    fails(&work, &["verify", plugin_s], "--trust");

    // Tampered after signing.
    let mut manifest = std::fs::read_to_string(plugin.join("plugin.toml")).unwrap();
    manifest.push_str("\n[limits]\ntimeout-ms = 5000\n");
    std::fs::write(plugin.join("plugin.toml"), manifest).unwrap();
    fails(
        &work,
        &["verify", plugin_s, "--trust", &public_s],
        "the manifest changed since it was signed",
    );
    fails(
        &work,
        &strict_call,
        "the manifest changed since it was signed",
    );

    // A private key file others may read is refused.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        fails(&work, &["sign", plugin_s, "--key", key_s], "chmod 600");
    }
    std::fs::remove_dir_all(&work).unwrap();
}
