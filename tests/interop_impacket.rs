//! impacket, an independent DCE/RPC library, against mstrp (issue 11, "A client").
//!
//! `tests/interop/impacket_tapsrv.py` restates the tapsrv IDL ([MS-TRP] 6.2) in impacket's
//! NDR classes and lays every TAPI32_MSG out with `struct.pack` from the diagrams of
//! 2.2.4.1, so no byte it sends comes from this crate:
//!
//! * `stubs`: the request stubs impacket marshals (NDR20 and NDR64) must decode with
//!   `rpc::methods` to the values the script put in;
//! * `session`: impacket drives `trp serve` over loopback through ClientAttach, Initialize,
//!   NegotiateAPIVersion, Open, MakeCall, GetAsyncEvents, Close, Shutdown and ClientDetach,
//!   and every answer is checked against the spec's text.
//!
//! The Python interpreter is `MSTRP_IMPACKET_PYTHON` (`.ci/run` points it at a virtual
//! environment with impacket from PyPI), else `python3` if it can import impacket. Without
//! one the tests report a skip, unless `MSTRP_REQUIRE_IMPACKET=1` makes that a failure.
#![cfg(feature = "cli")]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use mstrp::handles::Version;
use mstrp::requests::Request;
use mstrp::rpc::methods::{ClientAttachRequest, ClientDetachRequest, ClientRequestRequest};
use mstrp::rpc::ndr::Syntax;
use serde_json::Value;

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/interop/impacket_tapsrv.py"
);

