//! The sample captures (`samples/captures/`): the committed files are what
//! `examples/write_capture_samples.rs` writes, and `trp pcap --json` reads each one as the
//! [MS-TRP] section 4 exchange it holds. The expected calls are written here from the spec
//! (opnums of 6.1/6.2, `Req_Func` values of 2.2.4.1, the order of 3.1.4.1 and section 4) and
//! from the sample definitions, not from a run of the decoder. Also: a capture cut in the
//! middle of a record, and a file that is no capture.
#![cfg(all(feature = "pcap", feature = "cli"))]

#[path = "../examples/write_capture_samples.rs"]
#[allow(dead_code)]
mod write_capture_samples;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mstrp::capture::{self, Direction, StreamEvent, StreamId, TransportConfig};
use mstrp::rpc::pdu::{PacketType, PduBody, pdus};
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample(name: &str) -> PathBuf {
    root().join("samples/captures").join(name)
}

#[test]
fn files_are_up_to_date() {
    let written = write_capture_samples::samples();
    let names: Vec<&str> = written.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "4.1-4.2-tcp.pcapng",
            "4.3-tcp.pcapng",
            "4.1-smb2.pcapng",
            "4.1-4.2-ndr64-tcp.pcapng",
            "4.1-establish.pcapng",
            "4.2-terminate.pcapng",
            "4.3-outgoing-call.pcapng",
            "4.4-answer-incoming-call.pcapng",
            "4.5-blind-transfer.pcapng",
            "4.6-forward.pcapng",
            "4.7-management-session.pcapng",
            "4.8-terminate-management-session.pcapng",
            "4.9-get-server-config.pcapng",
            "4.10-set-server-config.pcapng",
            "4.11-acd-proxy-request.pcapng",
            "4.12-agent-session.pcapng",
        ]
    );
    for (name, bytes) in written {
        let on_disk = std::fs::read(sample(&name))
            .expect("run `cargo run --all-features --example write_capture_samples`");
        assert!(
            on_disk == bytes,
            "samples/captures/{name} differs from what the example writes; run \
             `cargo run --all-features --example write_capture_samples`"
        );
    }
}

/// `trp pcap --json FILE`: the calls, the summary and the exit status.
fn trp_pcap(file: &Path) -> (Vec<Value>, Value, Option<i32>) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_trp"))
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
    assert!(calls.iter().all(|c| c["kind"] == "call"));
    (calls.to_vec(), summary.clone(), out.status.code())
}

/// One expected call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Want {
    interface: &'static str,
    method: &'static str,
    opnum: u64,
    call_id: u64,
    /// `Req_Func` of a ClientRequest.
    req_func: Option<u64>,
}

/// interface, method, opnum, call_id, Req_Func.
type Key = (String, String, u64, u64, Option<u64>);

impl Want {
    fn key(&self) -> Key {
        (
            self.interface.to_string(),
            self.method.to_string(),
            self.opnum,
            self.call_id,
            self.req_func,
        )
    }
}

const fn tapsrv(method: &'static str, opnum: u64, call_id: u64) -> Want {
    Want {
        interface: "tapsrv",
        method,
        opnum,
        call_id,
        req_func: None,
    }
}

const fn remotesp(method: &'static str, opnum: u64, call_id: u64) -> Want {
    Want {
        interface: "remotesp",
        ..tapsrv(method, opnum, call_id)
    }
}

const fn client_request(call_id: u64, req_func: u64) -> Want {
    Want {
        req_func: Some(req_func),
        ..tapsrv("ClientRequest", 1, call_id)
    }
}

