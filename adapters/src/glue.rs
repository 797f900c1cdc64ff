//! The glue, generated per legacy module from its classification as WAT text: the core
//! functions the canonical ABI needs for `mockforge:legacy-bridge/json` and the legacy module
//! lacks. `splice` then adds them to the legacy module itself, so that wit-component sees one
//! module with one memory.
//!
//! - `prepare` releases the previous call's buffers and reserves new ones with the legacy
//!   allocator. It is an ordinary export call, so the legacy runtime may do anything there,
//!   WASI calls included.
//! - `cabi_realloc` only hands out what `prepare` reserved: it runs no legacy code, since code
//!   inside `realloc` may not leave the component (a Go allocator can call WASI).
//! - The entry points call the legacy export and store where its answer lies to a return area;
//!   the canonical ABI reads (and validates) the answer from there.
//! - For AssemblyScript, `abort_adapter` replaces the module's `env.abort`: it finds the two
//!   managed strings' lengths and calls `mockforge:legacy-bridge/abort`.
//!
//! The glue never copies the request or the answer: the canonical ABI does that.

use std::fmt::Write as _;

use crate::classify::{Allocator, Family, Legacy, ResultShape};
use crate::error::AdaptError;

/// The module name under which the glue imports the legacy module's exports.
pub(crate) const LEGACY: &str = "legacy";
/// The module name under which the glue imports the bridge's own imports.
pub(crate) const BRIDGE: &str = "bridge";
/// The glue export that replaces an AssemblyScript module's `env.abort`.
pub(crate) const ABORT_ADAPTER: &str = "abort_adapter";
/// The glue's `realloc` for the exports' arguments (wit-component's name for it).
pub(crate) const EXPORT_REALLOC: &str = "cabi_export_realloc";
/// The glue's `realloc` for the WASI adapter, when the module has an arena for it.
pub(crate) const ADAPTER_REALLOC: &str = "cabi_realloc_adapter";
/// The glue exports implementing `mockforge:legacy-bridge/json`, named as its functions.
pub(crate) const INTERFACE_FUNCTIONS: [&str; 6] = [
    "convention",
    "prepare",
    "authenticate",
    "authenticate-go",
    "generate-response",
    "read",
];

/// AssemblyScript's class id of `ArrayBuffer` (plain bytes) and of `String` (UTF-16).
const AS_ARRAY_BUFFER: u32 = 1;
const AS_STRING: u32 = 2;

/// The glue module for `legacy`, as binary.
pub(crate) fn module(legacy: &Legacy) -> Result<Vec<u8>, AdaptError> {
    wat::parse_str(text(legacy)).map_err(|e| AdaptError::Internal(format!("glue module: {e}")))
}

