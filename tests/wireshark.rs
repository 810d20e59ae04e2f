//! The generated Lua dissector (`trp wireshark`, `mstrp::wireshark`) loaded into a real tshark
//! (issue 14): on every shipped capture, with Wireshark's own `tapi` dissector enabled and
//! disabled, it must find the same calls as `trp pcap --json` with the same function names,
//! Req_Func values, return values, spec fields and event names; a display filter on
//! `mstrp.function` selects exactly the MakeCall frames; a request that breaks a stateless
//! rule carries the rule as expert info, as the library's validator reports it; the committed
//! `contrib/mstrp.lua` is the generator's output.
//!
//! Without tshark each test prints that it was skipped and passes, unless
//! `MSTRP_REQUIRE_TSHARK=1` (CI), which makes that a failure. A Lua error while loading the
//! plugin (tshark reports it on standard error and carries on) or while dissecting (a
//! "Lua Error" item in the tree) fails the test.
#![cfg(all(feature = "wireshark", feature = "cli"))]

#[rustfmt::skip]
#[path = "common/hand_pdus.rs"]
mod hand_pdus;
#[path = "common/tshark.rs"]
mod tshark;
#[path = "common/writer.rs"]
mod writer;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use mstrp::requests::Request;
use mstrp::wireshark::{RuleSupport, lua_dissector, rule_support};
use serde_json::Value;
use tshark::Dir;
use writer::W;

const CAPTURES: &[&str] = &[
    "4.1-4.2-tcp.pcapng",
    "4.1-4.2-ndr64-tcp.pcapng",
    "4.1-smb2.pcapng",
    "4.3-tcp.pcapng",
];

/// The fields every comparison reads, in this order.
const FIELDS: &[&str] = &[
    "frame.number",
    "mstrp.method",
    "mstrp.direction",
    "mstrp.function",
    "mstrp.req_func",
    "mstrp.return_value",
    "mstrp.hLine",
    "mstrp.dwDeviceID",
    "mstrp.lpszDestAddress",
    "mstrp.event",
];

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/captures")
        .join(name)
}

/// The plugin as `trp wireshark --out` writes it (the binary, not the library, so the
/// subcommand is exercised too).
fn plugin() -> &'static Path {
    static PLUGIN: OnceLock<PathBuf> = OnceLock::new();
    PLUGIN.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wireshark");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("mstrp-{}.lua", std::process::id()));
        let out = Command::new(env!("CARGO_BIN_EXE_trp"))
            .args(["wireshark", "--out"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "trp wireshark: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        path
    })
}

/// Fails on what tshark says about a Lua script that did not load or did not run.
fn assert_no_lua_error(stderr: &str, stdout: &str) {
    for line in stderr.lines() {
        let l = line.to_ascii_lowercase();
        assert!(
            !(l.contains("lua") || l.contains("error")),
            "tshark reported: {line}"
        );
    }
    assert!(
        !stdout.contains("Lua Error"),
        "a Lua error while dissecting"
    );
}

/// tshark with the plugin on `file`: one row per frame `filter` keeps, one string per field
/// (occurrences joined by ',').
fn run(
    plugin: &Path,
    file: &Path,
    extra: &[&str],
    filter: &str,
    fields: &[&str],
) -> Vec<Vec<String>> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-X")
        .arg(format!("lua_script:{}", plugin.display()))
        .arg("-r")
        .arg(file)
        .args(extra)
        .args(["-Y", filter, "-T", "fields", "-E", "occurrence=a"]);
    for f in fields {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "tshark failed: {stderr}");
    assert_no_lua_error(&stderr, &stdout);
    stdout
        .lines()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// The full packet trees (`-V`) must hold no Lua error either.
fn assert_tree_clean(file: &Path, extra: &[&str]) {
    let out = Command::new("tshark")
        .arg("-X")
        .arg(format!("lua_script:{}", plugin().display()))
        .arg("-r")
        .arg(file)
        .args(extra)
        .arg("-V")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_no_lua_error(&String::from_utf8_lossy(&out.stderr), &stdout);
    assert!(
        stdout.contains("Microsoft Telephony Remote Protocol"),
        "no mstrp tree"
    );
}

