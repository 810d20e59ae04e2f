//! `trp gen` (issue 12), run as a user would: files deterministic per seed, valid requests
//! that `trp validate` accepts, targeted violations that it reports, sequence files that
//! `trp replay` runs, and the refusals (exit status 2).
#![cfg(feature = "cli")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn trp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(args)
        .output()
        .unwrap()
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mstrp-cli-gen-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs `trp gen ARGS --out DIR` and returns the files it wrote (name -> bytes); the paths
/// printed are exactly the files in the folder.
fn generate(dir: &Path, args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut all = args.to_vec();
    all.extend(["--out", dir.to_str().unwrap()]);
    let out = trp(&all);
    assert!(
        out.status.success(),
        "trp gen {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Vec<PathBuf> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(PathBuf::from)
        .collect();
    let files: BTreeMap<String, Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    assert_eq!(printed.len(), files.len());
    for p in &printed {
        assert!(files.contains_key(p.file_name().unwrap().to_str().unwrap()));
    }
    files
}

fn paths(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    files
        .keys()
        .map(|n| dir.join(n).to_str().unwrap().to_string())
        .collect()
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    for kind in [
        "request",
        "reply",
        "events",
        "struct:LINEDEVCAPS",
        "sequence",
    ] {
        let tag = kind.replace(':', "-");
        let a = generate(
            &scratch(&format!("det-a-{tag}")),
            &["gen", "--as", kind, "--count", "6", "--seed", "42"],
        );
        let b = generate(
            &scratch(&format!("det-b-{tag}")),
            &["gen", "--as", kind, "--count", "6", "--seed", "42"],
        );
        let c = generate(
            &scratch(&format!("det-c-{tag}")),
            &["gen", "--as", kind, "--count", "6", "--seed", "43"],
        );
        assert_eq!(a.len(), 6, "{kind}");
        assert_eq!(a, b, "{kind}: same seed, same files");
        assert_ne!(
            a.values().collect::<Vec<_>>(),
            c.values().collect::<Vec<_>>(),
            "{kind}: another seed, other bytes"
        );
    }
}

#[test]
fn file_names_say_what_they_hold() {
    let dir = scratch("names");
    let files = generate(
        &dir,
        &[
            "gen", "--as", "request", "--func", "MakeCall", "--count", "2",
        ],
    );
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "request-0000-LineMakeCall.bin",
            "request-0001-LineMakeCall.bin"
        ]
    );
    for bytes in files.values() {
        // Req_Func 48 (2.2.4.1.3.43 MakeCall), little-endian in the first DWORD.
        assert_eq!(&bytes[..4], &48u32.to_le_bytes());
    }
}

#[test]
fn every_generated_request_validates() {
    let dir = scratch("valid");
    let files = generate(
        &dir,
        &["gen", "--as", "request", "--count", "64", "--seed", "7"],
    );
    let mut args = vec!["validate".to_string(), "--json".to_string()];
    args.extend(paths(&dir, &files));
    let out = trp(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 64);
    for l in &lines {
        assert_eq!(l["valid"], true, "{l}");
    }
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn violate_48_2_is_reported_for_every_file() {
    let dir = scratch("violate");
    let files = generate(
        &dir,
        &[
            "gen",
            "--as",
            "request",
            "--violate",
            "48.2",
            "--count",
            "16",
            "--seed",
            "3",
        ],
    );
    assert!(
        files
            .keys()
            .all(|n| n.ends_with("-LineMakeCall-violates-48.2.bin"))
    );
    let mut args = vec!["validate".to_string(), "--json".to_string()];
    args.extend(paths(&dir, &files));
    let out = trp(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1), "every file breaks a rule");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 16);
    for l in &lines {
        let rules: Vec<&str> = l["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["rule"].as_str().unwrap())
            .collect();
        assert!(rules.contains(&"48.2"), "{l}");
    }
}

