//! The compile budget: what a component may hold before it is handed to Cranelift. Compile
//! time grows with the number of functions and faster than linearly with block nesting (a
//! 600 KB component of 200,000 nested blocks took 87 s to compile; 100,000 empty functions 9 to
//! 15 s and 620 MB), so both are counted with wasmparser, in milliseconds, and a component
//! over budget is refused before anything is compiled.
//!
//! The defaults sit well above the largest real components (measured on the Python and
//! JavaScript components of this repository: see each constant). Counting an 18 MB Python
//! component takes about 90 ms, and happens only when it is about to be compiled (seconds),
//! never on a load from the artifact cache.

use wasmparser::{Operator, Parser, Payload};

use crate::error::{Error, Result};

/// The largest component file read or compiled: 64 MiB (a Python component is about 18 MB,
/// a JavaScript one about 12 MB).
pub const DEFAULT_MAX_COMPONENT_BYTES: u64 = 64 << 20;
/// The most core functions (with bodies) across all of a component's modules: the Python
/// components define 13,375, the JavaScript ones 12,700, a Rust one a few hundred.
pub const DEFAULT_MAX_FUNCTIONS: u32 = 40_000;
/// The largest function body, in bytes: the largest in the Python components is 427 KB (the
/// interpreter loop), in the JavaScript ones 172 KB.
pub const DEFAULT_MAX_FUNCTION_BODY_BYTES: u32 = 2 << 20;
/// The deepest nesting of blocks, loops and `if`s in one function: 781 in the Python
/// components (the interpreter loop's `switch`), 549 in an adapted Go module, 456 in the
/// JavaScript ones. Compile time grows about with the square of it: 200,000 took 87 s.
pub const DEFAULT_MAX_NESTING_DEPTH: u32 = 10_000;

/// What a component may hold before it is compiled; see [`HostConfig::compile_budget`]
/// (crate::HostConfig::compile_budget). Applies to components read from a file, given as
/// bytes, and to legacy modules' adapted components. A component loaded from the artifact
/// cache is not compiled and not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompileBudget {
    /// The largest component (file or bytes), in bytes. Default
    /// [`DEFAULT_MAX_COMPONENT_BYTES`].
    pub max_component_bytes: u64,
    /// The most core functions with bodies, summed over the component's modules. Default
    /// [`DEFAULT_MAX_FUNCTIONS`].
    pub max_functions: u32,
    /// The largest function body, in bytes. Default [`DEFAULT_MAX_FUNCTION_BODY_BYTES`].
    pub max_function_body_bytes: u32,
    /// The deepest nesting of blocks, loops, `if`s and `try`s in one function. Default
    /// [`DEFAULT_MAX_NESTING_DEPTH`].
    pub max_nesting_depth: u32,
}

impl Default for CompileBudget {
    fn default() -> Self {
        Self {
            max_component_bytes: DEFAULT_MAX_COMPONENT_BYTES,
            max_functions: DEFAULT_MAX_FUNCTIONS,
            max_function_body_bytes: DEFAULT_MAX_FUNCTION_BODY_BYTES,
            max_nesting_depth: DEFAULT_MAX_NESTING_DEPTH,
        }
    }
}

/// What a binary holds, as far as the budget counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CodeShape {
    /// Core functions with bodies.
    pub(crate) functions: u64,
    /// The largest body, in bytes.
    pub(crate) largest_body: u64,
    /// The deepest block nesting in any function.
    pub(crate) deepest_nesting: u64,
}