/// 4.1: ClientAttach (tapsrv opnum 0) and, inside it, RemoteSPAttach (remotesp opnum 0) on
/// the server's own association; then ClientRequest (opnum 1) with Initialize (47),
/// NegotiateAPIVersionForAllDevices (130), GetDevCaps (34), GetAddressCaps (21), Open (54).
/// Each association's bind is call_id 1, its calls count from 2.
fn exchange_4_1() -> Vec<Want> {
    vec![
        tapsrv("ClientAttach", 0, 2),
        remotesp("RemoteSPAttach", 0, 2),
        client_request(3, 47),
        client_request(4, 130),
        client_request(5, 34),
        client_request(6, 21),
        client_request(7, 54),
    ]
}

/// 4.3 after 4.1: MakeCall (48), the LINE_REPLY through RemoteSPEventProc (remotesp opnum
/// 1), Drop (16), DeallocateCall (12).
fn exchange_4_3() -> Vec<Want> {
    vec![
        client_request(8, 48),
        remotesp("RemoteSPEventProc", 1, 3),
        client_request(9, 16),
        client_request(10, 12),
    ]
}

/// 4.2: Close (9), Shutdown (86), ClientDetach (tapsrv opnum 2), RemoteSPDetach (remotesp
/// opnum 2).
fn exchange_4_2(first_call_id: u64, remotesp_call_id: u64) -> Vec<Want> {
    vec![
        client_request(first_call_id, 9),
        client_request(first_call_id + 1, 86),
        tapsrv("ClientDetach", 2, first_call_id + 2),
        remotesp("RemoteSPDetach", 2, remotesp_call_id),
    ]
}

struct Case {
    file: &'static str,
    calls: Vec<Want>,
    transport: &'static str,
    tapsrv_server: &'static str,
    syntax: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            file: "4.1-4.2-tcp.pcapng",
            calls: [exchange_4_1(), exchange_4_2(8, 3)].concat(),
            transport: "tcp",
            tapsrv_server: "10.0.0.2:4444",
            syntax: "NDR20",
        },
        Case {
            file: "4.3-tcp.pcapng",
            calls: [exchange_4_1(), exchange_4_3(), exchange_4_2(11, 4)].concat(),
            transport: "tcp",
            tapsrv_server: "10.0.0.2:4444",
            syntax: "NDR20",
        },
        Case {
            file: "4.1-smb2.pcapng",
            calls: exchange_4_1(),
            transport: "smb2",
            tapsrv_server: "10.0.0.2:445",
            syntax: "NDR20",
        },
        Case {
            file: "4.1-4.2-ndr64-tcp.pcapng",
            calls: [exchange_4_1(), exchange_4_2(8, 3)].concat(),
            transport: "tcp",
            tapsrv_server: "10.0.0.2:4444",
            syntax: "NDR64",
        },
    ]
}

const NIL_HANDLE: &str = "0000000000000000000000000000000000000000";

fn find<'a>(calls: &'a [Value], method: &str) -> &'a Value {
    calls
        .iter()
        .find(|c| c["method"] == method)
        .unwrap_or_else(|| panic!("no {method}"))
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

/// The value of the event field `name`.
fn event_field(event: &Value, name: &str) -> i64 {
    int(&event["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name}"))["value"])
}

