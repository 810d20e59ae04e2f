//! The `session_sequence` fuzz harness (fuzz/session_harness.rs) over its seed corpus
//! (fuzz/corpus/session_sequence/), so every CI run exercises it without a fuzzer. The seeds
//! are written by this test with `MSTRP_BLESS=1` and checked against it otherwise: a life
//! cycle built with the crate's builders and the handles the server returned, in both
//! completion modes, the CVE-2026-20931 Req_Func sequence (47, 61, 121, 0, 86), and the
//! section 4 samples in order.

#[path = "../fuzz/session_harness.rs"]
mod session_harness;

use std::path::{Path, PathBuf};

use mstrp::replies::Reply;
use mstrp::requests::{FuncId, builders};
use mstrp::session::ServerConfig;
use mstrp::session::replay::{Record, Replayer};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> PathBuf {
    root().join("fuzz/corpus/session_sequence")
}

fn file_of(mode: u8, msgs: &[Vec<u8>]) -> Vec<u8> {
    let mut v = vec![mode];
    for m in msgs {
        v.extend_from_slice(&u32::try_from(m.len()).unwrap().to_le_bytes());
        v.extend_from_slice(m);
    }
    v
}

/// Initialize, NegotiateAPIVersion, Open, MakeCall, GetAsyncEvents, Drop, DeallocateCall,
/// Close, ShutDown, each with the handles the server returned.
fn life_cycle() -> Vec<Vec<u8>> {
    let mut r = Replayer::new(ServerConfig::default());
    let mut sent: Vec<Vec<u8>> = Vec::new();
    let mut send = |msg: Vec<u8>| {
        let step = r.step(&Record {
            index: 0,
            offset: 0,
            bytes: &msg,
        });
        sent.push(msg);
        step.reply
    };
    let get =
        |f: FuncId, reply: &[u8], name: &str| Reply::parse(f, reply).unwrap().get(name).unwrap();
    let reply = send(
        builders::LineInitialize::new()
            .init_context(0x1000)
            .dw_friendly_name_offset("fuzz")
            .dw_module_name_offset("fuzz")
            .dw_api_version(0x0002_0000u32)
            .to_bytes()
            .to_vec(),
    );
    let app = get(FuncId::LineInitialize, &reply, "hLineApp");
    send(
        builders::LineNegotiateAPIVersion::new()
            .h_line_app(app)
            .dw_device_id(0)
            .dw_version(0x0001_0004u32)
            .dw_version_current(0x0002_0000u32)
            .dw_negotiated_version(0xFFFF_FFFFu32)
            .extension_id(0xFFFF_FFFF)
            .dw_size(16)
            .to_bytes()
            .to_vec(),
    );
    let reply = send(
        builders::LineOpen::new()
            .h_line_app(app)
            .dw_device_id(0)
            .dw_negotiated_version(0x0002_0000u32)
            .open_context(0x2000)
            .dw_privileges(4)
            .dw_media_modes(4)
            .p_call_params(None::<&[u8]>)
            .h_remote_line(7)
            .to_bytes()
            .to_vec(),
    );
    let h_line = get(FuncId::LineOpen, &reply, "hLine");
    send(
        builders::LineMakeCall::new()
            .dw_request_id(0x55)
            .lp_context(0x3000)
            .h_line(h_line)
            .lph_call_context(0x3001)
            .lpsz_dest_address("+1 425 555 0100")
            .lp_call_params(None::<&[u8]>)
            .to_bytes()
            .to_vec(),
    );
    let mut pull = builders::GetAsyncEvents::new()
        .dw_total_buffer_size(1024)
        .to_bytes()
        .to_vec();
    pull.extend_from_slice(&[0; 1024]);
    let reply = send(pull.clone());
    // The call handle is in MakeCall's completion (2.2.4.2.2): the pulled events' first one.
    let used = get(FuncId::GetAsyncEvents, &reply, "dwUsedBufferSize") as usize;
    let events = &reply[60..60 + used];
    let first = mstrp::events::EventBuffer::new(events)
        .iter()
        .next()
        .unwrap()
        .unwrap();
    // 2.2.4.2.2.19: TotalSize, InitContext, lpContext, hDevice, Msg, OpenContext, dwRequestId,
    // Result, then hCall (DWORD 8).
    let completion = first.dword(8).unwrap();
    send(
        builders::LineDrop::new()
            .dw_request_id(0x56)
            .h_call(completion)
            .lps_user_user_info(None::<&[u8]>)
            .to_bytes()
            .to_vec(),
    );
    send(pull);
    send(
        builders::LineDeallocateCall::new()
            .h_call(completion)
            .to_bytes()
            .to_vec(),
    );
    send(
        builders::LineClose::new()
            .h_line(h_line)
            .to_bytes()
            .to_vec(),
    );
    send(
        builders::LineShutDown::new()
            .h_line_app(app)
            .to_bytes()
            .to_vec(),
    );
    sent
}