/// The interpreter with impacket, or `None` (after printing the skip) when there is none.
fn python(test: &str) -> Option<String> {
    let candidate =
        std::env::var("MSTRP_IMPACKET_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let works = Command::new(&candidate)
        .args(["-c", "import impacket"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if works {
        return Some(candidate);
    }
    let required = std::env::var("MSTRP_REQUIRE_IMPACKET").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "{test}: no Python with impacket ({candidate}) and MSTRP_REQUIRE_IMPACKET=1"
    );
    println!(
        "skipped {test}: no Python with impacket (set MSTRP_IMPACKET_PYTHON; \
         MSTRP_REQUIRE_IMPACKET=1 makes this a failure)"
    );
    None
}

fn dword(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

#[test]
fn impacket_request_stubs_decode_to_what_impacket_was_given() {
    let Some(python) = python("impacket_request_stubs_decode_to_what_impacket_was_given") else {
        return;
    };
    for (syntax, flag) in [(Syntax::Ndr20, None), (Syntax::Ndr64, Some("--ndr64"))] {
        let dir = tempdir(&format!("impacket-stubs-{syntax:?}"));
        let mut cmd = Command::new(&python);
        cmd.arg(SCRIPT).arg("stubs").arg(&dir);
        cmd.args(flag);
        let status = cmd.status().expect("run the impacket script");
        assert!(status.success(), "impacket_tapsrv.py stubs failed");
        let read = |name: &str| std::fs::read(dir.join(name)).expect(name);

        // ClientAttach(lProcessID -1, "IMPACKET\tester", "IMPACKET"), 3.1.4.1.
        let attach = read("client_attach.bin");
        let attach = ClientAttachRequest::decode(syntax, &attach).expect("ClientAttach stub");
        assert_eq!(attach.l_process_id(), -1);
        assert_eq!(attach.psz_domain_user().to_string(), "IMPACKET\\tester");
        assert_eq!(attach.psz_machine().to_string(), "IMPACKET");

        // ClientRequest with an 80-byte Initialize in a 1024-byte buffer, 3.1.4.2.
        let request = read("client_request_initialize.bin");
        let request = ClientRequestRequest::decode(syntax, &request).expect("ClientRequest stub");
        let handle: Vec<u8> = (1..=20).collect();
        assert_eq!(&request.ph_context().to_bytes()[..], &handle[..]);
        assert_eq!(request.l_needed_size(), 1024);
        assert_eq!(request.pl_used_size(), 80);
        let Request::LineInitialize(init) = request.tapi32_msg().expect("TAPI32_MSG") else {
            panic!("not an Initialize");
        };
        assert_eq!(init.init_context(), 0x1234);
        assert_eq!(init.dw_api_version(), Version::TAPI_3_1);

        // ClientDetach([in, out] pphContext), 3.1.4.3.
        let detach = read("client_detach.bin");
        let detach = ClientDetachRequest::decode(syntax, &detach).expect("ClientDetach stub");
        assert_eq!(&detach.pph_context().to_bytes()[..], &handle[..]);
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `trp serve` on a free loopback port; returns it and the port from its first line.
fn serve() -> (Server, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start trp serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim_end()
        .strip_prefix("listening on 127.0.0.1:")
        .unwrap_or_else(|| panic!("first line {line:?}"))
        .parse()
        .unwrap();
    (Server(child), port)
}

#[test]
fn impacket_drives_trp_serve_through_a_session() {
    let Some(python) = python("impacket_drives_trp_serve_through_a_session") else {
        return;
    };
    let (_server, port) = serve();
    for flag in [None, Some("--ndr64")] {
        let mut cmd = Command::new(&python);
        cmd.arg(SCRIPT)
            .args(["session", "127.0.0.1", &port.to_string()]);
        cmd.args(flag);
        let out = cmd.output().expect("run the impacket script");
        assert!(
            out.status.success(),
            "impacket session {flag:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let steps: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let names: Vec<&str> = steps.iter().map(|s| s["step"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "ClientAttach",
                "Initialize",
                "NegotiateAPIVersion",
                "Open",
                "MakeCall",
                "GetAsyncEvents",
                "Close",
                "Shutdown",
                "ClientDetach"
            ]
        );
        let step = |name: &str| steps.iter().find(|s| s["step"] == name).unwrap();
        let dwords = |name: &str| -> Vec<u32> {
            step(name)["dwords"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as u32)
                .collect()
        };

        // 3.1.4.1: 0 on success; lProcessID -1 and a server that supports
        // NegotiateAPIVersionForAllDevices answer 0xA5C369A5; a context handle that is not nil.
        let attach = step("ClientAttach");
        assert_eq!(attach["return_value"], 0);
        assert_eq!(attach["phAsyncEventsEvent"], 0xA5C3_69A5_u32);
        assert_ne!(attach["handle"], "0".repeat(40));

        // Every reply: Ack_ReturnValue 0, max_count = lNeededSize as sent (3.1.4.2).
        for name in [
            "Initialize",
            "NegotiateAPIVersion",
            "Open",
            "Close",
            "Shutdown",
        ] {
            assert_eq!(step(name)["return_value"], 0, "{name}");
            assert_eq!(step(name)["max_count"], 1024, "{name}");
        }
        // Initialize (2.2.4.1.1.1): an HLINEAPP, and dwNumDevs = the two lines of the
        // default configuration (issue 11).
        let init = dwords("Initialize");
        assert_ne!(init[2], 0, "hLineApp");
        assert_eq!(init[6], 2, "dwNumDevs");
        // NegotiateAPIVersion (2.2.4.1.1.2): the highest version of the overlap of
        // [0x00010004, 0x00030001] and the device's 0x00010004-0x00030001 (seed 001).
        let negotiate = dwords("NegotiateAPIVersion");
        assert_eq!(negotiate[6], 0x0003_0001, "dwNegotiatedVersion");
        assert_eq!(negotiate[8], 16, "dwSize of the LINEEXTENSIONID");
        // Open (2.2.4.1.1.5): an HLINE.
        let h_line = dwords("Open")[4];
        assert_ne!(h_line, 0, "hLine");
        // MakeCall (4.3): "a positive number that is the request identifier"; dwRequestID 0
        // asked the server to choose it.
        let request_id = step("MakeCall")["return_value"].as_u64().unwrap() as u32;
        assert!(
            request_id > 0 && request_id < 0x8000_0000,
            "{request_id:#x}"
        );

        // GetAsyncEvents (2.2.4.1.8.1): dwUsedBufferSize <= dwTotalBufferSize, and among the
        // ASYNCEVENTMSGs (2.2.5.1: TotalSize at 0, Msg at 16, Param1 at 24, Param2 at 28) the
        // MakeCall completion: LINE_REPLY (0x0C) for the request id with result 0 (4.3).
        let events = step("GetAsyncEvents");
        assert_eq!(events["return_value"], 0);
        let ev = dwords("GetAsyncEvents");
        let (total, used) = (ev[2], ev[4]);
        assert_eq!(total, 512);
        assert!(used <= total && used > 0, "used {used} of {total}");
        let var = hex(events["var_data"].as_str().unwrap());
        let mut at = 0usize;
        let mut completions = 0;
        while at < used as usize {
            let size = dword(&var, at) as usize;
            assert!(
                size >= 32 && at + size <= used as usize,
                "TotalSize {size} at {at}"
            );
            if dword(&var, at + 16) == 0x0C && dword(&var, at + 24) == request_id {
                assert_eq!(dword(&var, at + 28), 0, "LINE_REPLY result");
                completions += 1;
            }
            at += size;
        }
        assert_eq!(completions, 1, "exactly one LINE_REPLY for MakeCall");

        // ClientDetach (3.1.4.3): the server frees the binding; the handle comes back nil.
        assert_eq!(step("ClientDetach")["handle"], "0".repeat(40));
    }
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mstrp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