#[test]
fn trp_reads_the_section_4_exchanges() {
    for case in cases() {
        let file = case.file;
        let (calls, summary, status) = trp_pcap(&sample(file));
        assert_eq!(status, Some(0), "{file}: exit status");
        assert_eq!(summary["errors"], serde_json::json!([]), "{file}");
        assert_eq!(summary["skipped_frames"], 0, "{file}");
        assert_eq!(summary["calls"], case.calls.len() as u64, "{file}");

        // The calls, in request order.
        let got: Vec<Key> = calls
            .iter()
            .map(|c| {
                (
                    c["interface"].as_str().unwrap_or("?").to_string(),
                    c["method"].as_str().unwrap_or("?").to_string(),
                    c["opnum"].as_u64().unwrap(),
                    c["call_id"].as_u64().unwrap(),
                    c["request"]["params"]["pBuffer"]["tapi32_msg"]["req_func"].as_u64(),
                )
            })
            .collect();
        let want: Vec<Key> = case.calls.iter().map(Want::key).collect();
        assert_eq!(got, want, "{file}");

        for c in &calls {
            let what = format!("{file} {} call_id {}", c["interface"], c["call_id"]);
            // Every call answered by a response, not a fault, after its request.
            assert!(c["fault"].is_null(), "{what}: {}", c["fault"]);
            assert!(c["response"].is_object(), "{what}: no response");
            assert!(
                int(&c["response"]["frame"]) > int(&c["request"]["frame"]),
                "{what}"
            );
            for side in ["request", "response"] {
                assert_eq!(c[side]["syntax"], case.syntax, "{what} {side}");
                assert!(c[side]["error"].is_null(), "{what} {side}: {}", c[side]);
                assert!(c[side]["params"].is_object(), "{what} {side}");
            }
            // tapsrv from the client to the server; remotesp the other way (3.3.3).
            if c["interface"] == "tapsrv" {
                assert_eq!(c["transport"], case.transport, "{what}");
                assert_eq!(c["src"], "10.0.0.1:50000", "{what}");
                assert_eq!(c["dst"], case.tapsrv_server, "{what}");
                if case.transport == "smb2" {
                    assert_eq!(c["pipe"], "tapsrv", "{what}");
                }
            } else {
                assert_eq!(c["transport"], "tcp", "{what}");
                assert_eq!(c["src"], "10.0.0.2:49700", "{what}");
                assert_eq!(c["dst"], "10.0.0.1:50001", "{what}");
            }
        }

        // ClientAttach (3.1.4.1): a remote client controlling devices, push model, its
        // remotesp endpoint in pszMachine; RemoteSPAttach happens while it is pending.
        let attach = find(&calls, "ClientAttach");
        let p = &attach["request"]["params"];
        assert_eq!(p["lProcessID"], -1, "{file}");
        assert_eq!(p["pszDomainUser"], "", "{file}");
        assert_eq!(p["pszMachine"], "CLIENT\"ncacn_ip_tcp\"50001\"", "{file}");
        let r = &attach["response"]["params"];
        assert_eq!(r["phAsyncEventsEvent"], 0xA5C3_69A5_u32 as i32, "{file}");
        assert_eq!(r["return_value"], 0, "{file}");
        let tapsrv_ctx = r["pphContext"].as_str().unwrap();
        assert_ne!(tapsrv_ctx, NIL_HANDLE, "{file}");
        let rsp_attach = find(&calls, "RemoteSPAttach");
        let (a_req, a_resp) = (
            int(&attach["request"]["frame"]),
            int(&attach["response"]["frame"]),
        );
        assert!(
            a_req < int(&rsp_attach["request"]["frame"])
                && int(&rsp_attach["response"]["frame"]) < a_resp,
            "{file}: RemoteSPAttach inside the pending ClientAttach"
        );
        assert_eq!(rsp_attach["request"]["params"], serde_json::json!({}));
        assert_eq!(rsp_attach["response"]["params"]["return_value"], 0);
        let remotesp_ctx = rsp_attach["response"]["params"]["pphContext"]
            .as_str()
            .unwrap();
        assert_ne!(remotesp_ctx, NIL_HANDLE, "{file}");

        // ClientRequest (3.1.4.2): the attach's handle; the reply answers the same Req_Func
        // in a buffer of lNeededSize bytes; the functions with output buffers use less.
        let mut make_call_id = None;
        for c in calls.iter().filter(|c| c["method"] == "ClientRequest") {
            let req = &c["request"]["params"];
            let resp = &c["response"]["params"];
            let func = req["pBuffer"]["tapi32_msg"]["req_func"].as_u64().unwrap();
            let what = format!("{file} Req_Func {func}");
            assert_eq!(req["phContext"], tapsrv_ctx, "{what}");
            assert_eq!(req["pBuffer"]["offset"], 0, "{what}");
            assert_eq!(req["lNeededSize"], req["pBuffer"]["max_count"], "{what}");
            assert_eq!(req["plUsedSize"], req["pBuffer"]["actual_count"], "{what}");
            assert_eq!(resp["pBuffer"]["max_count"], req["lNeededSize"], "{what}");
            assert_eq!(
                resp["plUsedSize"], resp["pBuffer"]["actual_count"],
                "{what}"
            );
            let reply = &resp["pBuffer"]["reply"];
            assert_eq!(reply["req_func"], func, "{what}");
            if func == 48 {
                // MakeCall is asynchronous: a positive request ID.
                assert_eq!(reply["result"], "request_id", "{what}");
                make_call_id = Some(int(&reply["return_value"]));
            } else {
                assert_eq!(reply["return_value"], 0, "{what}");
                assert_eq!(reply["result"], "success", "{what}");
            }
            let structure = match func {
                34 => Some("LINEDEVCAPS"),
                21 => Some("LINEADDRESSCAPS"),
                _ => None,
            };
            if let Some(name) = structure {
                assert!(
                    int(&resp["plUsedSize"]) < int(&req["lNeededSize"]),
                    "{what}: the reply uses less than the buffer offered"
                );
                let outputs = reply["outputs"].as_array().unwrap();
                assert!(
                    outputs.iter().any(|o| o["structure"]["name"] == name),
                    "{what}: {name} returned"
                );
            }
        }

        // 4.3: the LINE_REPLY (2.2.4.2.1.25, Msg 0x0C) for MakeCall's request ID.
        if let Some(id) = make_call_id {
            let proc = find(&calls, "RemoteSPEventProc");
            let p = &proc["request"]["params"];
            assert_eq!(p["phContext"], remotesp_ctx, "{file}");
            assert_eq!(p["lSize"], p["pBuffer"]["actual_count"], "{file}");
            let events = &p["pBuffer"]["events"];
            assert!(events["error"].is_null(), "{file}: {events}");
            let list = events["events"].as_array().unwrap();
            assert_eq!(list.len(), 1, "{file}");
            assert_eq!(list[0]["name"], "LINE_REPLY", "{file}");
            assert_eq!(list[0]["msg"], 0x0C, "{file}");
            assert_eq!(event_field(&list[0], "dwRemoteRequestID"), id, "{file}");
            assert_eq!(event_field(&list[0], "dwParam2"), 0, "{file}");
            let make_call = calls
                .iter()
                .find(|c| c["request"]["params"]["pBuffer"]["tapi32_msg"]["req_func"] == 48)
                .unwrap();
            assert!(
                int(&proc["request"]["frame"]) > int(&make_call["response"]["frame"]),
                "{file}: the LINE_REPLY after MakeCall returned its request ID"
            );
        }

        // 4.2: both detaches take the attach's handle and return it nil.
        if case.calls.iter().any(|w| w.method == "ClientDetach") {
            let d = find(&calls, "ClientDetach");
            assert_eq!(d["request"]["params"]["pphContext"], tapsrv_ctx, "{file}");
            assert_eq!(d["response"]["params"]["pphContext"], NIL_HANDLE, "{file}");
            let d = find(&calls, "RemoteSPDetach");
            assert_eq!(d["request"]["params"]["pphContext"], remotesp_ctx, "{file}");
            assert_eq!(d["response"]["params"]["pphContext"], NIL_HANDLE, "{file}");
        }
    }
}

