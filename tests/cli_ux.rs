//! `trp` for people (issue 14 item 3): hex input forms, `decode --as auto`, `explain`,
//! completions, the man page, colour, progress bars and errors that name their file, run as
//! a user would.
#![cfg(feature = "cli")]

#[path = "common/hand_pdus.rs"]
mod hand;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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

/// A scratch directory of this test process.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trp-cli-ux2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join(name);
    std::fs::write(&f, bytes).unwrap();
    f
}

/// An empty folder `name` in this test process's scratch directory, as a string.
fn scratch_dir(name: &str) -> String {
    let dir = std::env::temp_dir()
        .join(format!("trp-cli-ux2-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.to_str().unwrap().to_owned()
}

fn hex_stream(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .flat_map(|b| format!("{b:02x}").into_bytes())
        .collect()
}

/// bind, bind_ack, the Close request and its response, typed by hand from C706 12.6
/// (tests/common/hand_pdus.rs).
fn hand_stream() -> Vec<u8> {
    [
        hand::BIND,
        hand::BIND_ACK,
        hand::CLOSE_REQUEST,
        hand::CLOSE_RESPONSE,
    ]
    .iter()
    .flat_map(|h| hand::bytes(h))
    .collect()
}

/// The hand PDUs in one TCP conversation of a classic (libpcap) capture.
fn hand_pcap() -> Vec<u8> {
    use mstrp::capture::write::{CaptureWriter, Format};
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut c = w.tcp_conversation(
        "10.0.0.1:50000".parse().unwrap(),
        "10.0.0.2:4444".parse().unwrap(),
    );
    c.client_sends(&hand::bytes(hand::BIND));
    c.server_sends(&hand::bytes(hand::BIND_ACK));
    c.client_sends(&hand::bytes(hand::CLOSE_REQUEST));
    c.server_sends(&hand::bytes(hand::CLOSE_RESPONSE));
    c.close();
    w.finish()
}

fn last_json_line(out: &[u8]) -> Value {
    let last = out.split(|b| *b == b'\n').rev().find(|l| !l.is_empty());
    serde_json::from_slice(last.expect("a line")).unwrap()
}

// Issue 14: `--as auto` on every sample kind, binary and hex, each saying what it chose.
#[test]
fn as_auto_on_a_pdu_stream_a_pcap_and_hex_input() {
    let stream = hand_stream();
    let pcap = hand_pcap();
    // The classic pcap magic, written little-endian (libpcap's file format).
    assert_eq!(&pcap[..4], &[0xd4, 0xc3, 0xb2, 0xa1]);
    let events = std::fs::read(root().join("samples/events/4.3-makecall-line-reply.bin")).unwrap();
    let cases: Vec<(&str, PathBuf, bool, &str)> = vec![
        ("pdu", scratch("stream.bin", &stream), false, "pdu"),
        (
            "pdu hex",
            scratch("stream.hex", &hex_stream(&stream)),
            true,
            "pdu",
        ),
        ("pcap", scratch("hand.pcap", &pcap), false, "capture"),
        (
            "pcapng",
            root().join("samples/captures/4.3-outgoing-call.pcapng"),
            false,
            "capture",
        ),
        (
            "request",
            root().join("samples/requests/4.3-1-make-call.bin"),
            false,
            "request",
        ),
        (
            "request xxd",
            root().join("tests/hexdumps/4.3-1-make-call.xxd"),
            true,
            "request",
        ),
        (
            "request hexdump -C",
            root().join("tests/hexdumps/4.1-1-initialize.hexdump-C"),
            true,
            "request",
        ),
        (
            "events",
            root().join("samples/events/4.3-makecall-line-reply.bin"),
            false,
            "events",
        ),
        (
            "events hex",
            scratch("events.hex", &hex_stream(&events)),
            true,
            "events",
        ),
    ];
    for (what, file, hex, kind) in cases {
        let name = file.to_str().unwrap();
        let mut args = vec!["decode", "--as", "auto", "--json"];
        if hex {
            args.push("--hex");
        }
        args.push(name);
        let out = trp(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{what}: {err}");
        assert!(
            err.contains(&format!("trp: {name}: detected {kind}")),
            "{what}: {err}"
        );
        if kind == "capture" {
            let summary = last_json_line(&out.stdout);
            assert_eq!(summary["kind"], "summary", "{what}");
            assert!(summary["calls"].as_u64().unwrap() >= 1, "{what}");
        } else {
            let v = json_of(&out);
            assert_eq!(v["detected"]["kind"], kind, "{what}");
            let decoded = match kind {
                "pdu" => "pdus",
                other => other,
            };
            assert_eq!(v["kind"], decoded, "{what}");
        }
    }
    // The hand capture holds exactly one call, the Close request and its response.
    let out = trp(&[
        "pcap",
        "--json",
        scratch("hand.pcap", &pcap).to_str().unwrap(),
    ]);
    let call: Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(call["method"], "ClientRequest");
    assert_eq!(last_json_line(&out.stdout)["calls"], 1);
    // A capture in hex is refused with the file named.
    let f = scratch("hand.pcap.hex", &hex_stream(&pcap));
    let out = trp(&["decode", "--as", "auto", "--hex", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(f.to_str().unwrap()) && err.contains("detected capture"),
        "{err}"
    );
}

/// The frame number of the Enhanced Packet Block a pcapng file is cut inside, counted by
/// walking the blocks (pcapng: block type, block total length) independently of trp, and the
/// cut offset: ten bytes into the `n`th EPB.
fn cut_inside_epb(bytes: &[u8], n: usize) -> (usize, u64) {
    let (mut at, mut frame) = (0usize, 0u64);
    while at + 8 <= bytes.len() {
        let kind = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        if kind == 6 {
            frame += 1;
            if frame == n as u64 {
                return (at + 10, frame);
            }
        }
        at += len;
    }
    panic!("fewer than {n} packets");
}

// Issue 14: every error names the file, and for captures the frame number.
#[test]
fn every_error_names_the_file() {
    let garbage = scratch("garbage.bin", b"garbage");
    let g = garbage.to_str().unwrap();
    let missing = std::env::temp_dir().join("trp-cli-ux2-no-such-file.bin");
    let m = missing.to_str().unwrap();
    let bad_json = scratch("bad.json", b"{\"kind\":\"request\"");
    let j = bad_json.to_str().unwrap();
    // A record of 100 bytes with 10 present (records: u32 LE length, then the bytes).
    let mut record = 100u32.to_le_bytes().to_vec();
    record.extend([0; 10]);
    let truncated_seq = scratch("truncated.seq", &record);
    let t = truncated_seq.to_str().unwrap();
    for (args, also) in [
        (vec!["decode", g], "TAPI32_MSG"),
        (vec!["decode", m], ""),
        (vec!["decode", "--hex", g], "odd number of hex digits"),
        (
            vec!["decode", "--as", "struct:LINEDEVCAPS", g],
            "LINEDEVCAPS",
        ),
        (vec!["decode", "--as", "pdu", g], "PDU"),
        (
            vec!["decode", "--as", "events", g],
            "event 0 at byte offset 0",
        ),
        (vec!["decode", "--as", "auto", g], "--as auto"),
        (vec!["validate", m], ""),
        (vec!["validate", "--hex", g], "odd number of hex digits"),
        (vec!["validate", g, m], ""),
        (vec!["replay", m], ""),
        (vec!["replay", t], "record 0"),
        (vec!["replay", "--config", j, t], ""),
        (vec!["encode", j], "invalid JSON"),
        (vec!["encode", m], ""),
        (vec!["pcap", g], "not a pcap or pcapng file"),
        (vec!["pcap", m], ""),
    ] {
        let out = trp(&args);
        // A malformed event is part of the output (its `error` member), after the events
        // that decoded, so that run succeeds; every other one fails.
        let events = args.contains(&"events");
        assert_eq!(out.status.success(), events, "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        // The file at fault: the one that is missing, the config, or the last argument.
        let file = if args.contains(&m) {
            m
        } else if args.contains(&"--config") {
            j
        } else {
            args.last().unwrap()
        };
        assert!(
            err.contains(&format!("trp: {file}: ")) || err.contains(&format!("trp: {file}")),
            "{args:?}: {err}"
        );
        assert!(err.contains(also), "{args:?}: {err}");
    }
    // With --json, the error object names it too.
    let v = json_of(&trp(&["decode", "--json", g]));
    assert_eq!(v["file"], g);
    assert_eq!(v["error"]["packet"], "TAPI32_MSG");
}

#[test]
fn a_damaged_capture_names_the_file_and_the_frame() {
    let sample = std::fs::read(root().join("samples/captures/4.1-4.2-tcp.pcapng")).unwrap();
    for n in [1, 5, 12] {
        let (cut, frame) = cut_inside_epb(&sample, n);
        let f = scratch(&format!("cut-{n}.pcapng"), &sample[..cut]);
        let name = f.to_str().unwrap();
        let out = trp(&["pcap", name]);
        assert_eq!(out.status.code(), Some(1), "a damaged capture exits 1");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("trp: {name}: frame {frame}: ")) && err.contains("truncated"),
            "{err}"
        );
        let summary = last_json_line(&trp(&["pcap", "--json", name]).stdout);
        assert_eq!(summary["errors"][0]["frame"], frame);
        assert_eq!(summary["frames"], frame - 1);
    }
}

// Issue 14: colour in `trp pcap` text output, with the rules of `decode`.
#[test]
fn pcap_text_is_coloured_only_when_asked() {
    let sample = "samples/captures/4.3-outgoing-call.pcapng";
    let piped = trp(&["pcap", sample]);
    assert!(piped.status.success());
    assert!(!has_ansi(&piped.stdout));
    let always = trp(&["--color", "always", "pcap", sample]);
    assert!(has_ansi(&always.stdout));
    // The same text once the escapes are taken out.
    let plain: Vec<u8> = String::from_utf8(always.stdout.clone())
        .unwrap()
        .split('\x1b')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                &part[part.find('m').unwrap() + 1..]
            }
        })
        .collect::<String>()
        .into_bytes();
    assert_eq!(plain, piped.stdout);
    assert!(!has_ansi(
        &trp(&["--color", "never", "pcap", sample]).stdout
    ));
    assert!(has_ansi(
        &trp_env(&["pcap", sample], &[("CLICOLOR_FORCE", "1")]).stdout
    ));
    let no_color = trp_env(
        &["pcap", sample],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!has_ansi(&no_color.stdout));
    // JSON is never coloured.
    let json = trp(&["--color", "always", "pcap", "--json", sample]);
    assert!(!has_ansi(&json.stdout));
    assert_eq!(last_json_line(&json.stdout)["kind"], "summary");
}