fn trp_calls(file: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(["pcap", "--json"])
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "trp pcap {}", file.display());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["kind"] == "call")
        .collect()
}

/// A `base.HEX_DEC` uint32 as tshark prints it (`0x00020001`).
fn u32_of(s: &str) -> u32 {
    u32::from_str_radix(s.trim_start_matches("0x"), 16).unwrap_or_else(|_| panic!("not hex: {s}"))
}

/// The value of the TAPI32_MSG field `name` in trp's JSON, if the packet has it.
fn json_field(msg: &Value, name: &str) -> Option<u32> {
    msg["fields"]
        .as_array()?
        .iter()
        .find(|f| f["name"] == name)
        .map(|f| f["value"].as_u64().unwrap() as u32)
}

fn compare(file: &Path, extra: &[&str]) {
    let rows = run(plugin(), file, extra, "mstrp", FIELDS);
    let calls = trp_calls(file);
    assert!(!calls.is_empty());
    let col = |r: &Vec<String>, name: &str| -> String {
        r[FIELDS.iter().position(|f| *f == name).unwrap()].clone()
    };
    let requests: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| col(r, "mstrp.direction") == "request")
        .collect();
    let responses: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| col(r, "mstrp.direction") == "response")
        .collect();
    let ctx = format!("{} {extra:?}", file.display());
    assert_eq!(
        requests.len(),
        calls.len(),
        "{ctx}: one mstrp request per call"
    );
    let answered = calls.iter().filter(|c| !c["response"].is_null()).count();
    assert_eq!(
        responses.len(),
        answered,
        "{ctx}: one mstrp response per answered call"
    );

    // Requests, in request order (trp prints calls in request order).
    for (row, call) in requests.iter().zip(&calls) {
        let what = format!(
            "{ctx}: frame {} vs trp call at frame {}",
            col(row, "frame.number"),
            call["frame"]
        );
        assert_eq!(
            col(row, "mstrp.method"),
            call["method"].as_str().unwrap(),
            "{what}"
        );
        let params = &call["request"]["params"];
        if let Some(msg) = params["pBuffer"].get("tapi32_msg") {
            assert_eq!(
                col(row, "mstrp.function"),
                msg["name"].as_str().unwrap(),
                "{what}"
            );
            assert_eq!(
                col(row, "mstrp.req_func"),
                msg["req_func"].to_string(),
                "{what}"
            );
            for name in ["hLine", "dwDeviceID"] {
                match json_field(msg, name) {
                    Some(v) => assert_eq!(
                        u32_of(&col(row, &format!("mstrp.{name}"))),
                        v,
                        "{what}: {name}"
                    ),
                    None => assert_eq!(col(row, &format!("mstrp.{name}")), "", "{what}: {name}"),
                }
            }
            let dest = msg["references"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["field"] == "lpszDestAddress")
                .and_then(|r| r["text"].as_str())
                .unwrap_or("");
            assert_eq!(col(row, "mstrp.lpszDestAddress"), dest, "{what}");
        } else {
            assert_eq!(col(row, "mstrp.function"), "", "{what}");
        }
        let events: Vec<&str> = params["pBuffer"]
            .get("events")
            .and_then(|e| e["events"].as_array())
            .map(|e| e.iter().map(|e| e["name"].as_str().unwrap()).collect())
            .unwrap_or_default();
        assert_eq!(col(row, "mstrp.event"), events.join(","), "{what}");
    }

    // Responses, in response order.
    let mut answered: Vec<&Value> = calls.iter().filter(|c| !c["response"].is_null()).collect();
    answered.sort_by_key(|c| c["response"]["frame"].as_u64());
    for (row, call) in responses.iter().zip(answered) {
        let what = format!("{ctx}: response frame {}", col(row, "frame.number"));
        assert_eq!(
            col(row, "mstrp.method"),
            call["method"].as_str().unwrap(),
            "{what}"
        );
        match call["response"]["params"]["pBuffer"].get("reply") {
            Some(reply) => {
                assert_eq!(
                    col(row, "mstrp.function"),
                    reply["name"].as_str().unwrap(),
                    "{what}"
                );
                assert_eq!(
                    col(row, "mstrp.req_func"),
                    reply["req_func"].to_string(),
                    "{what}"
                );
                assert_eq!(
                    u32_of(&col(row, "mstrp.return_value")),
                    reply["return_value"].as_u64().unwrap() as u32,
                    "{what}"
                );
                for name in ["hLine"] {
                    if let Some(v) = json_field(reply, name) {
                        if !col(row, &format!("mstrp.{name}")).is_empty() {
                            assert_eq!(
                                u32_of(&col(row, &format!("mstrp.{name}"))),
                                v,
                                "{what}: {name}"
                            );
                        }
                    }
                }
            }
            None => assert_eq!(col(row, "mstrp.return_value"), "", "{what}"),
        }
    }
}