/// The request PDUs of the first connection's client-to-server stream: (call_id, flags,
/// frag_length) in order.
fn request_fragments(file: &[u8]) -> Vec<(u32, u8, usize)> {
    let mut bytes = Vec::new();
    let events = capture::open(file, TransportConfig::default()).expect("a capture");
    for e in events {
        if let StreamEvent::Data {
            stream: StreamId::Tcp(c),
            dir: Direction::ClientToServer,
            bytes: b,
            ..
        } = e
        {
            if c.0 == 0 {
                bytes.extend(b);
            }
        }
    }
    pdus(&bytes)
        .map(|r| r.expect("a PDU").1)
        .filter(|p| p.packet_type() == PacketType::Request)
        .map(|p| {
            assert!(matches!(p.body(), PduBody::Request(_)));
            (p.call_id(), p.flags(), usize::from(p.frag_length()))
        })
        .collect()
}

/// The NDR64 sample sends GetDevCaps (call_id 5) as three fragments of at most 512 bytes,
/// FIRST on the first and LAST on the last; every other request is a single fragment.
#[test]
fn ndr64_sample_has_a_three_fragment_request() {
    let file = std::fs::read(sample("4.1-4.2-ndr64-tcp.pcapng")).unwrap();
    let frags = request_fragments(&file);
    let of_5: Vec<(u8, usize)> = frags
        .iter()
        .filter(|f| f.0 == 5)
        .map(|f| (f.1, f.2))
        .collect();
    assert_eq!(of_5.len(), 3, "{frags:?}");
    assert_eq!(
        of_5.iter().map(|f| f.0).collect::<Vec<_>>(),
        [0x01, 0x00, 0x02]
    );
    assert!(of_5.iter().all(|f| f.1 <= 512), "{of_5:?}");
    assert!(frags.iter().filter(|f| f.0 != 5).all(|f| f.1 == 0x03));
    // The other samples have no fragmented request.
    for name in ["4.1-4.2-tcp.pcapng", "4.3-tcp.pcapng"] {
        let file = std::fs::read(sample(name)).unwrap();
        assert!(
            request_fragments(&file).iter().all(|f| f.1 == 0x03),
            "{name}"
        );
    }
}

