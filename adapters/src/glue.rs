//! The glue core module, generated per legacy module from its classification. It gives the
//! canonical ABI what a lifted export needs and the legacy module lacks: a `realloc` (the
//! legacy allocator), a core function of the lifted signature (the legacy entry point, its
//! result stored to a return area), a post-return that hands the buffers back to the legacy
//! allocator, and a start function that runs `_initialize`/`_start` once per instance. It never
//! copies the request or the answer: the canonical ABI does that, in the legacy module's memory.

use std::fmt::Write as _;

use crate::classify::{Allocator, Legacy, ResultShape};
use crate::error::AdaptError;

/// The module name under which the glue imports the legacy instance's exports.
pub(crate) const LEGACY: &str = "legacy";
/// The glue's `realloc` export.
pub(crate) const REALLOC: &str = "cabi_realloc";
/// The glue's entry point export, of the lifted signature `(ptr, len) -> retptr`.
pub(crate) const AUTHENTICATE: &str = "authenticate";
/// The glue's post-return export for [`AUTHENTICATE`].
pub(crate) const POST_AUTHENTICATE: &str = "cabi_post_authenticate";

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

    // `allocate` returns a fresh buffer; `release` hands one back after the call.
    let (allocate, release) = match legacy.allocator {
        Allocator::AllocDealloc { dealloc } => {
            import(&mut wat, "alloc", "alloc", "(param i32) (result i32)");
            let release = if dealloc {
                import(&mut wat, "dealloc", "dealloc", "(param i32 i32)");
                "local.get $ptr local.get $len call $dealloc"
            } else {
                ""
            };
            ("local.get $size call $alloc", release)
        }
        Allocator::MallocFree { free } => {
            import(&mut wat, "malloc", "malloc", "(param i32) (result i32)");
            let release = if free {
                import(&mut wat, "free", "free", "(param i32)");
                "local.get $ptr call $free"
            } else {
                ""
            };
            ("local.get $size call $malloc", release)
        }
        Allocator::AssemblyScript => {
            import(&mut wat, "__new", "new", "(param i32 i32) (result i32)");
            import(&mut wat, "__pin", "pin", "(param i32) (result i32)");
            import(&mut wat, "__unpin", "unpin", "(param i32)");
            // Class id 1 is `ArrayBuffer`: plain bytes to the AssemblyScript runtime.
            (
                "local.get $size i32.const 1 call $new call $pin",
                "local.get $ptr call $unpin",
            )
        }
    };
    let entry_results = match legacy.result {
        ResultShape::PackedI64 => "(result i64)",
        ResultShape::Pair => "(result i32 i32)",
    };
    import(
        &mut wat,
        "authenticate",
        "entry",
        &format!("(param i32 i32) {entry_results}"),
    );
    if let Some(start) = &legacy.start {
        import(&mut wat, start, "legacy_start", "");
        wat.push_str("  (start $legacy_start)\n");
    }

    // The input buffer, released after the call; the return area (two `u32`, 4-aligned since
    // the legacy allocator promises no alignment), one per instance.
    wat.push_str(
        "  (global $input_ptr (mut i32) (i32.const 0))\n\
         \x20 (global $input_len (mut i32) (i32.const 0))\n\
         \x20 (global $ret_area (mut i32) (i32.const 0))\n",
    );
    // Named so that a backtrace says what went wrong.
    wat.push_str("  (func $legacy_allocator_returned_null unreachable)\n");
    writeln!(
        wat,
        "  (func $allocate (param $size i32) (result i32) (local $ptr i32)\n\
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
    // The canonical ABI asks only for fresh buffers here: one string argument per call.
    writeln!(
        wat,
        "  (func (export \"{REALLOC}\") (param i32 i32 i32) (param $size i32) (result i32)\n\
         \x20   local.get $size i32.eqz if i32.const 0 return end\n\
         \x20   local.get $size call $allocate global.set $input_ptr\n\
         \x20   local.get $size global.set $input_len\n\
         \x20   global.get $input_ptr)"
    )
    .unwrap();
    let store_result = match legacy.result {
        ResultShape::PackedI64 => {
            "call $entry local.set $packed\n\
             \x20   global.get $ret_area local.get $packed i64.const 32 i64.shr_u i32.wrap_i64 i32.store\n\
             \x20   global.get $ret_area local.get $packed i32.wrap_i64 i32.store offset=4"
        }
        ResultShape::Pair => {
            "call $entry local.set $len local.set $ptr\n\
             \x20   global.get $ret_area local.get $ptr i32.store\n\
             \x20   global.get $ret_area local.get $len i32.store offset=4"
        }
    };
    writeln!(
        wat,
        "  (func (export \"{AUTHENTICATE}\") (param i32 i32) (result i32)\n\
         \x20   (local $packed i64) (local $ptr i32) (local $len i32)\n\
         \x20   global.get $ret_area i32.eqz if\n\
         \x20     i32.const 11 call $allocate i32.const 3 i32.add i32.const -4 i32.and\n\
         \x20     global.set $ret_area\n\
         \x20   end\n\
         \x20   local.get 0 local.get 1 {store_result}\n\
         \x20   global.get $ret_area)"
    )
    .unwrap();
    // An AssemblyScript module's answer is not a buffer the glue pinned: it is left to the
    // module's garbage collector.
    let release_answer = match legacy.allocator {
        Allocator::AssemblyScript => "",
        _ => "local.get $ret i32.load local.get $ret i32.load offset=4 call $release",
    };
    writeln!(
        wat,
        "  (func (export \"{POST_AUTHENTICATE}\") (param $ret i32)\n\
         \x20   global.get $input_ptr global.get $input_len call $release\n\
         \x20   i32.const 0 global.set $input_ptr\n\
         \x20   {release_answer})"
    )
    .unwrap();
    wat.push_str(")\n");
    wat
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Family;

    #[test]
    fn every_allocator_and_result_shape_gives_a_valid_module() {
        let allocators = [
            Allocator::AllocDealloc { dealloc: true },
            Allocator::AllocDealloc { dealloc: false },
            Allocator::MallocFree { free: true },
            Allocator::MallocFree { free: false },
            Allocator::AssemblyScript,
        ];
        for allocator in allocators {
            for result in [ResultShape::PackedI64, ResultShape::Pair] {
                for start in [None, Some("_initialize".to_string())] {
                    let legacy = Legacy {
                        family: Family::J,
                        allocator,
                        result,
                        start,
                        imports: Vec::new(),
                        exports: Vec::new(),
                    };
                    let bytes = module(&legacy).unwrap_or_else(|e| panic!("{e}"));
                    wasmparser::Validator::new()
                        .validate_all(&bytes)
                        .unwrap_or_else(|e| panic!("{allocator:?} {result:?}: {e}"));
                }
            }
        }
    }
}
