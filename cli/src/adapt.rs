//! `mfplugin adapt`: wraps a legacy core-module plugin into a component of our WIT world and
//! writes it to disk, for any component host (the host also adapts at load time).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use mockforge_component_adapters::adapt;

use crate::HostArgs;

/// Arguments of `adapt`.
#[derive(Args)]
pub struct AdaptArgs {
    /// The legacy core module (a component is copied unchanged).
    legacy: PathBuf,
    /// Where to write the component.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

pub async fn run(args: AdaptArgs, _host: &HostArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.legacy)
        .with_context(|| format!("cannot read {}", args.legacy.display()))?;
    let adapted = adapt(&bytes).with_context(|| format!("{}", args.legacy.display()))?;
    std::fs::write(&args.output, &adapted.component)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    match &adapted.legacy {
        Some(legacy) => {
            out!(
                "{}: family {}, allocator {}: wrote {} ({} bytes)",
                args.legacy.display(),
                legacy.family,
                legacy.allocator,
                args.output.display(),
                adapted.component.len()
            );
            out!("  wasi state: {}", legacy.adapter_memory);
            out!("  instances:  {}", legacy.warm_instances());
        }
        None => out!(
            "{}: already a component: copied to {}",
            args.legacy.display(),
            args.output.display()
        ),
    }
    Ok(())
}