fn scratch(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("capture-samples-{}-{name}", std::process::id()))
}

/// The byte offset and length of the enhanced packet block of frame `n` (1-based) of a
/// little-endian pcapng file.
fn pcapng_record(file: &[u8], n: u64) -> (usize, usize) {
    let mut at = 0;
    let mut frame = 0;
    while at + 8 <= file.len() {
        let kind = u32::from_le_bytes(file[at..at + 4].try_into().unwrap());
        let len = u32::from_le_bytes(file[at + 4..at + 8].try_into().unwrap()) as usize;
        if kind == 6 {
            frame += 1;
            if frame == n {
                return (at, len);
            }
        }
        at += len;
    }
    panic!("no frame {n}");
}

/// A capture cut in the middle of a record: the calls before the damage are printed (the
/// one whose response was in the lost frame without it), the summary names the frame, and
/// the exit status is 1.
#[test]
fn damaged_capture_prints_what_came_before() {
    let (intact, _, _) = trp_pcap(&sample("4.3-tcp.pcapng"));
    let make_call = intact
        .iter()
        .find(|c| c["request"]["params"]["pBuffer"]["tapi32_msg"]["req_func"] == 48)
        .unwrap();
    let lost = make_call["response"]["frame"].as_u64().unwrap();
    let file = std::fs::read(sample("4.3-tcp.pcapng")).unwrap();
    let (at, len) = pcapng_record(&file, lost);
    let path = scratch("damaged.pcapng");
    std::fs::write(&path, &file[..at + len / 2]).unwrap();

    let (calls, summary, status) = trp_pcap(&path);
    assert_eq!(status, Some(1));
    let before: Vec<&Value> = intact
        .iter()
        .filter(|c| c["frame"].as_u64().unwrap() < lost)
        .collect();
    assert_eq!(calls.len(), before.len());
    let (last, rest) = calls.split_last().unwrap();
    for (got, want) in rest.iter().zip(&before) {
        assert_eq!(got, *want);
    }
    assert_eq!(last["call_id"], make_call["call_id"]);
    assert_eq!(last["request"], make_call["request"]);
    assert!(last["response"].is_null() && last["fault"].is_null());
    assert_eq!(summary["frames"], lost - 1);
    let errors = summary["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{summary}");
    assert_eq!(errors[0]["frame"], lost);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("damaged") && message.contains(&format!("frame {lost}")),
        "{message}"
    );
    let _ = std::fs::remove_file(&path);
}

