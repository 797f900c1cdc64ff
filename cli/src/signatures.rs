//! `mfplugin keygen`, `sign` and `verify`: Ed25519 keys for plugin signatures, signing a plugin
//! (its component and manifest) and verifying it as a host that requires signatures would;
//! and the key files `--trust` and `--key` name.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;
use mockforge_component_host::{
    sign_plugin, verify_plugin, PrivateKey, PublicKey, PUBLIC_KEY_PREFIX,
};

use crate::HostArgs;

/// The largest key file read (a key file is about 100 bytes).
const MAX_KEY_FILE_BYTES: u64 = 4096;

/// Arguments of `keygen`.
#[derive(Args)]
pub struct KeygenArgs {
    /// Where to write the private key (mode 0600); the public key goes to the same path with
    /// `.pub` appended. Neither may exist already.
    private_key: PathBuf,
}

/// Arguments of `sign`.
#[derive(Args)]
pub struct SignArgs {
    /// The plugin: its folder, its plugin.toml, or its component with plugin.toml beside it.
    plugin: PathBuf,
    /// The private key file (from `mfplugin keygen`); it must not be readable by others.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
}

/// Arguments of `verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// The plugin: its folder, its plugin.toml, or its component with plugin.toml beside it.
    plugin: PathBuf,
}

pub async fn keygen(args: KeygenArgs, _host: &HostArgs) -> anyhow::Result<()> {
    let key = PrivateKey::generate()?;
    let public = key.public_key();
    let public_path = public_key_path(&args.private_key);
    for path in [&args.private_key, &public_path] {
        if path.exists() {
            bail!("{} exists already; not overwriting it", path.display());
        }
    }
    write_new(&args.private_key, key.to_file_text().as_bytes(), 0o600)?;
    let public_text = format!(
        "# MockForge plugin signing key (Ed25519), id {}: the public half.\n{public}\n",
        public.id()
    );
    write_new(&public_path, public_text.as_bytes(), 0o644)?;
    out!("key id {}", public.id());
    out!(
        "private key: {} (keep it secret)",
        args.private_key.display()
    );
    out!("public key:  {}", public_path.display());
    out!("{public}");
    Ok(())
}

pub async fn sign(args: SignArgs, _host: &HostArgs) -> anyhow::Result<()> {
    let key = read_private_key(&args.key)?;
    let path = sign_plugin(&args.plugin, &key).await?;
    out!(
        "signed {} with key {}: {}",
        args.plugin.display(),
        key.public_key().id(),
        path.display()
    );
    Ok(())
}

pub async fn verify(args: VerifyArgs, host: &HostArgs) -> anyhow::Result<()> {
    let trusted = trusted_keys(host)?;
    if trusted.is_empty() {
        bail!("name the keys to trust with --trust (a key or a .pub file from `mfplugin keygen`)");
    }
    let verified = verify_plugin(&args.plugin, &trusted).await?;
    out!(
        "ok: {} is signed by trusted key {} and unchanged since (component sha256 {})",
        verified.plugin,
        verified.key_id,
        verified.component_sha256
    );
    Ok(())
}

/// The keys `--trust` names: each a public key's text (`ed25519:...`) or a file holding one.
pub fn trusted_keys(host: &HostArgs) -> anyhow::Result<Vec<PublicKey>> {
    host.trust
        .iter()
        .map(|given| {
            if given.starts_with(PUBLIC_KEY_PREFIX) {
                return PublicKey::parse(given).context("--trust");
            }
            let path = Path::new(given);
            let text = read_key_file(path)?;
            PublicKey::parse(&text).with_context(|| format!("public key file {}", path.display()))
        })
        .collect()
}

/// `<private>.pub`.
fn public_key_path(private: &Path) -> PathBuf {
    let mut name = private.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// Reads a private key file, refusing one that others may read (as ssh does).
fn read_private_key(path: &Path) -> anyhow::Result<PrivateKey> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            bail!(
                "private key file {} may be read by others (mode {:o}); `chmod 600` it",
                path.display(),
                mode & 0o777
            );
        }
    }
    let text = read_key_file(path)?;
    PrivateKey::parse(&text).with_context(|| format!("private key file {}", path.display()))
}

/// A key file's text: a regular file of at most [`MAX_KEY_FILE_BYTES`].
fn read_key_file(path: &Path) -> anyhow::Result<String> {
    use std::io::Read as _;
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !file.metadata()?.is_file() {
        bail!("{} is not a regular file", path.display());
    }
    let mut text = String::new();
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read {} as text", path.display()))?;
    if text.len() as u64 > MAX_KEY_FILE_BYTES {
        bail!(
            "{} is larger than {MAX_KEY_FILE_BYTES} bytes: not a key file",
            path.display()
        );
    }
    Ok(text)
}

/// Writes a file that must not exist yet, with `mode` from its creation on.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist)", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}
