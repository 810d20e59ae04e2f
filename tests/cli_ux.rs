//! `trp` for people (issue 14 item 3): hex input forms, `decode --as auto`, `explain`,
//! completions, the man page and colour, run as a user would.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs trp with standard output and error piped, and with no colour variables inherited
/// unless `env` sets them.
fn trp_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trp"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn trp(args: &[&str]) -> Output {
    trp_env(args, &[])
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    assert!(!v.is_empty(), "{dir} is empty");
    v
}

fn has_ansi(b: &[u8]) -> bool {
    b.windows(2).any(|w| w == b"\x1b[")
}

// Dumps of samples made by xxd, hexdump -C, `xxd -p` (a hex stream) and od; the commands
// are in tests/hexdumps/README.md.
#[test]
fn every_hex_form_decodes_like_the_binary_sample() {
    for (sample, dumps) in [
        (
            "samples/requests/4.3-1-make-call.bin",
            &["xxd", "hexdump-C", "stream", "od"][..],
        ),
        (
            "samples/requests/4.1-1-initialize.bin",
            &["xxd", "hexdump-C", "stream", "od"],
        ),
        ("samples/requests/4.1-3-get-dev-caps.bin", &["hexdump-C"]),
    ] {
        let binary = trp(&["decode", "--json", sample]);
        assert!(binary.status.success());
        let stem = Path::new(sample).file_stem().unwrap().to_str().unwrap();
        for form in dumps {
            let dump = format!("tests/hexdumps/{stem}.{form}");
            let out = trp(&["decode", "--hex", "--json", &dump]);
            assert!(
                out.status.success(),
                "{dump}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(json_of(&out), json_of(&binary), "{dump}");
        }
    }
}

#[test]
fn a_bad_hex_digit_names_the_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("trp-cli-ux-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.hex");
    std::fs::write(&f, "30 00 00 00\n00 zz\n").unwrap();
    let out = trp(&["decode", "--hex", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.hex") && err.contains("line 2 column 4"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn as_auto_on_every_sample_kind() {
    for (dir, kind) in [
        ("samples/requests", "request"),
        ("samples/events", "events"),
        ("samples/captures", "capture"),
    ] {
        for f in files(dir) {
            let name = f.to_str().unwrap();
            let out = trp(&["decode", "--as", "auto", "--json", name]);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{name}: {err}");
            assert!(err.contains(&format!("detected {kind}")), "{name}: {err}");
            if kind == "capture" {
                // The calls of `trp pcap`, ending with its summary line.
                let last = out
                    .stdout
                    .split(|b| *b == b'\n')
                    .rev()
                    .find(|l| !l.is_empty());
                let summary: Value = serde_json::from_slice(last.unwrap()).unwrap();
                assert_eq!(summary["kind"], "summary", "{name}");
            } else {
                let v = json_of(&out);
                assert_eq!(v["detected"]["kind"], kind, "{name}");
                assert_eq!(
                    v["kind"],
                    if kind == "request" {
                        "request"
                    } else {
                        "events"
                    }
                );
            }
        }
    }
}

#[test]
fn as_auto_refuses_what_it_cannot_tell() {
    let out = trp(&["decode", "--as", "auto", "tests/hexdumps/README.md"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tests/hexdumps/README.md") && err.contains("--as auto"),
        "{err}"
    );
}

// Known answers from the spec: 3.1.4.2 "When Req_Func is equal to 48", bullet 2 (lpszDestAddress,
// LINEERR_INVALPOINTER); 2.2.4.1.3.43 MakeCall; 2.2.3.1.38 LINEERR_STRUCTURETOOSMALL.
#[test]
fn explain_a_rule() {
    let out = trp(&["explain", "--json", "48.2"]);
    assert!(out.status.success());
    let m = &json_of(&out)["matches"][0];
    assert_eq!(m["kind"], "rule");
    assert_eq!(m["field"], "lpszDestAddress");
    assert_eq!(m["error"], "LINEERR_INVALPOINTER");
    let text = trp(&["explain", "48.2"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("LINEERR_INVALPOINTER (0x80000035)"));
}

#[test]
fn explain_a_function() {
    for q in ["MakeCall", "48", "linemakecall"] {
        let out = trp(&["explain", "--json", q]);
        assert!(out.status.success(), "{q}");
        let m = &json_of(&out)["matches"][0];
        assert_eq!(
            (m["kind"].as_str(), m["req_func"].as_u64()),
            (Some("function"), Some(48))
        );
        assert_eq!(m["section"], "2.2.4.1.3.43");
        assert_eq!(m["fields"].as_array().unwrap().len(), 15);
    }
    let text = String::from_utf8(trp(&["explain", "MakeCall"]).stdout).unwrap();
    assert!(
        text.contains("lpszDestAddress") && text.contains("-> string in VarData"),
        "{text}"
    );
}

#[test]
fn explain_a_constant() {
    let out = trp(&["explain", "0x8000004D"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("LINEERR_STRUCTURETOOSMALL = 0x8000004D"),
        "{text}"
    );
    let out = trp(&["explain", "--json", "LINE_CALLSTATE"]);
    assert_eq!(json_of(&out)["matches"][0]["msg"], 2);
}

#[test]
fn explain_lists_every_match_of_an_ambiguous_name() {
    let out = trp(&["explain", "--json", "GetDevCaps"]);
    let v = json_of(&out);
    let idents: Vec<_> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["ident"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(idents, ["LineGetDevCaps", "PhoneGetDevCaps"]);
}

#[test]
fn explain_of_nothing_exits_1() {
    let out = trp(&["explain", "NoSuchThing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NoSuchThing"));
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F _trp"),
        ("zsh", "#compdef trp"),
        ("fish", "complete -c trp"),
    ] {
        let out = trp(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        assert!(
            script.contains("explain") && script.contains("decode"),
            "{shell}"
        );
    }
}

#[test]
fn man_page_is_roff() {
    let out = trp(&["man"]);
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH trp"), "{}", &page[..page.len().min(200)]);
    assert!(page.contains("explain") && page.contains("\\-\\-color"));
}

#[test]
fn colour_only_when_asked_or_forced_and_never_with_no_color() {
    let args = ["explain", "48.2"];
    // Piped, the default is plain text.
    assert!(!has_ansi(&trp(&args).stdout));
    assert!(has_ansi(
        &trp(&["--color", "always", "explain", "48.2"]).stdout
    ));
    assert!(!has_ansi(
        &trp(&["--color", "never", "explain", "48.2"]).stdout
    ));
    // CLICOLOR_FORCE turns it on in a pipe; NO_COLOR wins over it.
    assert!(has_ansi(&trp_env(&args, &[("CLICOLOR_FORCE", "1")]).stdout));
    let both = trp_env(&args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!has_ansi(&both.stdout));
    assert!(!has_ansi(
        &trp_env(
            &["--color", "never", "explain", "48.2"],
            &[("CLICOLOR_FORCE", "1")]
        )
        .stdout
    ));
    // Errors too.
    let err = trp(&[
        "--color",
        "always",
        "decode",
        "--as",
        "auto",
        "tests/hexdumps/README.md",
    ]);
    assert!(has_ansi(&err.stderr));
}