#[test]
fn every_capture_agrees_with_trp_pcap_with_and_without_the_tapi_dissector() {
    if !tshark::tools_available("wireshark plugin vs trp pcap", &["tshark"]) {
        return;
    }
    for name in CAPTURES {
        let file = sample(name);
        compare(&file, &[]);
        compare(&file, &["--disable-protocol", "tapi"]);
        assert_tree_clean(&file, &[]);
        assert_tree_clean(&file, &["--disable-protocol", "tapi"]);
    }
}

#[test]
fn a_display_filter_on_the_function_name_selects_exactly_the_make_call_frames() {
    if !tshark::tools_available("wireshark display filter", &["tshark"]) {
        return;
    }
    let file = sample("4.3-tcp.pcapng");
    let got: BTreeSet<u64> = run(
        plugin(),
        &file,
        &[],
        "mstrp.function == \"MakeCall\"",
        &["frame.number"],
    )
    .iter()
    .map(|r| r[0].parse().unwrap())
    .collect();
    let mut want = BTreeSet::new();
    for call in trp_calls(&file) {
        if call["request"]["params"]["pBuffer"]["tapi32_msg"]["name"] == "MakeCall" {
            want.insert(call["request"]["frame"].as_u64().unwrap());
            want.insert(call["response"]["frame"].as_u64().unwrap());
        }
    }
    assert_eq!(
        want.len(),
        2,
        "the 4.3 capture has one MakeCall and its answer"
    );
    assert_eq!(got, want);
}

/// A MakeCall (2.2.4.1.3.43, Req_Func 48) laid out by hand: hLine 0x00010001, the
/// destination "123" at VarData offset `dest_at`, lpCallParams absent.
fn make_call(dest_at: u32) -> Vec<u8> {
    let mut w = W::default();
    w.d(48)
        .d(0)
        .d(7)
        .d(0)
        .d(0x0001_0001)
        .d(0)
        .d(dest_at)
        .d(0)
        .d(0xFFFF_FFFF)
        .d(0);
    for _ in 0..5 {
        w.d(0);
    }
    for _ in 0..dest_at {
        w.raw(&[0]);
    }
    w.utf16("123").pad();
    w.0
}

/// bind, bind_ack (hand_pdus), then a ClientRequest request PDU carrying `msg`.
fn capture_with(msg: &[u8]) -> PathBuf {
    capture_with_all(&[msg.to_vec()])
}

/// A ClientRequest request PDU with call_id `call_id` carrying `msg` (NDR20, the design
/// note's layout: context handle, pBuffer max/offset/actual, lNeededSize, *plUsedSize).
fn client_request(call_id: u32, msg: &[u8]) -> Vec<u8> {
    let n = msg.len() as u32;
    let mut stub = W::default();
    stub.d(0).raw(&(1u8..=16).collect::<Vec<_>>());
    stub.d(n).d(0).d(n).raw(msg).pad().d(n).d(n);
    let mut pdu = W::default();
    pdu.raw(&[5, 0, 0, 3, 0x10, 0, 0, 0]);
    let frag = 24 + stub.len();
    pdu.raw(&(frag as u16).to_le_bytes())
        .raw(&[0, 0])
        .d(call_id);
    pdu.d(stub.len()).raw(&[0, 0, 1, 0]).raw(&stub.0);
    pdu.0
}

