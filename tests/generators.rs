//! The generated files are what the generators in `tools/` produce from the committed data.
//!
//! Runs `python3 tools/<generator>.py --check` for the request catalogue, the request
//! known-answer tests and the event catalogues (each compares its output with the committed
//! files and exits 1 on drift), and `tools/extract.py --check` when the spec is present at its
//! default path (`../shared/spec/MS-TRP/MS-TRP.md` from the repository root), which checks
//! `tools/data/` against the spec. Without python3 (or rustfmt, which `gen_kat.py` pipes its
//! output through) the checks are skipped with a message; `MSTRP_REQUIRE_PYTHON=1` turns a
//! missing tool into a failure. `tools/regenerate` runs the same checks and more.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether `tool --version` runs; if not, skips (prints why) or, under
/// `MSTRP_REQUIRE_PYTHON=1`, fails.
fn available(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let required = std::env::var("MSTRP_REQUIRE_PYTHON").is_ok_and(|v| v == "1");
        assert!(!required, "{tool} not found and MSTRP_REQUIRE_PYTHON=1");
        println!("skipped: {tool} not found (set MSTRP_REQUIRE_PYTHON=1 to make this a failure)");
    }
    ok
}

fn check(script: &str, extra: &[&str]) {
    let out = Command::new("python3")
        .arg(root().join("tools").join(script))
        .arg("--check")
        .args(extra)
        .current_dir(root())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "tools/{script} --check: {}\n{stdout}{stderr}\nRegenerate with tools/regenerate --write \
         (or change the generator/its tables if the committed file is the reviewed one).",
        out.status
    );
    print!("{stdout}");
}

#[test]
fn request_catalogue_is_generated() {
    if available("python3") {
        check("gen_catalogue.py", &[]);
    }
}

#[test]
fn request_known_answer_tests_are_generated() {
    if available("python3") && available("rustfmt") {
        check("gen_kat.py", &[]);
    }
}

#[test]
fn event_catalogues_are_generated() {
    if available("python3") {
        check("gen_events.py", &[]);
    }
}

#[test]
fn extracted_data_matches_the_spec() {
    let spec: PathBuf = root().join("../shared/spec/MS-TRP/MS-TRP.md");
    if !spec.exists() {
        println!("skipped: no spec at {}", spec.display());
        return;
    }
    if available("python3") {
        check("extract.py", &["--spec", spec.to_str().unwrap()]);
    }
}
