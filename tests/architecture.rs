//! docs/architecture.md's module graph is the code's, and it has no cycle.
//!
//! The graph is read from the fenced block after the `module-graph` marker
//! in docs/architecture.md (`module -> dep, dep` lines) and from the sources
//! by a text scan: a file is its top-level module (`src/foo.rs` and
//! `src/foo/**.rs` are `foo`), and its edges are the `crate::<name>` paths
//! it names (`use crate::x::…`, `crate::x::f(…)`, `use crate::{x, y}`).
//! Comments (doc links are not dependencies), string and char literals and
//! `#[cfg(test)]` items (compiled only into the test binary, where a test
//! may drive a module through its callers) are left out. `src/lib.rs` (the
//! crate root, which declares the modules) and `src/wasm/` (the binding,
//! allowed to call anything) are not in the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

const MARKER: &str = "<!-- module-graph";

/// Where a module's reference to another was first seen (`src/x.rs:12`).
type Seen = BTreeMap<(String, String), String>;

/// The code's graph, each edge with where it was first seen; and every
/// `crate::<name>` whose name is no module.
fn code_graph() -> (Graph, Seen, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut graph = Graph::new();
    let mut refs = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(root.join("src")).unwrap();
        let parts: Vec<&str> = rel.iter().map(|p| p.to_str().unwrap()).collect();
        if parts[0] == "wasm" || parts == ["lib.rs"] {
            continue;
        }
        let module = parts[0].trim_end_matches(".rs").to_string();
        graph.entry(module.clone()).or_default();
        let text = fs::read_to_string(file).unwrap();
        let shown = format!("src/{}", parts.join("/"));
        for (line, name) in crate_refs(&without_test_items(&code_only(&text))) {
            refs.push((module.clone(), name, format!("{shown}:{line}")));
        }
    }
    let mut seen = Seen::new();
    let mut unknown = Vec::new();
    for (module, name, at) in refs {
        if name == module {
            continue;
        }
        if !graph.contains_key(&name) {
            unknown.push(format!(
                "{at} names crate::{name}, which is no module of the graph (name the module the item lives in)"
            ));
            continue;
        }
        graph.get_mut(&module).unwrap().insert(name.clone());
        seen.entry((module, name)).or_insert(at);
    }
    (graph, seen, unknown)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The source with comments removed and the insides of string and char