fn bare(req_func: u32) -> Vec<u8> {
    let mut m = vec![0u8; 60];
    m[..4].copy_from_slice(&req_func.to_le_bytes());
    m
}

fn samples() -> Vec<Vec<u8>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(root().join("samples/requests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect();
    names.sort();
    names.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let life = life_cycle();
    let initialize = std::fs::read(root().join("samples/requests/4.1-1-initialize.bin")).unwrap();
    vec![
        ("life-cycle-immediate", file_of(0, &life)),
        ("life-cycle-on-close", file_of(1, &life)),
        (
            "cve-2026-20931-sequence",
            file_of(0, &[initialize, bare(61), bare(121), bare(0), bare(86)]),
        ),
        ("section-4-samples", file_of(0, &samples())),
    ]
}

#[test]
fn the_seeds_are_what_this_test_writes() {
    let bless = std::env::var_os("MSTRP_BLESS").is_some();
    for (name, bytes) in seeds() {
        let path = corpus().join(name);
        if bless {
            std::fs::create_dir_all(corpus()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        assert_eq!(
            std::fs::read(&path).unwrap_or_default(),
            bytes,
            "{} is stale; regenerate with MSTRP_BLESS=1 cargo test --all-features --test session_sequence_corpus",
            path.display()
        );
    }
}

#[test]
fn the_harness_holds_on_every_corpus_file_and_every_prefix_of_the_seeds() {
    let mut n = 0;
    for e in std::fs::read_dir(corpus()).unwrap() {
        let data = std::fs::read(e.unwrap().path()).unwrap();
        session_harness::session_sequence(&data);
        n += 1;
    }
    assert!(n >= 4);
    // Cut anywhere: the records before the cut still run (the truncated one is skipped).
    for (_, bytes) in seeds() {
        for cut in (0..bytes.len()).step_by(7) {
            session_harness::session_sequence(&bytes[..cut]);
        }
    }
}

/// The invariant the harness checks is not vacuous: the life cycle's MakeCall and Drop both
/// return request ids and both complete.
#[test]
fn the_life_cycle_completes_its_asynchronous_requests() {
    let life = life_cycle();
    let mut r = Replayer::new(ServerConfig::default());
    let mut completions = 0;
    for (i, m) in life.iter().enumerate() {
        let s = r.step(&Record {
            index: i,
            offset: 0,
            bytes: m,
        });
        let events = if s.events.is_empty() {
            &[][..]
        } else {
            &s.events[..]
        };
        for e in mstrp::events::EventBuffer::new(events)
            .iter()
            .take_while(|_| !events.is_empty())
        {
            if e.unwrap().msg() == mstrp::events::Msg::LineReply as u32 {
                completions += 1;
            }
        }
        assert_eq!(
            s.return_value().map(|v| v & 0x8000_0000),
            Some(0),
            "step {i} ({}) failed: {:#x?}",
            s.name(),
            s.return_value()
        );
    }
    assert_eq!(completions, 2, "MakeCall's and Drop's completions");
}
