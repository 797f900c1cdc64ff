//! The few WASI preview 1 functions a legacy core module calls, for the direct baseline of
//! `benches/legacy.rs`: no files, no arguments, no environment, output discarded.
//!
//! wasmtime-wasi's own preview 1 (`p1`, through `wiggle`) pins the exact wasmtime patch release
//! it was published with, and no wasmtime-wasi was published for wasmtime 48.0.11; this
//! baseline only needs a module to start and to read the clock and random bytes, so it defines
//! those imports itself. `fd_prestat_get` answers `EBADF` (no preopened directories); every
//! other WASI function answers `ENOSYS`.

use std::time::{SystemTime, UNIX_EPOCH};

use mockforge_component_host::wasmtime::{
    self, Caller, Extern, ExternType, Linker, Module, Val, ValType,
};

/// The WASI preview 1 module name.
const WASI: &str = "wasi_snapshot_preview1";
/// WASI's `errno::success`.
const SUCCESS: i32 = 0;
/// WASI's `errno::badf`: not an open descriptor.
const EBADF: i32 = 8;
/// WASI's `errno::nosys`.
const ENOSYS: i32 = 52;

/// Defines every WASI preview 1 function `module` imports on `linker`.
pub fn define<T: 'static>(linker: &mut Linker<T>, module: &Module) -> wasmtime::Result<()> {
    let mut defined = std::collections::HashSet::new();
    for import in module.imports() {
        // A Go module may import one function twice (the runtime's and `syscall`'s).
        if import.module() != WASI || !defined.insert(import.name().to_owned()) {
            continue;
        }
        let ExternType::Func(ty) = import.ty() else {
            continue;
        };
        let name = import.name().to_owned();
        let returns_errno = matches!(ty.results().collect::<Vec<_>>().as_slice(), [ValType::I32]);
        linker.func_new(
            WASI,
            &name.clone(),
            ty,
            move |mut caller, params, results| {
                let errno = call(&mut caller, &name, params)?;
                if returns_errno {
                    results[0] = Val::I32(errno);
                }
                Ok(())
            },
        )?;
    }
    Ok(())
}

fn call<T>(caller: &mut Caller<'_, T>, name: &str, params: &[Val]) -> wasmtime::Result<i32> {
    let arg = |i: usize| params.get(i).and_then(Val::i32).unwrap_or(0) as u32 as usize;
    match name {
        "proc_exit" => wasmtime::bail!("the module exited with {}", arg(0)),
        "args_sizes_get" | "environ_sizes_get" => {
            write(caller, arg(0), &0u32.to_le_bytes())?;
            write(caller, arg(1), &0u32.to_le_bytes())?;
            Ok(SUCCESS)
        }
        "args_get" | "environ_get" | "sched_yield" => Ok(SUCCESS),
        "clock_time_get" => {
            let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos() as u64;
            write(caller, arg(2), &now.to_le_bytes())?;
            Ok(SUCCESS)
        }
        "random_get" => {
            // Not cryptographic: a baseline's random bytes only have to vary.
            let mut state = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos() as u64 | 1;
            let bytes: Vec<u8> = (0..arg(1))
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            write(caller, arg(0), &bytes)?;
            Ok(SUCCESS)
        }
        "fd_write" => {
            // Output is discarded; report every byte of every buffer as written.
            let (iovs, count, written) = (arg(1), arg(2), arg(3));
            let table = read(caller, iovs, count * 8)?;
            let total: u32 = table
                .chunks_exact(8)
                .map(|iov| u32::from_le_bytes([iov[4], iov[5], iov[6], iov[7]]))
                .sum();
            write(caller, written, &total.to_le_bytes())?;
            Ok(SUCCESS)
        }
        // No preopened directories: the descriptors after stdio are not open (a Go runtime
        // lists them in its `syscall` package's start-up and expects exactly this).
        "fd_prestat_get" => Ok(EBADF),
        _ => Ok(ENOSYS),
    }
}

fn memory<T>(caller: &mut Caller<'_, T>) -> wasmtime::Result<wasmtime::Memory> {
    match caller.get_export("memory") {
        Some(Extern::Memory(memory)) => Ok(memory),
        _ => wasmtime::bail!("the module exports no memory"),
    }
}

fn write<T>(caller: &mut Caller<'_, T>, at: usize, bytes: &[u8]) -> wasmtime::Result<()> {
    memory(caller)?.write(caller, at, bytes)?;
    Ok(())
}

fn read<T>(caller: &mut Caller<'_, T>, at: usize, len: usize) -> wasmtime::Result<Vec<u8>> {
    let mut bytes = vec![0; len];
    memory(caller)?.read(caller, at, &mut bytes)?;
    Ok(bytes)
}
