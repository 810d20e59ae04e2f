//! The crate's layers import only downward (issue 9, README "Layout").
//!
//! Modules are ranked; a file may name (through `crate::`, `$crate::` or `super::` paths) only
//! modules of its own rank or below, and the graph of top-level modules has no cycle. Inside
//! the concept folders, the files follow the same order: catalogue (descriptors) -> views ->
//! builders. The test reads the sources as text, so it also catches an import hidden in a
//! macro body.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules by layer, lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "wire primitives",
        &[
            "errors", "vardata", "header", "handles", "encoding", "test_rng",
        ],
    ),
    ("structures (2.2.6)", &["structures"]),
    ("requests (2.2.4.1)", &["requests"]),
    (
        "replies, events, validation",
        &["replies", "events", "validation"],
    ),
    ("rpc, session", &["rpc", "session"]),
    ("generate (feature arbitrary)", &["generate"]),
    ("capture (feature pcap)", &["capture"]),
    ("serve (feature serve)", &["serve"]),
    ("json", &["json"]),
    ("wireshark (feature wireshark)", &["wireshark"]),
];

/// Sub-layers of the files inside a concept folder: (folder, file stem, rank).
const FILE_LAYERS: &[(&str, &str, u8)] = &[
    ("requests", "meta", 0),
    ("requests", "catalogue", 0),
    ("requests", "ids", 0),
    ("requests", "known_as", 0),
    ("requests", "refs", 1),
    ("requests", "views", 1),
    ("requests", "display", 1),
    ("requests", "builders", 2),
    ("structures", "meta", 0),
    ("structures", "catalogue", 0),
    ("structures", "types", 0),
    ("structures", "view", 1),
    ("structures", "proxy", 1),
    ("structures", "builder", 2),
    ("events", "meta", 0),
    ("events", "catalogue", 0),
    ("events", "constants", 0),
    ("events", "frame", 1),
    ("events", "typed", 1),
    ("events", "build", 2),
];

/// Names that belong to a higher sub-layer: a catalogue or view file must not mention them.
const BUILDER_NAMES: &[&str] = &[
    "RequestBuilder",
    "StructBuilder",
    "EventBuilder",
    "builders::",
];

fn rank_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments (doc links may point anywhere).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or("")))
}

/// Every `crate::NAME` / `$crate::NAME` / `crate::{NAME, ...}` in a line.
fn crate_paths(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let before_ok = i == 0 || {
            let c = rest.as_bytes()[i - 1];
            !(c.is_ascii_alphanumeric() || c == b'_') || c == b'$'
        };
        let after = &rest[i + "crate::".len()..];
        if before_ok {
            if let Some(group) = after.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for part in group[..end].split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push(name);
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        }
        rest = after;
    }
    out
}

struct Source {
    rel: String,
    top: String,
    text: String,
}

fn load() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let top = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            // The crate root declares the modules and the binary sits above everything.
            (top != "lib" && top != "bin").then(|| Source {
                text: std::fs::read_to_string(&p).unwrap(),
                rel,
                top,
            })
        })
        .collect()
}

#[test]
fn every_module_has_a_layer() {
    for s in load() {
        assert!(
            rank_of(&s.top).is_some(),
            "src/{}: module `{}` is in no layer of tests/layers.rs",
            s.rel,
            s.top
        );
    }
}

#[test]
fn modules_import_only_their_own_layer_or_below() {
    let mut violations = Vec::new();
    for s in load() {
        let Some(rank) = rank_of(&s.top) else {
            continue;
        };
        for (n, line) in code_lines(&s.text) {
            for target in crate_paths(line) {
                let Some(t) = rank_of(&target) else { continue };
                if t > rank {
                    violations.push(format!(
                        "src/{}:{n}: {} ({}) imports {} ({})",
                        s.rel, s.top, LAYERS[rank].0, target, LAYERS[t].0
                    ));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "upward imports:\n{}",
        violations.join("\n")
    );
}

#[test]
fn top_level_module_graph_has_no_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in load() {
        for (_, line) in code_lines(&s.text) {
            for target in crate_paths(line) {
                if target != s.top && rank_of(&target).is_some() {
                    edges.entry(s.top.clone()).or_default().insert(target);
                }
            }
        }
    }
    // Depth-first search with colours; report the first cycle found.
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let start = stack.iter().position(|x| x == n).unwrap();
                let mut cycle = stack[start..].to_vec();
                cycle.push(n.into());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(n.into(), 1);
        stack.push(n.into());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.into(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        let cycle = visit(n, &edges, &mut state, &mut Vec::new());
        assert!(
            cycle.is_none(),
            "module cycle: {}",
            cycle.unwrap().join(" -> ")
        );
    }
}

#[test]
fn concept_folders_go_catalogue_then_views_then_builders() {
    let file_rank = |folder: &str, stem: &str| {
        FILE_LAYERS
            .iter()
            .find(|(f, s, _)| *f == folder && *s == stem)
            .map(|(_, _, r)| *r)
    };
    let names = ["catalogue", "views", "builders"];
    let mut violations = Vec::new();
    for s in load() {
        let parts: Vec<&str> = s.rel.split('/').collect();
        let [folder, file] = parts[..] else { continue };
        let stem = file.trim_end_matches(".rs");
        let Some(rank) = file_rank(folder, stem) else {
            continue;
        };
        for (n, line) in code_lines(&s.text) {
            // Sibling files named by path: super::FILE or crate::FOLDER::FILE.
            let prefixes = ["super::".to_string(), format!("crate::{folder}::")];
            for prefix in &prefixes {
                let mut rest = line;
                while let Some(i) = rest.find(prefix.as_str()) {
                    let after = &rest[i + prefix.len()..];
                    let sib: String = after
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if let Some(r) = file_rank(folder, &sib) {
                        if r > rank {
                            violations.push(format!(
                                "src/{}:{n}: {} file names the {} file {sib}",
                                s.rel, names[rank as usize], names[r as usize]
                            ));
                        }
                    }
                    rest = after;
                }
            }
            if rank < 2 {
                for b in BUILDER_NAMES {
                    if line.contains(b) {
                        violations.push(format!(
                            "src/{}:{n}: {} file mentions the builder {b}",
                            s.rel, names[rank as usize]
                        ));
                    }
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The checker itself: it sees plain, grouped and macro paths, and ignores comments.
#[test]
fn path_scanner_sees_every_form() {
    assert_eq!(crate_paths("use crate::requests::FuncId;"), ["requests"]);
    assert_eq!(
        crate_paths("use crate::{errors::X, vardata};"),
        ["errors", "vardata"]
    );
    assert_eq!(crate_paths("$crate::replies::Reply::parse"), ["replies"]);
    assert_eq!(
        crate_paths("let x = mycrate::json::y;"),
        Vec::<String>::new()
    );
    let lines: Vec<_> = code_lines("/// see [`crate::json`]\nuse crate::errors;").collect();
    assert_eq!(crate_paths(lines[0].1), Vec::<String>::new());
    assert_eq!(crate_paths(lines[1].1), ["errors"]);
}
