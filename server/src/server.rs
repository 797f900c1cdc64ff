//! The running server: the accept loop (hyper 1 through hyper-util, HTTP/1.1 and HTTP/2), the
//! top-level service that hands each request to the current generation, graceful shutdown.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use mockforge_component_host::PluginHost;
use mockforge_component_http::{DeadlineLayer, RequestIdLayer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::{Service, ServiceBuilder, ServiceExt};

use crate::config::ServerConfig;
use crate::state::Shared;
use crate::watch::Watcher;

/// Where a server's configuration comes from and where it listens.
#[derive(Debug)]
pub struct ServeOptions {
    /// The configuration.
    pub config: ServerConfig,
    /// The file it was read from, to watch and re-read on reload; `None` for an embedded one.
    pub config_path: Option<PathBuf>,
    /// What relative paths in the configuration resolve against.
    pub base_dir: PathBuf,
    /// Listen here instead of the configuration's `listen` (port 0 picks a free port).
    pub listen: Option<SocketAddr>,
}

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A plugin, route or setting in the configuration is wrong.
    #[error("{0}")]
    Config(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// A server running in the background of the current tokio runtime.
#[derive(Debug)]
pub struct Server {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    _watcher: Option<Watcher>,
}

impl Server {
    /// Loads the plugins, binds, and starts serving.
    pub async fn start(host: PluginHost, options: ServeOptions) -> Result<Self, ServeError> {
        let addr = match options.listen {
            Some(addr) => addr,
            None => options.config.listen_addr().map_err(ServeError::Config)?,
        };
        let watch_files = options.config.watch;
        let shared = Shared::start(host, options.config, options.config_path, options.base_dir)
            .await
            .map_err(ServeError::Config)?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| ServeError::Bind { addr, source })?;
        let watcher = if watch_files {
            match Watcher::start(&shared) {
                Ok(w) => Some(w),
                Err(e) => {
                    tracing::warn!("hot reload is off: cannot watch the plugin folders: {e}");
                    None
                }
            }
        } else {
            None
        };
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared), stopped));
        tracing::info!(%addr, "mock server listening");
        Ok(Self {
            shared,
            addr,
            stop,
            task,
            _watcher: watcher,
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its shared state: the current generation, reload status, metrics.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Reloads now (as a file change or `POST /__mockforge/reload` would).
    pub async fn reload(&self) -> Result<u64, String> {
        self.shared.reload().await
    }

    /// Stops accepting, lets requests in flight finish (up to the configured grace), returns.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    pub async fn run_until_signal(self) {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing the requests in flight");
        self.shutdown().await;
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// Hands a request to the generation serving when it arrived.
async fn dispatch(shared: Arc<Shared>, req: Request<Body>) -> Result<Response<Body>, Infallible> {
    let generation = shared.current();
    generation.router.clone().oneshot(req).await
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let http = shared.current().config.http.clone();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(http.header_timeout_ms));
    let graceful = GracefulShutdown::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = stopped.changed() => break,
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        let deadline = Duration::from_millis(shared.current().config.http.request_timeout_ms);
        let service = ServiceBuilder::new()
            .map_request(move |req: Request<hyper::body::Incoming>| {
                let mut req = req.map(Body::new);
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            })
            .layer(RequestIdLayer)
            .layer(DeadlineLayer::new(deadline))
            .service(tower::service_fn(move |req: Request<Body>| {
                dispatch(Arc::clone(&shared), req)
            }));
        let connection = builder
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, "connection ended: {e}");
            }
        });
    }
    drop(listener);
    let grace = Duration::from_millis(http.shutdown_grace_ms);
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after {grace:?}; closing their connections");
    }
}

#[allow(dead_code)]
fn assert_service<S: Service<Request<Body>>>(_: &S) {}
