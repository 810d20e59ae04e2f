//! `.clusterfuzzlite/build.sh` run locally, as the OSS-Fuzz / ClusterFuzzLite builder runs it:
//! `$SRC` and `$OUT` are temporary folders (`$SRC/mstrp` is this checkout), and every fuzz
//! target of fuzz/Cargo.toml must come out as a binary, a seed corpus zip, a dictionary and
//! an options file.
//!
//! Building every fuzzer is slow, so the test runs only with `MSTRP_RUN_OSS_FUZZ_BUILD=1`
//! (.ci/run sets it, after its own `cargo fuzz build --sanitizer none`, whose fuzz/target this
//! reuses through `CARGO_FUZZ_FLAGS="--sanitizer none"`); otherwise it says it skipped.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `[[bin]]` names of fuzz/Cargo.toml (what `cargo fuzz list` prints).
fn fuzz_targets() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
    let mut out = Vec::new();
    let mut in_bin = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if let (true, Some(v)) = (in_bin, line.strip_prefix("name = ")) {
            out.push(v.trim_matches('"').to_string());
        }
    }
    out
}

#[test]
fn the_layout_clusterfuzzlite_expects_is_there() {
    let dir = root().join(".clusterfuzzlite");
    let project = std::fs::read_to_string(dir.join("project.yaml")).unwrap();
    assert!(project.lines().any(|l| l.trim() == "language: rust"));
    let docker = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    assert!(docker.contains("base-builder-rust") && docker.contains("build.sh $SRC/"));
    // Every target has a seed corpus for the zip.
    for t in fuzz_targets() {
        let corpus = root().join("fuzz/corpus").join(&t);
        assert!(
            std::fs::read_dir(&corpus).is_ok_and(|mut d| d.next().is_some()),
            "{} is empty",
            corpus.display()
        );
    }
}

#[test]
fn build_sh_produces_every_fuzzer_with_its_corpus_dictionary_and_options() {
    if std::env::var_os("MSTRP_RUN_OSS_FUZZ_BUILD").is_none() {
        eprintln!(
            "skipped: set MSTRP_RUN_OSS_FUZZ_BUILD=1 to run .clusterfuzzlite/build.sh (builds every fuzzer)"
        );
        return;
    }
    let tmp = std::env::temp_dir().join(format!("mstrp-oss-fuzz-{}", std::process::id()));
    let (src, out) = (tmp.join("src"), tmp.join("out"));
    std::fs::create_dir_all(&src).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(root(), src.join("mstrp")).unwrap();
    let status = Command::new("bash")
        .arg(root().join(".clusterfuzzlite/build.sh"))
        .env("SRC", &src)
        .env("OUT", &out)
        .env(
            "CARGO_FUZZ_FLAGS",
            std::env::var("CARGO_FUZZ_FLAGS").unwrap_or_else(|_| "--sanitizer none".into()),
        )
        .status()
        .unwrap();
    assert!(status.success(), "build.sh failed: {status}");
    let targets = fuzz_targets();
    assert!(targets.len() >= 7, "{targets:?}");
    for t in &targets {
        let bin = out.join(t);
        let meta = std::fs::metadata(&bin).unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
        assert!(meta.len() > 0);
        use std::os::unix::fs::PermissionsExt;
        assert!(
            meta.permissions().mode() & 0o111 != 0,
            "{t} is not executable"
        );
        // A zip archive starts with a local file header, "PK\x03\x04" (APPNOTE 4.3.7).
        let zip = std::fs::read(out.join(format!("{t}_seed_corpus.zip"))).unwrap();
        assert_eq!(&zip[..4], b"PK\x03\x04", "{t}_seed_corpus.zip");
        let dict = std::fs::read(out.join(format!("{t}.dict"))).unwrap();
        assert_eq!(
            dict,
            std::fs::read(root().join(format!("fuzz/dict/{t}.dict"))).unwrap()
        );
        let options = std::fs::read_to_string(out.join(format!("{t}.options"))).unwrap();
        assert!(options.starts_with("[libfuzzer]"), "{options}");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
