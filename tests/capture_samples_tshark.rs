//! tshark as an independent reader of whole captures (design note rpc-and-session.md
//! section 3): for the sample captures (`samples/captures/`) and for a capture text2pcap
//! makes from the hand-typed PDUs of `tests/common/hand_pdus.rs`, tshark's DCE/RPC dissector
//! must see the same requests, responses and faults as `trp pcap --json`: the same frames,
//! call_ids and opnums, and byte-identical stubs (tshark's `dcerpc.stub_data` with the tapi
//! dissector disabled, which on a last fragment is the reassembled stub; ours re-encoded from
//! the parameters `trp` printed, with the library's `RpcJson::encode`).
//!
//! Without tshark (or text2pcap) each test prints that it was skipped and passes, unless
//! `MSTRP_REQUIRE_TSHARK=1`, which makes that a failure.
#![cfg(all(feature = "pcap", feature = "cli"))]

// The hex is laid out by hand, field by field: rustfmt must not reflow it.
#[rustfmt::skip]
#[path = "common/hand_pdus.rs"]
mod hand_pdus;
#[path = "common/tshark.rs"]
mod tshark;

use std::path::{Path, PathBuf};
use std::process::Command;

use mstrp::json::rpc::{ParamsJson, RpcJson};
use serde_json::Value;
use tshark::Dir;

const PFC_FIRST_FRAG: u8 = 0x01;
const PFC_LAST_FRAG: u8 = 0x02;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/captures")
        .join(name)
}

/// `trp pcap --json FILE`: the calls, the summary and the exit status.
fn trp_pcap(file: &Path) -> (Vec<Value>, Value, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(["pcap", "--json"])
        .arg(file)
        .output()
        .expect("run trp");
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let (summary, calls) = lines.split_last().expect("a summary line");
    assert_eq!(summary["kind"], "summary", "{summary}");
    (calls.to_vec(), summary.clone(), out.status.code())
}

/// One connection-oriented PDU as tshark dissects it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    frame: u64,
    ptype: u8,
    call_id: u32,
    opnum: Option<u16>,
    flags: u8,
    status: Option<u32>,
    stub: Vec<u8>,
}

fn parse_hex_u32(s: &str) -> u32 {
    u32::from_str_radix(s.trim_start_matches("0x"), 16).unwrap_or_else(|_| panic!("hex {s:?}"))
}

/// tshark's view of a capture: the DCE/RPC PDUs (one per frame in these captures) and the
/// number of frames. Ports 4444 (tapsrv) and 50001 (the client's remotesp endpoint) are
/// decoded as DCE/RPC; SMB2 pipes are found by tshark itself.
fn tshark_rows(file: &Path) -> (Vec<Row>, u64) {
    let out = Command::new("tshark")
        .arg("-r")
        .arg(file)
        .args([
            "-d",
            "tcp.port==4444,dcerpc",
            "-d",
            "tcp.port==50001,dcerpc",
            "--disable-protocol",
            "tapi",
            "-T",
            "fields",
            "-E",
            "separator=/t",
            "-E",
            "occurrence=a",
            "-E",
            "aggregator=;",
        ])
        .args(
            [
                "frame.number",
                "dcerpc.pkt_type",
                "dcerpc.cn_call_id",
                "dcerpc.opnum",
                "dcerpc.cn_flags",
                "dcerpc.cn_status",
                "dcerpc.stub_data",
            ]
            .iter()
            .flat_map(|f| ["-e", f]),
        )
        .output()
        .expect("run tshark");
    assert!(
        out.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let mut frames = 0;
    let mut rows = Vec::new();
    for line in text.lines() {
        frames += 1;
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 7, "{line}");
        if f[1].is_empty() {
            continue;
        }
        assert!(
            f.iter().all(|v| !v.contains(';')),
            "one PDU per frame: {line}"
        );
        rows.push(Row {
            frame: f[0].parse().unwrap(),
            ptype: f[1].parse().unwrap(),
            call_id: f[2].parse().unwrap(),
            opnum: (!f[3].is_empty()).then(|| f[3].parse().unwrap()),
            flags: u8::try_from(parse_hex_u32(f[4])).unwrap(),
            status: (!f[5].is_empty()).then(|| parse_hex_u32(f[5])),
            stub: hand_pdus::bytes(f[6]),
        });
    }
    (rows, frames)
}

/// The stub of one side of a call, re-encoded from the parameters `trp` printed (or, for a
/// method it does not know, the hex it printed instead).
fn stub_of(call: &Value, side: &str) -> Vec<u8> {
    let s = &call[side];
    if let Some(hex) = s["stub"].as_str() {
        return hand_pdus::bytes(hex);
    }
    let params: ParamsJson = serde_json::from_value(s["params"].clone())
        .unwrap_or_else(|e| panic!("params of {side} of {call}: {e}"));
    RpcJson {
        kind: "rpc".into(),
        interface: call["interface"].as_str().unwrap().into(),
        method: call["method"].as_str().unwrap().into(),
        opnum: u16::try_from(call["opnum"].as_u64().unwrap()).unwrap(),
        direction: side.into(),
        syntax: s["syntax"].as_str().unwrap().into(),
        params,
        padding: None,
    }
    .encode()
    .unwrap_or_else(|e| panic!("re-encode {side} of {call}: {e}"))
}

