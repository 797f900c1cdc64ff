//! The host's modules form layers: pure data, the two backends (`component`, `remote`) and
//! the facade. This test reads `src/` and fails when a top-level module uses another in a
//! cycle, or when a data module uses a backend or the facade, or one backend the other.
//! (Inside `component/`, the generated bindings and the imports they are implemented by use
//! each other: the one cycle `bindgen!` forces, which this test does not see.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The backends; every other top-level module but the facade's is data.
const BACKENDS: [&str; 2] = ["component", "remote"];
/// The facade: what embedders call, and what dispatches to a backend.
const FACADE: [&str; 3] = ["backend", "host", "plugin"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`component/pool.rs` → `component`).
fn top_module(file: &Path) -> String {
    let relative = file.strip_prefix(src()).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_str().unwrap().trim_end_matches(".rs").to_owned()
}

/// The code of a file without comments and without its unit tests (which may use anything).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules `code` names through `crate::`: in paths (`crate::error::Error`) and
/// in grouped imports (`use crate::{error::Error, types}`).
fn modules_used(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            for item in split_top_level(&group[..end]) {
                used.insert(identifier(item.trim()));
            }
        } else {
            used.insert(identifier(rest));
        }
    }
    used.retain(|name| !name.is_empty());
    used
}

/// `items` split at the commas outside braces.
fn split_top_level(items: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in items.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&items[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&items[start..]);
    parts
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Which top-level module uses which, from the sources.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let module = top_module(&file);
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let mut used = modules_used(&code(&text));
        used.remove(&module);
        // Names re-exported at the crate root, such as `crate::Error`, are not modules.
        used.retain(|name| name.chars().next().is_some_and(|c| c.is_lowercase()));
        graph.entry(module).or_default().extend(used);
    }
    graph
}

/// A cycle through `start`, as the list of modules on it, if there is one.
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let current = path.last().unwrap().clone();
        for next in graph.get(&current).into_iter().flatten() {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_owned()];
    walk(graph, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn the_parser_sees_paths_and_grouped_imports() {
    let used = modules_used(
        "use crate::error::{Error, Result};\nuse crate::{types::Identity, manifest};\n\
         let x = crate::limits::DEFAULT;",
    );
    let names: Vec<&str> = used.iter().map(String::as_str).collect();
    assert_eq!(names, ["error", "limits", "manifest", "types"]);
}

#[test]
fn the_top_level_modules_form_no_cycle() {
    let graph = graph();
    assert!(graph.contains_key("component") && graph.contains_key("remote"));
    for module in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, module) {
            panic!("an import cycle: {} -> {module}", cycle.join(" -> "));
        }
    }
}

#[test]
fn data_uses_no_backend_and_no_backend_uses_the_other_or_the_facade() {
    for (module, used) in graph() {
        let is_backend = BACKENDS.contains(&module.as_str());
        let is_facade = FACADE.contains(&module.as_str());
        for target in &used {
            let target_is_backend = BACKENDS.contains(&target.as_str());
            let target_is_facade = FACADE.contains(&target.as_str());
            if is_facade {
                continue;
            }
            assert!(
                !target_is_facade,
                "`{module}` uses the facade module `{target}`"
            );
            assert!(
                is_backend || !target_is_backend,
                "the data module `{module}` uses the backend `{target}`"
            );
            assert!(
                !(is_backend && target_is_backend),
                "the backend `{module}` uses the other backend `{target}`"
            );
        }
    }
}
