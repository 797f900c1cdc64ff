//! This checkout's Python interpreter, and the Python SDK's remote plugin examples
//! (`guests/python/remote-examples/`) run by it as child processes.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{ChildProcess, ProcessError};

/// How long a Python program gets to start listening (an interpreter's start-up with FastAPI
/// takes about a second; a loaded machine may take many).
const START_WITHIN: Duration = Duration::from_secs(30);

/// The modules the remote examples need: the SDK's `remote` extra and uvicorn.
const REMOTE_MODULES: &str = "mockforge_plugin.remote, uvicorn";

/// The environment variable the examples read their shared secret from.
const SECRET_VAR: &str = "MOCKFORGE_PLUGIN_SECRET";

/// The Python to run: `$PYTHON`, else the checkout's virtual environment (`.venv/bin/python`
/// under `repo_root`, where `just setup` installs the SDK), else `python3`.
pub fn python_interpreter(repo_root: &Path) -> PathBuf {
    if let Some(python) = std::env::var_os("PYTHON").filter(|python| !python.is_empty()) {
        return PathBuf::from(python);
    }
    let venv = repo_root.join(".venv/bin/python");
    if venv.exists() {
        return venv;
    }
    PathBuf::from("python3")
}

/// Why a remote example could not be run.
#[derive(Debug)]
pub enum RemoteExampleError {
    /// The interpreter cannot import the SDK's remote extra or uvicorn.
    SdkMissing {
        /// The interpreter that was asked.
        python: PathBuf,
    },
    /// The program did not start or did not listen.
    Process(ProcessError),
}

impl std::fmt::Display for RemoteExampleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SdkMissing { python } => write!(
                f,
                "{} cannot import {REMOTE_MODULES}: run `just setup --languages python` (or set \
                 $PYTHON to an interpreter that has the SDK's `remote` extra)",
                python.display()
            ),
            Self::Process(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for RemoteExampleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Process(err) => Some(err),
            Self::SdkMissing { .. } => None,
        }
    }
}

impl From<ProcessError> for RemoteExampleError {
    fn from(err: ProcessError) -> Self {
        Self::Process(err)
    }
}

/// The remote examples of a checkout, with an interpreter that can run them.
#[derive(Debug, Clone)]
pub struct RemoteExamples {
    python: PathBuf,
    dir: PathBuf,
}

impl RemoteExamples {
    /// The examples under `repo_root`, run by [`python_interpreter`]; fails when that
    /// interpreter lacks the SDK's remote extra or uvicorn.
    pub fn of_checkout(repo_root: &Path) -> Result<Self, RemoteExampleError> {
        let python = python_interpreter(repo_root);
        let importable = Command::new(&python)
            .args(["-c", &format!("import {REMOTE_MODULES}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !importable {
            return Err(RemoteExampleError::SdkMissing { python });
        }
        Ok(Self {
            python,
            dir: repo_root.join("guests/python/remote-examples"),
        })
    }

    /// The folder the examples are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The interpreter that runs them.
    pub fn python(&self) -> &Path {
        &self.python
    }

    /// `<module>.py`'s `app` under uvicorn on 127.0.0.1:`port` with the shared secret `secret`
    /// and the extra environment `env`, once it accepts connections.
    pub fn uvicorn(
        &self,
        module: &str,
        port: u16,
        secret: &str,
        env: &[(&str, &str)],
    ) -> Result<ChildProcess, RemoteExampleError> {
        let app = format!("{module}:app");
        let port_text = port.to_string();
        let args = [
            "-m",
            "uvicorn",
            app.as_str(),
            "--host",
            "127.0.0.1",
            "--port",
            &port_text,
            "--log-level",
            "warning",
            "--no-access-log",
        ];
        let mut env: Vec<(&str, &str)> = env.to_vec();
        env.push((SECRET_VAR, secret));
        self.run(&format!("uvicorn {module}"), &args, port, &env)
    }

    /// `python <args>` run from the examples' folder with the extra environment `env`, once
    /// 127.0.0.1:`port` accepts connections; `what` names it in errors.
    pub fn run(
        &self,
        what: &str,
        args: &[&str],
        port: u16,
        env: &[(&str, &str)],
    ) -> Result<ChildProcess, RemoteExampleError> {
        let mut command = Command::new(&self.python);
        command
            .args(args)
            .current_dir(&self.dir)
            .envs(
                env.iter()
                    .map(|(key, value)| (OsString::from(key), OsString::from(value))),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        let mut process = ChildProcess::spawn(what, &mut command)?;
        process.wait_for_port(port, START_WITHIN)?;
        Ok(process)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interpreter_without_the_sdk_is_refused_naming_the_fix() {
        // `false` stands for an interpreter that cannot import the modules: it fails whatever
        // it is asked. (No other test in this crate reads $PYTHON.)
        let python = PathBuf::from("false");
        let err = RemoteExampleError::SdkMissing {
            python: python.clone(),
        };
        assert!(err.to_string().contains("just setup --languages python"));
        std::env::set_var("PYTHON", &python);
        let found = python_interpreter(Path::new("/nonexistent"));
        let refused = RemoteExamples::of_checkout(Path::new("/nonexistent"));
        std::env::remove_var("PYTHON");
        assert_eq!(found, python);
        assert!(matches!(
            refused,
            Err(RemoteExampleError::SdkMissing { python: p }) if p == python
        ));
    }
}