/// The glue module for `legacy`, as text.
pub(crate) fn text(legacy: &Legacy) -> String {
    let mut wat = String::from("(module\n");
    let import = |wat: &mut String, name: &str, id: &str, ty: &str| {
        writeln!(wat, "  (import \"{LEGACY}\" \"{name}\" (func ${id} {ty}))").unwrap();
    };
    writeln!(wat, "  (import \"{LEGACY}\" \"memory\" (memory 0))").unwrap();

    // `allocate` returns a fresh buffer of `$size` bytes for a string argument, `allocate_area`
    // one for the return area; `release` hands a buffer back.
    let (allocate, allocate_area, release) = match legacy.allocator {
        Allocator::AllocDealloc { dealloc } => {
            import(&mut wat, "alloc", "alloc", "(param i32) (result i32)");
            let release = if dealloc {
                import(&mut wat, "dealloc", "dealloc", "(param i32 i32)");
                "local.get $ptr local.get $len call $dealloc"
            } else {
                ""
            };
            let allocate = "local.get $size call $alloc".to_string();
            (allocate.clone(), allocate, release)
        }
        Allocator::MallocFree { free } => {
            import(&mut wat, "malloc", "malloc", "(param i32) (result i32)");
            let release = if free {
                import(&mut wat, "free", "free", "(param i32)");
                "local.get $ptr call $free"
            } else {
                ""
            };
            let allocate = "local.get $size call $malloc".to_string();
            (allocate.clone(), allocate, release)
        }
        Allocator::AssemblyScript => {
            import(&mut wat, "__new", "new", "(param i32 i32) (result i32)");
            import(&mut wat, "__pin", "pin", "(param i32) (result i32)");
            import(&mut wat, "__unpin", "unpin", "(param i32)");
            // Family A's arguments are managed strings; family J's (an AssemblyScript module
            // following the JSON convention) are plain bytes.
            let class = match legacy.family {
                Family::A => AS_STRING,
                _ => AS_ARRAY_BUFFER,
            };
            (
                format!("local.get $size i32.const {class} call $new call $pin"),
                format!("local.get $size i32.const {AS_ARRAY_BUFFER} call $new call $pin"),
                "local.get $ptr call $unpin",
            )
        }
    };
    let signature = |result: ResultShape| match result {
        ResultShape::PackedI64 => "(param i32 i32) (result i64)",
        ResultShape::Pair => "(param i32 i32) (result i32 i32)",
        ResultShape::Pointer => "(param i32 i32 i32 i32) (result i32)",
        ResultShape::ManagedString => "(param i32) (result i32)",
    };
    for (entry, id) in [
        (&legacy.auth, "auth_entry"),
        (&legacy.response, "response_entry"),
    ] {
        if let Some(entry) = entry {
            import(&mut wat, &entry.name, id, signature(entry.result));
        }
    }
    if legacy.family == Family::A && legacy.imports_abort {
        writeln!(
            wat,
            "  (import \"{BRIDGE}\" \"abort\" (func $bridge_abort (param i32 i32 i32 i32 i32 i32)))"
        )
        .unwrap();
    }

    // Two reserved argument buffers, the next one `cabi_realloc` hands out, the answer to
    // release before the next call, and the return area (two `u32`, one per instance).
    wat.push_str(
        "  (global $in0_ptr (mut i32) (i32.const 0))\n\
         \x20 (global $in0_len (mut i32) (i32.const 0))\n\
         \x20 (global $in1_ptr (mut i32) (i32.const 0))\n\
         \x20 (global $in1_len (mut i32) (i32.const 0))\n\
         \x20 (global $next_slot (mut i32) (i32.const 0))\n\
         \x20 (global $answer_ptr (mut i32) (i32.const 0))\n\
         \x20 (global $answer_len (mut i32) (i32.const 0))\n\
         \x20 (global $ret_area (mut i32) (i32.const 0))\n",
    );
    // Named so that a backtrace says what went wrong.
    for name in [
        "legacy_allocator_returned_null",
        "legacy_input_buffer_mismatch",
        "legacy_result_pointer_out_of_bounds",
        "entry_point_of_another_family",
    ] {
        writeln!(wat, "  (func ${name} unreachable)").unwrap();
    }
    writeln!(
        wat,
        "  (func $allocate (param $size i32) (result i32) (local $ptr i32)\n\
         \x20   local.get $size i32.eqz if i32.const 0 return end\n\
         \x20   {allocate} local.tee $ptr\n\
         \x20   i32.eqz if call $legacy_allocator_returned_null end\n\
         \x20   local.get $ptr)"
    )
    .unwrap();
    writeln!(
        wat,
        "  (func $release (param $ptr i32) (param $len i32)\n\
         \x20   local.get $ptr i32.eqz if return end\n\
         \x20   {release})"
    )
    .unwrap();
    let family = match legacy.family {
        Family::J => 0,
        Family::G => 1,
        Family::A => 2,
    };
    writeln!(
        wat,
        "  (func (export \"convention\") (result i32) i32.const {family})"
    )
    .unwrap();
    writeln!(
        wat,
        "  (func (export \"prepare\") (param $first i32) (param $second i32) (local $size i32)\n\
         \x20   global.get $in0_ptr global.get $in0_len call $release\n\
         \x20   global.get $in1_ptr global.get $in1_len call $release\n\
         \x20   global.get $answer_ptr global.get $answer_len call $release\n\
         \x20   i32.const 0 global.set $in0_ptr\n\
         \x20   i32.const 0 global.set $in1_ptr\n\
         \x20   i32.const 0 global.set $answer_ptr\n\
         \x20   global.get $ret_area i32.eqz if\n\
         \x20     i32.const 11 local.set $size\n\
         \x20     {allocate_area} local.tee $size\n\
         \x20     i32.eqz if call $legacy_allocator_returned_null end\n\
         \x20     local.get $size i32.const 3 i32.add i32.const -4 i32.and global.set $ret_area\n\
         \x20   end\n\
         \x20   local.get $first call $allocate global.set $in0_ptr\n\
         \x20   local.get $first global.set $in0_len\n\
         \x20   local.get $second call $allocate global.set $in1_ptr\n\
         \x20   local.get $second global.set $in1_len\n\
         \x20   i32.const 0 global.set $next_slot)"
    )
    .unwrap();
    // The canonical ABI asks for one buffer per string argument, in order, each exactly the
    // size `prepare` was told (the translator computes it as the ABI does).
    writeln!(
        wat,
        "  (func (export \"{EXPORT_REALLOC}\") (param $old i32) (param $old_size i32) (param $align i32)\n\
         \x20   (param $size i32) (result i32) (local $ptr i32) (local $len i32)\n\
         \x20   local.get $old if call $legacy_input_buffer_mismatch end\n\
         \x20   global.get $next_slot i32.eqz if\n\
         \x20     global.get $in0_ptr local.set $ptr global.get $in0_len local.set $len\n\
         \x20   else\n\
         \x20     global.get $next_slot i32.const 1 i32.ne if call $legacy_input_buffer_mismatch end\n\
         \x20     global.get $in1_ptr local.set $ptr global.get $in1_len local.set $len\n\
         \x20   end\n\
         \x20   global.get $next_slot i32.const 1 i32.add global.set $next_slot\n\
         \x20   local.get $size local.get $len i32.ne if call $legacy_input_buffer_mismatch end\n\
         \x20   local.get $ptr)"
    )
    .unwrap();
    // The WASI adapter's state and stack, from the arena the module reserved for them (or the
    // adapters reserved below Go's heap): it allocates once per instance, during the module's
    // `_initialize`.
    if let Some(arena) = legacy.adapter_memory.arena() {
        writeln!(
            wat,
            "  (global $arena_next (mut i32) (i32.const {start}))\n\
             \x20 (func $wasi_adapter_arena_exhausted unreachable)\n\
             \x20 (func (export \"{ADAPTER_REALLOC}\") (param $old i32) (param $old_size i32)\n\
             \x20   (param $align i32) (param $size i32) (result i32) (local $ptr i32)\n\
             \x20   local.get $old if call $wasi_adapter_arena_exhausted end\n\
             \x20   global.get $arena_next local.get $align i32.add i32.const 1 i32.sub\n\
             \x20   i32.const 0 local.get $align i32.sub i32.and local.tee $ptr\n\
             \x20   i64.extend_i32_u local.get $size i64.extend_i32_u i64.add\n\
             \x20   i64.const {end} i64.gt_u if call $wasi_adapter_arena_exhausted end\n\
             \x20   local.get $ptr local.get $size i32.add global.set $arena_next\n\
             \x20   local.get $ptr)",
            start = arena.start,
            end = arena.end,
        )
        .unwrap();
    }
    // The length, in UTF-16 code units, of the managed string at `$ptr` (AssemblyScript keeps
    // its byte length in the u32 before it); 0 for a null pointer.
    if legacy.family == Family::A {
        wat.push_str(
            "  (func $managed_units (param $ptr i32) (result i32)\n\
             \x20   local.get $ptr i32.eqz if i32.const 0 return end\n\
             \x20   local.get $ptr i32.const 4 i32.lt_u if call $legacy_result_pointer_out_of_bounds end\n\
             \x20   local.get $ptr i32.const 4 i32.sub i32.load i32.const 1 i32.shr_u)\n",
        );
    }

    let unreachable = "call $entry_point_of_another_family unreachable";
    // Families J and A: an entry point taking the request, answering where its JSON lies.
    let json_entry = |id: &str, result: ResultShape| match result {
        ResultShape::PackedI64 | ResultShape::Pair => {
            let split = if result == ResultShape::PackedI64 {
                "local.set $packed\n\
                 \x20   local.get $packed i64.const 32 i64.shr_u i32.wrap_i64 local.set $out\n\
                 \x20   local.get $packed i32.wrap_i64 local.set $out_len"
            } else {
                "local.set $out_len local.set $out"
            };
            // An AssemblyScript module's answer is no buffer the glue pinned: its garbage
            // collector owns it.
            let remember = match legacy.allocator {
                Allocator::AssemblyScript => "",
                _ => "local.get $out global.set $answer_ptr local.get $out_len global.set $answer_len",
            };
            format!(
                "local.get 0 local.get 1 call ${id} {split}\n\
                 \x20   {remember}\n\
                 \x20   global.get $ret_area local.get $out i32.store\n\
                 \x20   global.get $ret_area local.get $out_len i32.store offset=4\n\
                 \x20   global.get $ret_area"
            )
        }
        ResultShape::ManagedString => format!(
            "local.get 0 call ${id} local.set $out\n\
             \x20   local.get $out i32.eqz if call $legacy_result_pointer_out_of_bounds end\n\
             \x20   global.get $ret_area local.get $out i32.store\n\
             \x20   global.get $ret_area local.get $out call $managed_units i32.store offset=4\n\
             \x20   global.get $ret_area"
        ),
        ResultShape::Pointer => unreachable.to_string(),
    };
    for (export, entry, id) in [
        ("authenticate", &legacy.auth, "auth_entry"),
        ("generate-response", &legacy.response, "response_entry"),
    ] {
        let body = match entry {
            Some(entry) => json_entry(id, entry.result),
            None => unreachable.to_string(),
        };
        writeln!(
            wat,
            "  (func (export \"{export}\") (param i32 i32) (result i32)\n\
             \x20   (local $packed i64) (local $out i32) (local $out_len i32)\n\
             \x20   {body})"
        )
        .unwrap();
    }
    let go_auth = legacy
        .auth
        .as_ref()
        .is_some_and(|entry| entry.result == ResultShape::Pointer);
    let (authenticate_go, read) = match go_auth {
        true => (
            "local.get 0 local.get 1 local.get 2 local.get 3 call $auth_entry",
            // Clamped to the end of memory, computed in 64 bits (a full 4 GiB memory).
            "(local $end i64) (local $available i64)\n\
             \x20   memory.size i64.extend_i32_u i64.const 16 i64.shl local.set $end\n\
             \x20   local.get 0 i64.extend_i32_u local.get $end i64.gt_u if\n\
             \x20     call $legacy_result_pointer_out_of_bounds\n\
             \x20   end\n\
             \x20   local.get $end local.get 0 i64.extend_i32_u i64.sub local.set $available\n\
             \x20   global.get $ret_area local.get 0 i32.store\n\
             \x20   global.get $ret_area\n\
             \x20   local.get 1 i64.extend_i32_u local.get $available i64.lt_u if (result i32)\n\
             \x20     local.get 1\n\
             \x20   else\n\
             \x20     local.get $available i32.wrap_i64\n\
             \x20   end\n\
             \x20   i32.store offset=4\n\
             \x20   global.get $ret_area",
        ),
        false => (unreachable, unreachable),
    };
    writeln!(
        wat,
        "  (func (export \"authenticate-go\") (param i32 i32 i32 i32) (result i32)\n\
         \x20   {authenticate_go})"
    )
    .unwrap();
    writeln!(
        wat,
        "  (func (export \"read\") (param i32 i32) (result i32)\n\
         \x20   {read})"
    )
    .unwrap();
    if legacy.family == Family::A && legacy.imports_abort {
        writeln!(
            wat,
            "  (func (export \"{ABORT_ADAPTER}\") (param $message i32) (param $file i32)\n\
             \x20   (param $line i32) (param $column i32)\n\
             \x20   local.get $message local.get $message call $managed_units\n\
             \x20   local.get $file local.get $file call $managed_units\n\
             \x20   local.get $line local.get $column\n\
             \x20   call $bridge_abort\n\
             \x20   unreachable)"
        )
        .unwrap();
    }
    wat.push_str(")\n");
    wat
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_allocator_and_result_shape_gives_a_valid_module() {
        let allocators = [
            Allocator::AllocDealloc { dealloc: true },
            Allocator::AllocDealloc { dealloc: false },
            Allocator::MallocFree { free: true },
            Allocator::MallocFree { free: false },
            Allocator::AssemblyScript,
        ];
        for family in [Family::J, Family::G, Family::A] {
            for allocator in allocators {
                let results: &[ResultShape] = match family {
                    Family::J => &[ResultShape::PackedI64, ResultShape::Pair],
                    Family::G => &[ResultShape::Pointer],
                    Family::A => &[ResultShape::ManagedString],
                };
                for &result in results {
                    for imports_abort in [false, true] {
                        // Family G's response entry point follows family J.
                        let response_result = match family {
                            Family::G => ResultShape::PackedI64,
                            _ => result,
                        };
                        let legacy = Legacy {
                            family,
                            allocator,
                            auth: Some(crate::EntryPoint {
                                name: "entry".into(),
                                result,
                            }),
                            response: Some(crate::EntryPoint {
                                name: "other".into(),
                                result: response_result,
                            }),
                            start: None,
                            imports_abort,
                            adapter_memory: match imports_abort {
                                true => crate::AdapterMemory::ModuleArena(crate::WasiArena {
                                    start: 1024,
                                    end: 4096,
                                }),
                                false => crate::AdapterMemory::Grown,
                            },
                            imports: Vec::new(),
                            exports: Vec::new(),
                        };
                        let bytes = module(&legacy).unwrap_or_else(|e| panic!("{e}"));
                        wasmparser::Validator::new()
                            .validate_all(&bytes)
                            .unwrap_or_else(|e| panic!("{family:?} {allocator:?} {result:?}: {e}"));
                    }
                }
            }
        }
    }
}