/// A file that is no capture: exit status 2 and an error naming the file.
#[test]
fn non_capture_exits_2() {
    let path = scratch("not-a-capture.txt");
    std::fs::write(&path, b"this is not a capture file\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(["pcap", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("not-a-capture.txt") && message.contains("not a pcap or pcapng"),
        "{message}"
    );
    // The same without --json: nothing on standard output, the error on standard error.
    let out = Command::new(env!("CARGO_BIN_EXE_trp"))
        .arg("pcap")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a pcap or pcapng"));
    let _ = std::fs::remove_file(&path);
}

/// The twelve section 4 captures (issue 11): `trp pcap` reads each without an error, every
/// call has its response and no fault, each session starts with a successful ClientAttach
/// and ends with ClientDetach, and no ClientRequest fails: the exchanges of section 4 show
/// only successful requests (an asynchronous one answers a positive request id, 3.1.4.2).
#[test]
fn the_twelve_exchange_captures_read_back_without_errors() {
    /// The ClientRequest functions in the order sections 4.1 and 4.3 give them:
    /// Initialize (47), NegotiateAPIVersionForAllDevices (130), GetDevCaps (34),
    /// GetAddressCaps (21), Open (54); then MakeCall (48), Drop (16), DeallocateCall (12)
    /// and the 4.2 teardown, Close (9) and ShutDown (86).
    const ESTABLISH: [u64; 5] = [47, 130, 34, 21, 54];
    for name in exchange_captures::EXCHANGE_CAPTURES {
        let (calls, summary, code) = trp_pcap(&sample(&format!("{name}.pcapng")));
        assert_eq!(code, Some(0), "{name}: {summary}");
        assert_eq!(summary["errors"], serde_json::json!([]), "{name}");
        assert_eq!(summary["calls"], calls.len(), "{name}");
        let tapsrv: Vec<&Value> = calls
            .iter()
            .filter(|c| c["interface"] == "tapsrv")
            .collect();
        assert_eq!(tapsrv.first().unwrap()["method"], "ClientAttach", "{name}");
        assert_eq!(tapsrv.last().unwrap()["method"], "ClientDetach", "{name}");
        let mut funcs = Vec::new();
        for c in &calls {
            assert!(c["fault"].is_null(), "{name}: {c}");
            let response = &c["response"]["params"];
            assert!(response.is_object(), "{name}: no response: {c}");
            if c["method"] == "ClientAttach" {
                assert_eq!(response["return_value"], 0, "{name}: {c}");
            }
            if c["method"] == "ClientRequest" {
                let reply = &response["pBuffer"]["reply"];
                let rv = reply["return_value"].as_i64().expect("a return value") as i32;
                assert!(rv >= 0, "{name}: {} failed with {rv:#x}", reply["name"]);
                funcs.push(reply["req_func"].as_u64().unwrap());
            }
        }
        match name {
            // Every capture is a whole session: 4.1 ends with the 4.2 teardown.
            "4.1-establish" => {
                assert_eq!(funcs[..5], ESTABLISH, "{name}");
                assert_eq!(funcs[5..], [9, 86], "{name}");
            }
            "4.3-outgoing-call" => {
                assert_eq!(funcs[..5], ESTABLISH, "{name}");
                assert_eq!(funcs[5..], [48, 16, 12, 9, 86], "{name}");
            }
            _ => assert!(!funcs.is_empty() || name.starts_with("4.8"), "{name}"),
        }
    }
}

#[path = "common/exchange_captures.rs"]
mod exchange_captures;