/// literals blanked, newlines kept (so line numbers stay right and a brace
/// or a `crate::` in a string or a comment is not seen).
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let blank = |ch: char| if ch == '\n' { '\n' } else { ' ' };
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < c.len() {
        let prev = if i == 0 { ' ' } else { c[i - 1] };
        if c[i] == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(c[i]));
                    i += 1;
                }
            }
        } else if !is_ident(prev) && (c[i] == 'r' || (c[i] == 'b' && at(i + 1) == 'r')) {
            // A raw string, r"…" or r#"…"# (br too); else an identifier.
            let mut j = i + if c[i] == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) != '"' {
                out.push(c[i]);
                i += 1;
                continue;
            }
            j += 1;
            while j < c.len() && !(c[j] == '"' && (1..=hashes).all(|k| at(j + k) == '#')) {
                out.push(blank(c[j]));
                j += 1;
            }
            i = j + 1 + hashes;
        } else if c[i] == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    i += 1;
                }
                out.push(blank(at(i)));
                i += 1;
            }
            i += 1;
        } else if c[i] == '\'' && at(i + 1) == '\\' {
            // '\n', '\'', '\u{…}'
            i += 3;
            while i < c.len() && c[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else if c[i] == '\'' && at(i + 2) == '\'' {
            i += 3;
        } else {
            // Code, or a lifetime's quote.
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// `code` without the items under `#[cfg(test)]`: from the attribute to
/// the item's `;` or its closing brace. Newlines are kept.
fn without_test_items(code: &str) -> String {
    const ATTR: &str = "#[cfg(test)]";
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(start) = rest.find(ATTR) {
        out.push_str(&rest[..start]);
        let item = &rest[start + ATTR.len()..];
        let (mut nesting, mut braces, mut end) = (0i32, 0i32, item.len());
        for (k, ch) in item.char_indices() {
            match ch {
                '(' | '[' => nesting += 1,
                ')' | ']' => nesting -= 1,
                ';' if nesting == 0 && braces == 0 => {
                    end = k + 1;
                    break;
                }
                '{' => braces += 1,
                '}' => {
                    braces -= 1;
                    if braces == 0 {
                        end = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.extend(item[..end].chars().filter(|&ch| ch == '\n'));
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Each `crate::<name>` of `code` (the names of a `crate::{…}` group too),
/// with its line.
fn crate_refs(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|b| is_ident(b) && b != '$') {
                continue; // `hookmatch_crate::` and the like
            }
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => {
                    // Top-level names of the group: `{a::X, b, c::{Y, Z}}`.
                    let (mut depth, mut item_start, mut names) = (0, true, Vec::new());
                    for (k, ch) in group.char_indices() {
                        match ch {
                            '{' => depth += 1,
                            '}' if depth == 0 => break,
                            '}' => depth -= 1,
                            ',' if depth == 0 => item_start = true,
                            ch if item_start && is_ident(ch) => {
                                let len = group[k..]
                                    .find(|c: char| !is_ident(c))
                                    .unwrap_or(group.len() - k);
                                names.push(&group[k..k + len]);
                                item_start = false;
                            }
                            _ => {}
                        }
                    }
                    names
                }
                None => {
                    let len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
                    vec![&rest[..len]]
                }
            };
            found.extend(
                names
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| (n + 1, s.to_string())),
            );
        }
    }
    found
}

/// The graph of docs/architecture.md's `module-graph` block.
fn documented_graph() -> Graph {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md");
    let doc = fs::read_to_string(&path).unwrap();
    let after = doc
        .split_once(MARKER)
        .unwrap_or_else(|| panic!("docs/architecture.md has no {MARKER} …--> marker"))
        .1;
    let mut lines = after.lines().skip(1);
    assert!(
        lines.next().is_some_and(|l| l.starts_with("```")),
        "docs/architecture.md: a fenced block must follow the {MARKER} marker line"
    );
    let mut graph = Graph::new();
    for line in lines.take_while(|l| !l.starts_with("```")) {
        let (module, deps) = line.split_once("->").unwrap_or_else(|| {
            panic!("docs/architecture.md: {line:?} is not `module -> dep, dep`")
        });
        let deps: BTreeSet<String> = deps
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(String::from)
            .collect();
        let module = module.trim().to_string();
        assert!(
            graph.insert(module.clone(), deps).is_none(),
            "docs/architecture.md lists {module} twice"
        );
    }
    graph
}

/// A cycle of `graph` (`a -> b -> a`), if it has one: a depth-first search
/// that meets a module still on its path.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        OnPath,
        Done,
    }
    fn visit<'g>(
        graph: &'g Graph,
        node: &'g str,
        marks: &mut BTreeMap<&'g str, Mark>,
        path: &mut Vec<&'g str>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::OnPath) => {
                let from = path.iter().position(|n| *n == node).unwrap();
                let mut cycle: Vec<String> = path[from..].iter().map(|s| s.to_string()).collect();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node, Mark::OnPath);
        path.push(node);
        for dep in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(graph, dep, marks, path) {
                return Some(c);
            }
        }
        path.pop();
        marks.insert(node, Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph
        .keys()
        .find_map(|n| visit(graph, n, &mut marks, &mut Vec::new()))
}

#[test]
fn the_documented_module_graph_is_the_codes() {
    let (code, seen, mut problems) = code_graph();
    let doc = documented_graph();
    for m in code.keys().filter(|m| !doc.contains_key(*m)) {
        problems.push(format!(
            "module {m} (src/{m}) is missing from the documented graph"
        ));
    }
    for m in doc.keys().filter(|m| !code.contains_key(*m)) {
        problems.push(format!(
            "the documented graph lists module {m}, which src/ does not have"
        ));
    }
    let empty = BTreeSet::new();
    for (m, deps) in &code {
        for d in deps.difference(doc.get(m).unwrap_or(&empty)) {
            problems.push(format!(
                "missing edge {m} -> {d}: {} names crate::{d}, the documented graph has no such edge",
                seen[&(m.clone(), d.clone())]
            ));
        }
    }
    for (m, deps) in &doc {
        for d in deps.difference(code.get(m).unwrap_or(&empty)) {
            problems.push(format!(
                "extra edge {m} -> {d}: the documented graph has it, but no file of module {m} names crate::{d}"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/architecture.md's module graph and the code differ:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_module_graph_has_no_cycle() {
    let (code, seen, _) = code_graph();
    if let Some(c) = cycle(&code) {
        let at: Vec<String> = c
            .windows(2)
            .map(|e| {
                format!(
                    "{} -> {} ({})",
                    e[0],
                    e[1],
                    seen[&(e[0].clone(), e[1].clone())]
                )
            })
            .collect();
        panic!(
            "the modules under src/ have a cycle, {}:\n  {}",
            c.join(" -> "),
            at.join("\n  ")
        );
    }
    if let Some(c) = cycle(&documented_graph()) {
        panic!(
            "docs/architecture.md's module graph has a cycle: {}",
            c.join(" -> ")
        );
    }
}

/// The scan and the search themselves, on inputs whose answers are known.
#[test]
fn the_scan_reads_code_only_and_the_search_finds_a_cycle() {
    let src = r##"
use crate::a::X; // crate::comment
/// [`crate::doc_link`]
const S: &str = "crate::in_string {";
const R: &str = r#"crate::in_raw " {"#;
const C: char = '{';
fn f<'a>(x: &'a str) { crate::b::g(x) }
use crate::{c::Y, d, e::{Z, W}};
#[cfg(test)]
mod tests { use crate::tested; fn t() { if true { crate::also_tested(); } } }
#[cfg(test)]
use crate::test_import;
/* crate::block /* nested */ crate::block_too */
use crate::after;
"##;
    let refs: Vec<(usize, String)> = crate_refs(&without_test_items(&code_only(src)));
    let names: Vec<&str> = refs.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "e", "after"]);
    assert_eq!(
        refs.last().unwrap().0,
        14,
        "line numbers survive the stripping"
    );

    let graph = |edges: &[(&str, &str)]| {
        let mut g = Graph::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    assert_eq!(cycle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])), None);
    assert_eq!(
        cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "b")])),
        Some(vec!["b".into(), "c".into(), "b".into()])
    );
}