/// bind, bind_ack (hand_pdus), then one ClientRequest request PDU per message.
fn capture_with_all(msgs: &[Vec<u8>]) -> PathBuf {
    let mut pdus = vec![
        (Dir::ToServer, hand_pdus::bytes(hand_pdus::BIND)),
        (Dir::ToClient, hand_pdus::bytes(hand_pdus::BIND_ACK)),
    ];
    for (i, m) in msgs.iter().enumerate() {
        pdus.push((Dir::ToServer, client_request(3 + i as u32, m)));
    }
    tshark::capture(&pdus)
}

/// The rule ids the plugin reports on the capture, and the expert messages.
fn lua_rules(file: &Path) -> (BTreeSet<String>, String) {
    let rows = run(
        plugin(),
        file,
        &["-d", "tcp.port==4444,dcerpc"],
        "mstrp",
        &["mstrp.rule", "_ws.expert.message"],
    );
    assert_eq!(rows.len(), 1, "one mstrp frame");
    let rules = rows[0][0]
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    (rules, rows[0][1].clone())
}

/// The stateless rules the library's validator reports that the plugin checks.
fn library_rules(msg: &[u8]) -> BTreeSet<String> {
    let request = Request::parse(msg).unwrap();
    mstrp::validation::validate(&request, None)
        .iter()
        .filter(|v| rule_support(v.rule) == RuleSupport::Checked)
        .map(|v| v.id().to_owned())
        .collect()
}

#[test]
fn a_request_that_breaks_a_rule_carries_the_rule_as_expert_info() {
    if !tshark::available("wireshark expert info") {
        return;
    }
    // 3.1.4.2, Req_Func 48, bullet 2: lpszDestAddress not WCHAR-aligned -> LINEERR_INVALPOINTER.
    let bad = make_call(1);
    let (rules, experts) = lua_rules(&capture_with(&bad));
    assert_eq!(rules, BTreeSet::from(["48.2".to_owned()]));
    assert!(experts.contains("rule 48.2"), "{experts}");
    assert!(experts.contains("LINEERR_INVALPOINTER"), "{experts}");
    assert_eq!(rules, library_rules(&bad));
}

#[test]
fn the_same_request_with_an_aligned_string_carries_no_rule() {
    if !tshark::available("wireshark expert info, valid request") {
        return;
    }
    let good = make_call(0);
    let (rules, experts) = lua_rules(&capture_with(&good));
    assert!(rules.is_empty(), "{rules:?}");
    assert!(!experts.contains("rule "), "{experts}");
    assert!(library_rules(&good).is_empty());
}

/// A deterministic generator (xorshift) for the agreement test's packets.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as u32
    }
}

/// Requests of every function with DWORDs drawn from values the rules care about (zero,
/// small offsets, odd offsets, 0xFFFFFFFF, TAPI versions, single bits) and VarData of 0 to 95
/// bytes, mostly zero so strings terminate.
fn hostile_requests() -> Vec<Vec<u8>> {
    const PICKS: &[u32] = &[
        0,
        1,
        2,
        4,
        8,
        12,
        16,
        24,
        36,
        0x40,
        0x80,
        0x100,
        0xFFFF_FFFF,
        0xFFFF_FFF0,
        0x0001_0003,
        0x0001_0004,
        0x0002_0000,
        0x0002_0002,
        0x0003_0001,
        0x0004_0000,
    ];
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut out = Vec::new();
    for f in mstrp::requests::FuncId::ALL {
        for _ in 0..4 {
            let mut w = W::default();
            w.d(*f as u32);
            for _ in 1..15 {
                let v = PICKS[rng.next() as usize % PICKS.len()];
                w.d(v);
            }
            let var = (rng.next() % 24) * 4;
            for _ in 0..var {
                let b = if rng.next() % 4 == 0 {
                    rng.next() as u8
                } else {
                    0
                };
                w.raw(&[b]);
            }
            out.push(w.0);
        }
    }
    out
}

