//! What the server serves: a generation (the configuration, the loaded plugins, the chains and
//! the router built from them), swapped whole on a reload. Requests in flight keep the
//! generation they started with.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, SystemTime};

use axum::Router;
use mockforge_component_host::PluginHost;
use mockforge_component_http::{AuthChain, BodyLimits, PathScope, ResponseChain, WhenNoneDecides};

use crate::config::{AbstainAnswer, ServerConfig};
use crate::metrics::ServerMetrics;
use crate::plugins::{load_all, LoadedPlugin};

/// One configuration with its plugins loaded, ready to serve.
#[derive(Debug)]
pub struct Generation {
    /// Counts up from 1 with every successful reload.
    pub number: u64,
    /// The configuration it was built from.
    pub config: ServerConfig,
    /// The plugins, in chain order.
    pub plugins: Vec<LoadedPlugin>,
    /// The auth chain (the plugins that authenticate).
    pub auth: AuthChain,
    /// The response chain (the plugins that respond).
    pub responses: ResponseChain,
    /// Routes, admin endpoints and chains, as one router.
    pub router: Router,
    /// When it was built.
    pub built_at: SystemTime,
}

/// The outcome of the last reload, for the admin endpoint.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReloadStatus {
    /// Reloads that took effect.
    pub succeeded: u64,
    /// Reloads refused (the old generation kept serving).
    pub failed: u64,
    /// Why the last refused reload was refused, until a reload succeeds.
    pub last_error: Option<String>,
}

/// The server's state shared by the accept loop, the admin endpoints and the watcher.
#[derive(Debug)]
pub struct Shared {
    pub(crate) host: PluginHost,
    /// The configuration file, when there is one (else the embedded configuration is kept).
    pub(crate) config_path: Option<PathBuf>,
    /// What relative plugin paths and body files resolve against.
    pub(crate) base_dir: PathBuf,
    current: RwLock<Arc<Generation>>,
    reloading: tokio::sync::Mutex<()>,
    status: Mutex<ReloadStatus>,
    next_number: AtomicU64,
    pub(crate) metrics: ServerMetrics,
}

impl Shared {
    /// Loads `config`'s plugins and builds the first generation.
    pub(crate) async fn start(
        host: PluginHost,
        config: ServerConfig,
        config_path: Option<PathBuf>,
        base_dir: PathBuf,
    ) -> Result<Arc<Self>, String> {
        let plugins = load_all(&host, &base_dir, &config.plugins, &[]).await?;
        // The routes are checked first, so that building the generation inside
        // `new_cyclic` (the admin endpoints hold a weak handle to the state) cannot fail.
        let _checked = crate::routes::route_table(&config.routes, &base_dir)?;
        let mut failure = None;
        let shared = Arc::new_cyclic(|weak: &Weak<Self>| {
            let generation =
                build(1, config, plugins, weak.clone(), &base_dir).unwrap_or_else(|e| {
                    failure = Some(e);
                    empty(weak.clone())
                });
            Self {
                host,
                config_path,
                base_dir: base_dir.clone(),
                current: RwLock::new(Arc::new(generation)),
                reloading: tokio::sync::Mutex::new(()),
                status: Mutex::new(ReloadStatus::default()),
                next_number: AtomicU64::new(2),
                metrics: ServerMetrics::new(weak.clone()),
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(shared),
        }
    }

    /// The generation serving now.
    pub fn current(&self) -> Arc<Generation> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// How the last reload went.
    pub fn status(&self) -> ReloadStatus {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reads the configuration again (when it comes from a file), loads what changed off the
    /// request path, and swaps the new generation in. On any failure the old generation keeps
    /// serving and the error is kept for the admin endpoint. Reloads run one at a time.
    pub async fn reload(self: &Arc<Self>) -> Result<u64, String> {
        let _one_at_a_time = self.reloading.lock().await;
        let old = self.current();
        let result = self.build_next(&old).await;
        let mut status = self.status.lock().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok(generation) => {
                let number = generation.number;
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(generation);
                status.succeeded += 1;
                status.last_error = None;
                self.metrics.reload(true);
                tracing::info!(generation = number, "reloaded");
                Ok(number)
            }
            Err(error) => {
                status.failed += 1;
                status.last_error = Some(error.clone());
                self.metrics.reload(false);
                tracing::error!("reload refused; the previous version keeps serving: {error}");
                Err(error)
            }
        }
    }

    async fn build_next(self: &Arc<Self>, old: &Generation) -> Result<Generation, String> {
        let config = match &self.config_path {
            Some(path) => ServerConfig::from_file(path).map_err(|e| e.to_string())?,
            None => old.config.clone(),
        };
        if config.listen != old.config.listen {
            tracing::warn!("`listen` changed; it takes effect when the server restarts");
        }
        let plugins = load_all(&self.host, &self.base_dir, &config.plugins, &old.plugins).await?;
        let number = self.next_number.fetch_add(1, Ordering::Relaxed);
        build(
            number,
            config,
            plugins,
            Arc::downgrade(self),
            &self.base_dir,
        )
    }
}

fn limits(config: &ServerConfig) -> BodyLimits {
    BodyLimits {
        max_request_body: config.http.max_request_body_bytes,
        max_response_body: config.http.max_response_body_bytes,
        read_timeout: Duration::from_millis(config.http.request_timeout_ms),
    }
}

/// A generation from a configuration and its loaded plugins.
fn build(
    number: u64,
    config: ServerConfig,
    plugins: Vec<LoadedPlugin>,
    shared: Weak<Shared>,
    base_dir: &std::path::Path,
) -> Result<Generation, String> {
    let limits = limits(&config);
    let kind = |p: &LoadedPlugin| p.chained.plugin().info().kind;
    let auth = AuthChain::with(
        plugins
            .iter()
            .filter(|p| kind(p).authenticates())
            .map(|p| p.chained.clone())
            .collect(),
        PathScope::new(&config.http.auth_excluded),
        limits,
    )
    .when_none_decides(match config.http.when_auth_abstains {
        AbstainAnswer::Deny => WhenNoneDecides::Unauthorized,
        AbstainAnswer::Pass => WhenNoneDecides::PassUnauthenticated,
    })
    .with_challenges(&config.http.auth_challenges)
    .map_err(|e| format!("[http] auth-challenges: {e}"))?;
    let responses = ResponseChain::with(
        plugins
            .iter()
            .filter(|p| kind(p).responds())
            .map(|p| p.chained.clone())
            .collect(),
        limits,
    );
    let router = crate::app::router(&config, base_dir, &auth, &responses, shared)?;
    Ok(Generation {
        number,
        config,
        plugins,
        auth,
        responses,
        router,
        built_at: SystemTime::now(),
    })
}

/// A generation with nothing in it, only while a failed start unwinds.
fn empty(shared: Weak<Shared>) -> Generation {
    let config = ServerConfig::parse("", "empty").expect("the empty configuration is valid");
    let auth = AuthChain::new(Vec::new());
    let responses = ResponseChain::new(Vec::new());
    let router = crate::app::router(
        &config,
        std::path::Path::new("."),
        &auth,
        &responses,
        shared,
    )
    .unwrap_or_default();
    Generation {
        number: 0,
        config,
        plugins: Vec::new(),
        auth,
        responses,
        router,
        built_at: SystemTime::now(),
    }
}