impl CompileBudget {
    /// Refuses `bytes` (of plugin `plugin`) when they are over budget, naming the cap.
    /// Counting stops at the first cap exceeded.
    pub(crate) fn check(&self, plugin: &str, bytes: &[u8]) -> Result<()> {
        let over = |what: String, setting: &str| Error::InvalidComponent {
            plugin: plugin.to_owned(),
            message: format!(
                "over the compile budget: {what} (raise CompileBudget::{setting} to allow it)"
            ),
            source: None,
        };
        if bytes.len() as u64 > self.max_component_bytes {
            return Err(over(
                format!(
                    "{} bytes, over the cap of {} bytes",
                    bytes.len(),
                    self.max_component_bytes
                ),
                "max_component_bytes",
            ));
        }
        let shape = measure(bytes, self).map_err(|e| Error::InvalidComponent {
            plugin: plugin.to_owned(),
            message: "cannot read its sections".into(),
            source: Some(e.into()),
        })?;
        if shape.functions > u64::from(self.max_functions) {
            return Err(over(
                format!("more than {} functions", self.max_functions),
                "max_functions",
            ));
        }
        if shape.largest_body > u64::from(self.max_function_body_bytes) {
            return Err(over(
                format!(
                    "a function body of {} bytes, over the cap of {}",
                    shape.largest_body, self.max_function_body_bytes
                ),
                "max_function_body_bytes",
            ));
        }
        if shape.deepest_nesting > u64::from(self.max_nesting_depth) {
            return Err(over(
                format!("blocks nested more than {} deep", self.max_nesting_depth),
                "max_nesting_depth",
            ));
        }
        Ok(())
    }
}

/// Counts functions, body sizes and nesting in `bytes` and every module nested in them,
/// stopping as soon as a count passes its cap in `budget`.
pub(crate) fn measure(bytes: &[u8], budget: &CompileBudget) -> wasmparser::Result<CodeShape> {
    let mut shape = CodeShape::default();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::CodeSectionStart { count, .. } => {
                shape.functions += u64::from(count);
                if shape.functions > u64::from(budget.max_functions) {
                    return Ok(shape);
                }
            }
            Payload::CodeSectionEntry(body) => {
                let size = body.range().len() as u64;
                shape.largest_body = shape.largest_body.max(size);
                if size > u64::from(budget.max_function_body_bytes) {
                    return Ok(shape);
                }
                let depth = nesting(&body, u64::from(budget.max_nesting_depth))?;
                shape.deepest_nesting = shape.deepest_nesting.max(depth);
                if depth > u64::from(budget.max_nesting_depth) {
                    return Ok(shape);
                }
            }
            _ => {}
        }
    }
    Ok(shape)
}

/// The deepest nesting of blocks in one function body; stops once past `cap`.
fn nesting(body: &wasmparser::FunctionBody<'_>, cap: u64) -> wasmparser::Result<u64> {
    let mut reader = body.get_operators_reader()?;
    let (mut depth, mut deepest) = (0u64, 0u64);
    while !reader.eof() {
        match reader.read()? {
            Operator::Block { .. }
            | Operator::Loop { .. }
            | Operator::If { .. }
            | Operator::Try { .. }
            | Operator::TryTable { .. } => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                    if deepest > cap {
                        break;
                    }
                }
            }
            Operator::End => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(deepest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested_blocks(depth: usize) -> Vec<u8> {
        let mut text = String::from("(module (func ");
        text.push_str(&"block ".repeat(depth));
        text.push_str(&"end ".repeat(depth));
        text.push_str("))");
        wat::parse_str(&text).unwrap()
    }

    #[test]
    fn counts_functions_bodies_and_nesting() {
        let module =
            wat::parse_str("(module (func) (func block loop i32.const 1 if end end end) (func))")
                .unwrap();
        let shape = measure(&module, &CompileBudget::default()).unwrap();
        assert_eq!(shape.functions, 3);
        assert_eq!(shape.deepest_nesting, 3);
        assert!(shape.largest_body > 0);
    }

    #[test]
    fn a_deep_nest_is_refused_naming_the_cap() {
        let budget = CompileBudget::default();
        assert!(budget.check("p", &nested_blocks(9_000)).is_ok());
        let err = budget.check("p", &nested_blocks(10_001)).unwrap_err();
        assert!(matches!(err, Error::InvalidComponent { .. }), "{err}");
        assert!(err.to_string().contains("max_nesting_depth"), "{err}");
        let small = CompileBudget {
            max_component_bytes: 8,
            ..budget
        };
        let err = small.check("p", &nested_blocks(1)).unwrap_err();
        assert!(err.to_string().contains("max_component_bytes"), "{err}");
    }
}