#[test]
fn the_plugin_and_the_library_report_the_same_checked_rules_on_hostile_requests() {
    if !tshark::available("wireshark rules agreement") {
        return;
    }
    let msgs = hostile_requests();
    let rows = run(
        plugin(),
        &capture_with_all(&msgs),
        &["-d", "tcp.port==4444,dcerpc"],
        "mstrp",
        &["mstrp.function", "mstrp.rule"],
    );
    assert_eq!(rows.len(), msgs.len());
    let mut violations = 0;
    for (row, msg) in rows.iter().zip(&msgs) {
        let lua: BTreeSet<String> = row[1]
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let lib = library_rules(msg);
        violations += lib.len();
        assert_eq!(lua, lib, "{}: {}", row[0], tshark::hex(msg));
    }
    assert!(violations > 100, "the packets break rules ({violations})");
}

#[test]
fn a_lua_syntax_error_is_caught() {
    if !tshark::tools_available("wireshark lua syntax error", &["tshark"]) {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wireshark");
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join(format!("broken-{}.lua", std::process::id()));
    std::fs::write(&broken, format!("{}\nlocal = = 1\n", lua_dissector())).unwrap();
    let file = sample("4.3-tcp.pcapng");
    let result =
        std::panic::catch_unwind(|| run(&broken, &file, &[], "mstrp", &["mstrp.function"]));
    assert!(
        result.is_err(),
        "a plugin that does not load went unnoticed"
    );
}

#[test]
fn the_committed_plugin_is_the_generators_output() {
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/mstrp.lua"))
            .expect("contrib/mstrp.lua");
    assert!(
        committed == lua_dissector(),
        "contrib/mstrp.lua is stale: run `cargo run --features cli --bin trp -- wireshark --out contrib/mstrp.lua`"
    );
}

#[test]
fn an_undocumented_req_func_is_unknown_with_its_public_name_and_params() {
    if !tshark::available("wireshark undocumented Req_Func") {
        return;
    }
    // Req_Func 121: TRequestMakeCall in two public exploits for CVE-2024-26230
    // (spec-notes/public-sources.md); [MS-TRP] documents no packet for it.
    let mut w = W::default();
    w.d(121).d(0).d(0x1111_1111).d(0x2222_2222);
    for _ in 0..11 {
        w.d(0);
    }
    let rows = run(
        plugin(),
        &capture_with(&w.0),
        &["-d", "tcp.port==4444,dcerpc"],
        "mstrp",
        &[
            "mstrp.function",
            "mstrp.req_func",
            "mstrp.known_as",
            "mstrp.Param1",
            "mstrp.Param2",
        ],
    );
    assert_eq!(
        rows,
        vec![vec![
            "Unknown".to_owned(),
            "121".to_owned(),
            "TRequestMakeCall".to_owned(),
            "0x11111111".to_owned(),
            "0x22222222".to_owned(),
        ]]
    );
}

#[test]
fn without_the_bind_the_preference_reads_a_context_as_tapsrv() {
    if !tshark::available("wireshark decode_unknown") {
        return;
    }
    // The design note's worked Close (hand_pdus), request and response, no bind.
    let file = tshark::capture(&[
        (Dir::ToServer, hand_pdus::bytes(hand_pdus::CLOSE_REQUEST)),
        (Dir::ToClient, hand_pdus::bytes(hand_pdus::CLOSE_RESPONSE)),
    ]);
    let fields = ["mstrp.function", "mstrp.hLine", "mstrp.return_value"];
    let off = run(
        plugin(),
        &file,
        &["-d", "tcp.port==4444,dcerpc"],
        "mstrp",
        &fields,
    );
    assert!(off.is_empty(), "{off:?}");
    let on = run(
        plugin(),
        &file,
        &[
            "-d",
            "tcp.port==4444,dcerpc",
            "-o",
            "mstrp.decode_unknown:TRUE",
        ],
        "mstrp",
        &fields,
    );
    assert_eq!(
        on,
        vec![
            vec!["Close".to_owned(), "0x00010203".to_owned(), String::new()],
            vec!["Close".to_owned(), String::new(), "0x00000000".to_owned()],
        ]
    );
}