/// What a progress bar leaves on a terminal: indicatif's bar characters, a carriage return
/// to redraw, or an escape sequence.
fn has_progress(b: &[u8]) -> bool {
    has_ansi(b) || b.contains(&b'\r') || String::from_utf8_lossy(b).contains('\u{2588}')
}

// Issue 14: progress bars absent when output is piped.
#[test]
fn no_progress_bar_when_piped() {
    let sample = "samples/captures/4.1-4.2-tcp.pcapng";
    for json in [false, true] {
        let mut args = vec!["pcap", sample];
        if json {
            args.insert(1, "--json");
        }
        // Both streams piped.
        let out = trp(&args);
        assert!(out.status.success());
        assert!(!has_progress(&out.stderr), "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}");
        // Standard output into a file, standard error piped.
        let file = std::fs::File::create(scratch(&format!("out-{json}.txt"), b"")).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_trp"))
            .args(&args)
            .current_dir(root())
            .stdout(Stdio::from(file))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(out.stderr.is_empty(), "{args:?}");
    }
    // `trp gen` (a count, not bytes) likewise.
    let dir = scratch_dir("gen-piped");
    let out = trp(&[
        "gen", "--as", "request", "--count", "200", "--seed", "7", "--out", &dir,
    ]);
    assert!(out.status.success());
    assert!(!has_progress(&out.stderr) && out.stderr.is_empty());
    assert_eq!(out.stdout.iter().filter(|b| **b == b'\n').count(), 200);
}

