//! A child process that is killed and reaped when dropped (also when a test panics), and
//! waiting for it to accept connections on a port of 127.0.0.1.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// How often [`ChildProcess::wait_for_port`] tries to connect.
const CONNECT_INTERVAL: Duration = Duration::from_millis(50);

/// Why a child process could not be started or did not come up.
#[derive(Debug)]
pub enum ProcessError {
    /// The program could not be started at all.
    Spawn {
        /// What the process is, as the caller named it.
        what: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The process ended before it accepted a connection.
    Exited {
        /// What the process is.
        what: String,
        /// How it ended.
        status: ExitStatus,
    },
    /// Nothing accepted connections on the port within the time given.
    NotListening {
        /// What the process is.
        what: String,
        /// The port it should have listened on.
        port: u16,
        /// How long it was given.
        waited: Duration,
    },
}

impl std::fmt::Display for ProcessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Spawn { what, source } => write!(f, "cannot start {what}: {source}"),
            Self::Exited { what, status } => {
                write!(f, "{what} exited with {status} before listening")
            }
            Self::NotListening { what, port, waited } => write!(
                f,
                "{what} did not listen on 127.0.0.1:{port} within {} ms",
                waited.as_millis()
            ),
        }
    }
}

impl std::error::Error for ProcessError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Spawn { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A running child process, killed and reaped when dropped.
#[derive(Debug)]
pub struct ChildProcess {
    child: Child,
    what: String,
}

impl ChildProcess {
    /// Starts `command`; `what` names it in errors (`uvicorn trivial_auth`, say).
    pub fn spawn(what: impl Into<String>, command: &mut Command) -> Result<Self, ProcessError> {
        let what = what.into();
        match command.spawn() {
            Ok(child) => Ok(Self { child, what }),
            Err(source) => Err(ProcessError::Spawn { what, source }),
        }
    }

    /// Waits until 127.0.0.1:`port` accepts a connection, at most `within`; fails as soon as
    /// the process has ended.
    pub fn wait_for_port(&mut self, port: u16, within: Duration) -> Result<(), ProcessError> {
        let started = Instant::now();
        loop {
            // Whether the process has ended comes first: another process may listen on the
            // port (it was only free a moment ago), and that must not pass for this one.
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(ProcessError::Exited {
                    what: self.what.clone(),
                    status,
                });
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(());
            }
            if started.elapsed() >= within {
                return Err(ProcessError::NotListening {
                    what: self.what.clone(),
                    port,
                    waited: within,
                });
            }
            std::thread::sleep(CONNECT_INTERVAL);
        }
    }

    /// What the process is, as named when it was started.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// Kills the process and waits for it to end; nothing happens if it has already ended.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port of 127.0.0.1 that was free a moment ago (the operating system's choice).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("the operating system gives a free port")
        .port()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Held by the tests here that take a port, so that none of them binds the port another
    /// was told is free (the operating system hands out recently freed ports again).
    static PORTS: Mutex<()> = Mutex::new(());

    fn ports() -> std::sync::MutexGuard<'static, ()> {
        PORTS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[test]
    fn a_process_that_exits_early_is_reported_with_its_status() {
        let _ports = ports();
        let mut process =
            ChildProcess::spawn("false", Command::new("sh").args(["-c", "exit 3"])).unwrap();
        // Once it has ended, the answer does not depend on whether something else happens to
        // listen on the port (the other tests here bind ports of their own).
        let ended = Instant::now();
        while process.child.try_wait().unwrap().is_none() {
            assert!(ended.elapsed() < Duration::from_secs(10), "sh did not exit");
            std::thread::sleep(Duration::from_millis(5));
        }
        let err = process
            .wait_for_port(free_port(), Duration::from_secs(10))
            .unwrap_err();
        assert!(matches!(err, ProcessError::Exited { .. }), "{err}");
        assert!(err.to_string().contains("exit status: 3"), "{err}");
    }

    #[test]
    fn a_process_that_never_listens_times_out() {
        let _ports = ports();
        let mut process = ChildProcess::spawn("sleeper", Command::new("sleep").arg("30")).unwrap();
        let port = free_port();
        let err = process
            .wait_for_port(port, Duration::from_millis(200))
            .unwrap_err();
        assert!(
            matches!(err, ProcessError::NotListening { port: p, .. } if p == port),
            "{err}"
        );
    }

    #[test]
    fn dropping_the_process_kills_it() {
        let process = ChildProcess::spawn("sleeper", Command::new("sleep").arg("30")).unwrap();
        let pid = process.child.id();
        drop(process);
        // Reaped: no process, not even a zombie, has the id any more.
        let alive = std::path::Path::new(&format!("/proc/{pid}")).exists();
        assert!(!alive, "process {pid} still exists after the drop");
    }

    #[test]
    fn a_listening_process_is_waited_for() {
        let _ports = ports();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut process = ChildProcess::spawn("sleeper", Command::new("sleep").arg("30")).unwrap();
        process
            .wait_for_port(port, Duration::from_secs(5))
            .expect("the port accepts");
    }

    #[test]
    fn a_missing_program_is_a_spawn_error_naming_it() {
        let err =
            ChildProcess::spawn("nothing", &mut Command::new("/nonexistent/program")).unwrap_err();
        assert!(matches!(err, ProcessError::Spawn { .. }));
        assert!(err.to_string().starts_with("cannot start nothing"), "{err}");
    }
}