/// (frame, call_id, opnum, stub).
type Seen = (u64, u32, Option<u16>, Vec<u8>);

/// What `trp` and tshark saw, side by side. Returns the calls and tshark's rows.
fn compare(file: &Path) -> (Vec<Value>, Vec<Row>) {
    let what = file.display();
    let (calls, summary, status) = trp_pcap(file);
    assert_eq!(status, Some(0), "{what}");
    let (rows, frames) = tshark_rows(file);
    assert_eq!(summary["frames"], frames, "{what}: frames read");

    let call_id = |c: &Value| u32::try_from(c["call_id"].as_u64().unwrap()).unwrap();
    let opnum = |c: &Value| Some(u16::try_from(c["opnum"].as_u64().unwrap()).unwrap());

    // Requests: the frame of the last fragment carries the whole stub in both.
    let ours: Vec<Seen> = calls
        .iter()
        .map(|c| {
            (
                c["request"]["frame"].as_u64().unwrap(),
                call_id(c),
                opnum(c),
                stub_of(c, "request"),
            )
        })
        .collect();
    let theirs: Vec<Seen> = rows
        .iter()
        .filter(|r| r.ptype == 0 && r.flags & PFC_LAST_FRAG != 0)
        .map(|r| (r.frame, r.call_id, r.opnum, r.stub.clone()))
        .collect();
    assert_eq!(ours, theirs, "{what}: requests");

    // Responses.
    let mut ours: Vec<Seen> = calls
        .iter()
        .filter(|c| c["response"].is_object())
        .map(|c| {
            (
                c["response"]["frame"].as_u64().unwrap(),
                call_id(c),
                opnum(c),
                stub_of(c, "response"),
            )
        })
        .collect();
    ours.sort();
    let theirs: Vec<Seen> = rows
        .iter()
        .filter(|r| r.ptype == 2)
        .map(|r| {
            assert!(r.flags & PFC_LAST_FRAG != 0, "{what}: fragmented response");
            (r.frame, r.call_id, r.opnum, r.stub.clone())
        })
        .collect();
    assert_eq!(ours, theirs, "{what}: responses");

    // Faults: call_id and status (trp reports no frame for a fault).
    let ours: Vec<(u32, Option<u32>)> = calls
        .iter()
        .filter(|c| c["fault"].is_object())
        .map(|c| {
            (
                call_id(c),
                Some(u32::try_from(c["fault"]["status"].as_u64().unwrap()).unwrap()),
            )
        })
        .collect();
    let theirs: Vec<(u32, Option<u32>)> = rows
        .iter()
        .filter(|r| r.ptype == 3)
        .map(|r| (r.call_id, r.status))
        .collect();
    assert_eq!(ours, theirs, "{what}: faults");

    // Every other PDU is a bind, a bind_ack, or a first or middle fragment of a request whose
    // last fragment follows.
    for r in &rows {
        match r.ptype {
            0 if r.flags & PFC_LAST_FRAG == 0 => assert!(
                rows.iter().any(|l| l.ptype == 0
                    && l.call_id == r.call_id
                    && l.frame > r.frame
                    && l.flags & PFC_LAST_FRAG != 0),
                "{what}: fragment in frame {} has no last fragment",
                r.frame
            ),
            0 | 2 | 3 => {}
            11 | 12 => assert_eq!(r.call_id, 1, "{what}: bind call_id"),
            other => panic!("{what}: unexpected PDU type {other} in frame {}", r.frame),
        }
    }
    (calls, rows)
}

#[test]
fn tshark_sees_the_calls_of_the_samples() {
    if !tshark::tools_available("tshark_sees_the_calls_of_the_samples", &["tshark"]) {
        return;
    }
    // (file, binds, calls, fragmented requests' first/middle fragments)
    for (name, binds, n_calls, partial) in [
        ("4.1-4.2-tcp.pcapng", 2, 11, 0),
        ("4.3-tcp.pcapng", 2, 15, 0),
        ("4.1-smb2.pcapng", 2, 7, 0),
        ("4.1-4.2-ndr64-tcp.pcapng", 2, 11, 2),
    ] {
        let (calls, rows) = compare(&sample(name));
        assert_eq!(calls.len(), n_calls, "{name}");
        let count = |t: u8| rows.iter().filter(|r| r.ptype == t).count();
        assert_eq!((count(11), count(12)), (binds, binds), "{name}: binds");
        let fragments: Vec<&Row> = rows
            .iter()
            .filter(|r| r.ptype == 0 && r.flags & PFC_LAST_FRAG == 0)
            .collect();
        assert_eq!(fragments.len(), partial, "{name}: fragments");
        if partial > 0 {
            // GetDevCaps (call_id 5 of the tapsrv association): FIRST, then a middle one.
            assert!(
                fragments
                    .iter()
                    .all(|r| r.call_id == 5 && r.opnum == Some(1))
            );
            assert_eq!(
                fragments.iter().map(|r| r.flags).collect::<Vec<_>>(),
                [PFC_FIRST_FRAG, 0]
            );
        }
    }
}