#[test]
fn a_resolver_check_by_name() {
    let dir = scratch("check");
    let files = generate(
        &dir,
        &[
            "gen",
            "--as",
            "request",
            "--violate",
            "missing-nul",
            "--count",
            "8",
            "--seed",
            "5",
        ],
    );
    for (name, bytes) in &files {
        assert!(name.ends_with("-violates-missing-nul.bin"), "{name}");
        let out = trp(&[
            "decode",
            "--as",
            "request",
            "--json",
            dir.join(name).to_str().unwrap(),
        ]);
        // The packet still decodes; the string reference reports its error.
        assert!(out.status.success(), "{name}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let refs = v["references"].as_array().unwrap();
        assert!(refs.iter().any(|r| r.get("error").is_some()), "{name}: {v}");
        assert!(!bytes.is_empty());
    }
}

#[test]
fn structures_decode_as_their_name() {
    let dir = scratch("struct");
    let files = generate(
        &dir,
        &[
            "gen",
            "--as",
            "struct:LINEDEVCAPS",
            "--count",
            "4",
            "--seed",
            "9",
        ],
    );
    for name in files.keys() {
        assert!(name.ends_with("-LINEDEVCAPS.bin"), "{name}");
        let out = trp(&[
            "decode",
            "--as",
            "struct:LINEDEVCAPS",
            "--json",
            dir.join(name).to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{name}: {out:?}");
    }
    // --fuzz-framing: decode_structure's input, the catalogue index and then the same bytes.
    let framed = generate(
        &scratch("struct-framed"),
        &[
            "gen",
            "--as",
            "struct:LINEDEVCAPS",
            "--count",
            "4",
            "--seed",
            "9",
            "--fuzz-framing",
        ],
    );
    let index = mstrp::structures::ALL
        .iter()
        .position(|d| d.name == "LINEDEVCAPS")
        .unwrap() as u8;
    for (name, bytes) in &framed {
        assert_eq!(bytes[0], index);
        assert_eq!(&bytes[1..], &files[name][..]);
    }
}

#[test]
fn an_unknown_structure_is_named() {
    let out = trp(&[
        "gen",
        "--as",
        "struct:LINENOSUCHTHING",
        "--out",
        scratch("unknown").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("LINENOSUCHTHING"), "{err}");
}

#[test]
fn refusals_exit_2_and_say_why() {
    let out_dir = scratch("refused");
    let out = out_dir.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        // In validation::rules::NOT_BREAKABLE_ALONE: lNeededSize is no byte of the packet.
        (
            &["--as", "request", "--violate", "CR.1"],
            "cannot be broken alone",
        ),
        // Rule 48.2 is MakeCall's; LineDrop has no such rule.
        (
            &["--as", "request", "--func", "LineDrop", "--violate", "48.2"],
            "belongs to LineMakeCall",
        ),
        // A stateful rule: the handle table decides, not the packet.
        (&["--as", "request", "--violate", "48.1"], "stateful"),
        // Accept (Req_Func 4, 2.2.4.1.3.1) has only a byte block, no string to leave unterminated.
        (
            &[
                "--as",
                "request",
                "--func",
                "LineAccept",
                "--violate",
                "missing-nul",
            ],
            "does not apply to LineAccept",
        ),
        (&["--as", "request", "--violate", "99.99"], "99.99"),
        (&["--as", "events", "--func", "MakeCall"], "--func"),
        (&["--as", "reply", "--violate", "48.2"], "--violate"),
    ];
    for (args, says) in cases {
        let mut all = vec!["gen"];
        all.extend_from_slice(args);
        all.extend(["--out", out]);
        let o = trp(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert!(!out_dir.exists(), "a refused batch writes nothing");
}

#[test]
fn sequence_files_replay_without_failure() {
    let dir = scratch("sequence");
    let files = generate(
        &dir,
        &["gen", "--as", "sequence", "--count", "4", "--seed", "11"],
    );
    for name in files.keys() {
        let out = trp(&["replay", "--json", dir.join(name).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{name}");
        let lines = json_lines(&out);
        assert!(!lines.is_empty());
        for l in &lines {
            let result = l["result"].as_str().unwrap();
            assert!(result == "success" || result == "request_id", "{name}: {l}");
        }
    }
}
