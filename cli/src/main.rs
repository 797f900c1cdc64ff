//! `mfplugin`: inspect, call, benchmark and demonstrate MockForge component plugins with the
//! same host library MockForge embeds.

/// Prints a line on stdout; a closed stdout (`mfplugin inspect x | head`) ends the command
/// quietly instead of panicking as `println!` would.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_stdout(format_args!($($arg)*))?
    };
}

/// mimalloc instead of glibc's malloc: under a multi-threaded server, glibc's arena locks
/// contend (futex waits) whenever one worker frees what another allocated; measured in
/// BENCHMARKS.md ("The live server").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod adapt;
mod bench;
mod call;
mod demo;
mod inspect;
mod loading;
mod request_file;
mod serve;
mod signatures;
mod stats;
mod token;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Inspect, call, benchmark and demonstrate MockForge component plugins.
#[derive(Parser)]
#[command(name = "mfplugin", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    host: HostArgs,
}

/// How the host is set up: the same settings an embedder chooses.
#[derive(Args, Clone)]
pub struct HostArgs {
    /// Cache compiled components here (default: the user's cache folder).
    #[arg(long, global = true, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Compile every time; use no artifact cache.
    #[arg(long, global = true)]
    no_cache: bool,
    /// Allow plugins to read this directory (repeatable); nothing is allowed by default.
    #[arg(long, global = true, value_name = "DIR")]
    allow_dir: Vec<PathBuf>,
    /// Allow plugins to read this environment variable (repeatable).
    #[arg(long, global = true, value_name = "NAME")]
    allow_env: Vec<String>,
    /// Show the host's and the plugins' logs on stderr (`RUST_LOG` filters them).
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Announce plugin code to a native profiler, so that `perf record` then `perf report`
    /// names plugin functions: `perfmap` (writes /tmp/perf-<pid>.map) or `jitdump`.
    #[arg(long, global = true, value_name = "KIND")]
    profile: Option<ProfileKind>,
    /// Trust this Ed25519 public key to sign plugins (repeatable): the key's text
    /// (`ed25519:...`) or a file holding it (`mfplugin keygen` writes one). With a trusted key
    /// and no --require-signatures, a plugin's signature is checked when it has one.
    #[arg(long, global = true, value_name = "KEY|FILE")]
    trust: Vec<String>,
    /// Refuse plugins that are not signed by a trusted key (--trust) or that changed since.
    #[arg(long, global = true)]
    require_signatures: bool,
}

/// The profilers `--profile` offers.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ProfileKind {
    /// A perf map file.
    Perfmap,
    /// A jitdump file.
    Jitdump,
}

#[derive(Subcommand)]
enum Command {
    /// Tell what a plugin file is: component or core module, world, imports, exports, size,
    /// and what its manifest asks for.
    Inspect(inspect::InspectArgs),
    /// Call a plugin with a request from a JSON file and print the outcome as JSON.
    Call(call::CallArgs),
    /// Measure a plugin's per-call latency (percentiles) and throughput.
    Bench(bench::BenchArgs),
    /// Start the demo mock server, send it a scripted set of requests, print each request and
    /// response and the metrics, then stop.
    Demo(demo::DemoArgs),
    /// Run the mock server with plugins on its request path (the embedded demo configuration
    /// unless --config names one) until Ctrl-C.
    Serve(serve::ServeArgs),
    /// Wrap a legacy core-module plugin into a component of the plugin WIT world.
    Adapt(adapt::AdaptArgs),
    /// Make an Ed25519 key pair for signing plugins: the private key (mode 0600) and the
    /// public key beside it (`.pub`).
    Keygen(signatures::KeygenArgs),
    /// Sign a plugin (its component and its plugin.toml) with a private key: writes
    /// plugin.sig beside plugin.toml.
    Sign(signatures::SignArgs),
    /// Check a plugin's signature against the keys --trust names, as a host that requires
    /// signatures would; nothing is compiled.
    Verify(signatures::VerifyArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if cli.host.verbose {
        tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
            )
            .with_writer(std::io::stderr)
            .init();
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Inspect(args) => inspect::run(args, &cli.host).await,
            Command::Call(args) => call::run(args, &cli.host).await,
            Command::Bench(args) => bench::run(args, &cli.host).await,
            Command::Demo(args) => demo::run(args, &cli.host).await,
            Command::Serve(args) => serve::run(args, &cli.host).await,
            Command::Adapt(args) => adapt::run(args, &cli.host).await,
            Command::Keygen(args) => signatures::keygen(args, &cli.host).await,
            Command::Sign(args) => signatures::sign(args, &cli.host).await,
            Command::Verify(args) => signatures::verify(args, &cli.host).await,
        }
    });
    let verbose = cli.host.verbose;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!(
                "error: {}",
                one_line(&mockforge_component_host::report(err.as_ref()))
            );
            if verbose {
                explain_trap(&err);
            }
            ExitCode::FAILURE
        }
    }
}

/// Writes one line to stdout. A broken pipe is not an error: the reader has what it wanted.
fn write_stdout(line: std::fmt::Arguments<'_>) -> anyhow::Result<()> {
    use std::io::Write;
    match writeln!(std::io::stdout().lock(), "{line}") {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(()),
    }
}

/// The error on one line: newlines inside messages (a plugin's stderr, say) become ` | `.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// With `--verbose`, a trap's WebAssembly backtrace and the plugin's last stderr lines.
fn explain_trap(err: &anyhow::Error) {
    let Some(mockforge_component_host::Error::Trap {
        backtrace, stderr, ..
    }) = err.downcast_ref::<mockforge_component_host::Error>()
    else {
        return;
    };
    if let Some(backtrace) = backtrace {
        eprintln!("wasm backtrace:\n{backtrace}");
    }
    if !stderr.is_empty() {
        eprintln!("plugin stderr:\n{stderr}");
    }
}