/// A capture made by text2pcap from hand-typed PDUs (no handshake: `-T` dummy TCP headers):
/// bind and bind_ack of tapsrv, the ClientRequest of Close (Req_Func 9, hLine 0x00010203)
/// and its response, a request for opnum 7 and its op_rng fault.
#[test]
fn trp_reads_a_text2pcap_capture_of_hand_typed_pdus() {
    if !tshark::tools_available(
        "trp_reads_a_text2pcap_capture_of_hand_typed_pdus",
        &["tshark", "text2pcap"],
    ) {
        return;
    }
    use hand_pdus::{
        BAD_OPNUM_REQUEST, BIND, BIND_ACK, CLOSE_REQUEST, CLOSE_RESPONSE, OP_RNG_FAULT, bytes,
    };
    let file = tshark::capture(&[
        (Dir::ToServer, bytes(BIND)),
        (Dir::ToClient, bytes(BIND_ACK)),
        (Dir::ToServer, bytes(CLOSE_REQUEST)),
        (Dir::ToClient, bytes(CLOSE_RESPONSE)),
        (Dir::ToServer, bytes(BAD_OPNUM_REQUEST)),
        (Dir::ToClient, bytes(OP_RNG_FAULT)),
    ]);
    let (calls, summary, status) = trp_pcap(&file);
    assert_eq!(status, Some(0));
    assert_eq!(summary["errors"], serde_json::json!([]));
    assert_eq!(summary["calls"], 2);
    assert_eq!(calls.len(), 2);

    let close = &calls[0];
    assert_eq!(close["frame"], 3);
    assert_eq!(close["src"], "10.0.0.1:50000");
    assert_eq!(close["dst"], "10.0.0.2:4444");
    assert_eq!(close["transport"], "tcp");
    assert_eq!(close["call_id"], 3);
    assert_eq!(close["interface"], "tapsrv");
    assert_eq!(close["opnum"], 1);
    assert_eq!(close["method"], "ClientRequest");
    let p = &close["request"]["params"];
    assert_eq!(p["phContext"], "000000000102030405060708090a0b0c0d0e0f10");
    assert_eq!(
        (&p["lNeededSize"], &p["plUsedSize"]),
        (&60.into(), &60.into())
    );
    let msg = &p["pBuffer"]["tapi32_msg"];
    assert_eq!(msg["req_func"], 9);
    assert_eq!(msg["name"], "Close");
    assert_eq!(msg["fields"][2]["name"], "hLine");
    assert_eq!(msg["fields"][2]["value"], 0x0001_0203);
    assert_eq!(close["response"]["frame"], 4);
    let reply = &close["response"]["params"]["pBuffer"]["reply"];
    assert_eq!(
        (&reply["req_func"], &reply["return_value"]),
        (&9.into(), &0.into())
    );
    assert!(close["fault"].is_null());
    // The stubs as typed by hand: the PDUs after their 24-byte headers.
    assert_eq!(stub_of(close, "request"), bytes(CLOSE_REQUEST)[24..]);
    assert_eq!(stub_of(close, "response"), bytes(CLOSE_RESPONSE)[24..]);

    let bad = &calls[1];
    assert_eq!(bad["frame"], 5);
    assert_eq!(bad["call_id"], 4);
    assert_eq!(bad["interface"], "tapsrv");
    assert_eq!(bad["opnum"], 7);
    assert!(bad["method"].is_null());
    assert!(bad["response"].is_null());
    assert_eq!(bad["fault"]["name"], "nca_s_op_rng_error");
    assert_eq!(bad["fault"]["status"], 469_827_586); // 0x1C010002

    // And tshark agrees on all of it.
    compare(&file);
}

/// The twelve section 4 captures (issue 11): tshark sees the same calls, call_ids, opnums,
/// faults and stub bytes as `trp pcap` (`compare`), and one bind per association.
#[test]
fn tshark_sees_the_calls_of_the_twelve_exchange_captures() {
    if !tshark::tools_available(
        "tshark_sees_the_calls_of_the_twelve_exchange_captures",
        &["tshark"],
    ) {
        return;
    }
    for name in exchange_captures::EXCHANGE_CAPTURES {
        let (calls, rows) = compare(&sample(&format!("{name}.pcapng")));
        assert!(calls.len() >= 3, "{name}: attach, a request, detach");
        let count = |t: u8| rows.iter().filter(|r| r.ptype == t).count();
        assert!(count(11) >= 1, "{name}: a bind");
        assert_eq!(count(11), count(12), "{name}: every bind acknowledged");
    }
}

#[path = "common/exchange_captures.rs"]
mod exchange_captures;