/// Runs `sh -c CMD` on a pseudo-terminal (util-linux `script`), returning what the terminal
/// shows, or None when `script` is not installed.
fn on_a_terminal(cmd: &str, env: &[(&str, &str)]) -> Option<Vec<u8>> {
    let mut c = Command::new("script");
    c.args(["-qec", cmd, "/dev/null"])
        .current_dir(root())
        .stdin(Stdio::null())
        .env_remove("TRP_NO_PROGRESS");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().ok()?;
    assert!(
        out.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    Some(out.stdout)
}

#[test]
fn progress_bar_on_a_terminal_unless_turned_off() {
    let trp = env!("CARGO_BIN_EXE_trp");
    let sample = "samples/captures/4.1-4.2-tcp.pcapng";
    // Standard error on a terminal, standard output into /dev/null: the bar is drawn.
    let Some(shown) = on_a_terminal(&format!("{trp} pcap {sample} > /dev/null"), &[]) else {
        eprintln!("script (util-linux) is not installed: the terminal cases are not run");
        return;
    };
    let size = std::fs::metadata(root().join(sample)).unwrap().len();
    assert!(size > 1024 && size < 1024 * 1024);
    let shown = String::from_utf8_lossy(&shown).into_owned();
    // indicatif's {total_bytes}: binary units with two decimals.
    let total = format!("/{:.2} KiB", size as f64 / 1024.0);
    assert!(
        has_progress(shown.as_bytes()) && shown.contains(&total),
        "{shown:?}"
    );
    // `trp gen`, its list of paths into /dev/null: a bar over the 300 files ("k/300"; the bar
    // is cleared when done, so its last frame need not be drawn).
    let dir = scratch_dir("gen-terminal");
    let gen_shown = on_a_terminal(
        &format!("{trp} gen --as request --count 300 --seed 7 --out {dir} > /dev/null"),
        &[],
    )
    .unwrap();
    let gen_shown = String::from_utf8_lossy(&gen_shown).into_owned();
    assert!(
        has_progress(gen_shown.as_bytes()) && gen_shown.contains("/300 ("),
        "{gen_shown:?}"
    );
    for (cmd, env) in [
        (
            format!("{trp} --no-progress pcap {sample} > /dev/null"),
            vec![],
        ),
        (
            format!("{trp} pcap {sample} > /dev/null"),
            vec![("TRP_NO_PROGRESS", "1")],
        ),
        // Standard output into a pipe, as `| jq` would: no bar drawn into its output.
        (
            format!("{trp} pcap --json {sample} | cat > /dev/null"),
            vec![],
        ),
        // Standard output on the terminal: the calls are the progress.
        (
            format!("{trp} --color never pcap {sample} | tail -c 0"),
            vec![],
        ),
    ] {
        // (A terminal ends lines with \r\n, so only the bar and escapes are looked for.)
        let seen = on_a_terminal(&cmd, &env).unwrap();
        let text = String::from_utf8_lossy(&seen);
        assert!(
            !has_ansi(&seen) && !text.contains('\u{2588}') && !text.contains(&total),
            "{cmd}: {:?}",
            String::from_utf8_lossy(&seen)
        );
    }
}
