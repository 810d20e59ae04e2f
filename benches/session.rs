//! Requests per second of the server side (issue 11, "Performance"), all in one run so that the
//! figures are ratios of each other (printed at the end of `cargo bench`):
//!
//! ```text
//! cargo bench --features serve --bench session
//! ```
//!
//! One iteration is one *round* of eight ClientRequests ([MS-TRP] 3.1.4.2) on a session that
//! did ClientAttach (pull model), Initialize and Open (line 0, TAPI 2.0) beforehand:
//! NegotiateAPIVersion, GetDevCaps, GetAddressCaps, MakeCall, GetAsyncEvents (which drains
//! MakeCall's completion and call states and yields the new HCALL), Drop, DeallocateCall and
//! GetAsyncEvents again (Drop's completion), so the event queue is empty after every round.
//!
//! * `codec`: the eight request buffers of one round, each `Request::parse`d and checked with
//!   the stateless `validation::validate` (no session);
//! * `session`: `ServerSession::request` in memory;
//! * `serve_1_client`: the same round through `serve` ([`mstrp::serve`], a `ServerSession`
//!   per ClientAttach) over loopback TCP, one client connection, NDR20;
//! * `serve_16_clients`: sixteen client threads, each on its own connection and session,
//!   sharing the rounds; the time is wall-clock for all of them (aggregate requests/s).
//!
//! No figure is asserted; the replies are checked once, before measuring.

use std::hint::black_box;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use mstrp::events::EventBuffer;
use mstrp::replies::{Reply, ReturnValue};
use mstrp::requests::{FuncId, Request, builders};
use mstrp::rpc::methods::ClientRequestResponse;
use mstrp::rpc::ndr::{ContextHandle, Syntax};
use mstrp::serve::{ServerOptions, serve};
use mstrp::session::{ServerConfig, ServerSession};
use mstrp::validation;

#[path = "../tests/common/serve_service.rs"]
mod serve_service;

use serve_service::WireClient;

const GROUP: &str = "session";
const CODEC: &str = "codec";
const SESSION: &str = "session";
const NET1: &str = "serve_1_client";
const NET16: &str = "serve_16_clients";
/// ClientRequests per round.
const PER_ROUND: u64 = 8;
/// Concurrent clients of `serve_16_clients`.
const CLIENTS: usize = 16;
/// lNeededSize of every request but GetAsyncEvents.
const CAP: u32 = 4096;
/// dwTotalBufferSize of GetAsyncEvents (2.2.4.1.8.1): room for every event of a round.
const EVENTS_BUF: u32 = 2048;
/// API version the line is opened and its caps asked at (TAPI 2.0).
const VERSION: u32 = 0x0002_0000;
/// LINECALLPRIVILEGE_OWNER (2.2.3.1.26).
const OWNER: u32 = 4;
/// LINEMEDIAMODE_INTERACTIVEVOICE (2.2.3.1.44).
const VOICE: u32 = 4;

/// Something that answers a ClientRequest: `(pBuffer, lNeededSize) -> reply pBuffer`.
type Call<'a> = dyn FnMut(&[u8], u32) -> Vec<u8> + 'a;

fn dword(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Initialize and Open (line 0) on an attached session: `(hLineApp, hLine)`.
fn initialize_open(call: &mut Call<'_>) -> (u32, u32) {
    let init = builders::LineInitialize::new()
        .init_context(0x1000)
        .dw_friendly_name_offset("bench")
        .dw_module_name_offset("bench")
        .dw_api_version(VERSION)
        .to_bytes();
    let r = call(&init, CAP);
    let app = Reply::parse(FuncId::LineInitialize, &r)
        .expect("Initialize reply")
        .get("hLineApp")
        .expect("hLineApp");
    let open = builders::LineOpen::new()
        .h_line_app(app)
        .dw_device_id(0)
        .dw_negotiated_version(VERSION)
        .open_context(0x2000)
        .dw_privileges(OWNER)
        .dw_media_modes(VOICE)
        .p_call_params(None::<&[u8]>)
        .h_remote_line(7)
        .to_bytes();
    let r = call(&open, CAP);
    let line = Reply::parse(FuncId::LineOpen, &r)
        .expect("Open reply")
        .get("hLine")
        .expect("hLine");
    (app, line)
}

/// The requests of a round that do not depend on the call: NegotiateAPIVersion, GetDevCaps,
/// GetAddressCaps, MakeCall, GetAsyncEvents (with its buffer), with their lNeededSize.
fn fixed_requests(app: u32, line: u32) -> Vec<(Vec<u8>, u32)> {
    let negotiate = builders::LineNegotiateAPIVersion::new()
        .h_line_app(app)
        .dw_device_id(0)
        .dw_version(0x0001_0004u32)
        .dw_version_current(0x0003_0001u32)
        .dw_negotiated_version(0xFFFF_FFFFu32)
        .extension_id(0xFFFF_FFFF)
        .dw_size(16)
        .to_bytes();
    let dev_caps = builders::LineGetDevCaps::new()
        .h_line_app(app)
        .dw_device_id(0)
        .dw_tspi_version(VERSION)
        .lp_line_dev_caps(1024)
        .to_bytes();
    let address_caps = builders::LineGetAddressCaps::new()
        .h_line_app(app)
        .dw_device_id(0)
        .dw_address_id(0)
        .dw_tspi_version(VERSION)
        .dw_ext_version(0u32)
        .lp_address_caps(1024)
        .to_bytes();
    let make_call = builders::LineMakeCall::new()
        .dw_request_id(0)
        .lp_context(0x3000)
        .h_line(line)
        .lph_call_context(0x3001)
        .lpsz_dest_address("+1 425 555 0100")
        .lp_call_params(None::<&[u8]>)
        .to_bytes();
    let mut events = builders::GetAsyncEvents::new()
        .dw_total_buffer_size(EVENTS_BUF)
        .to_bytes()
        .to_vec();
    events.resize(events.len() + EVENTS_BUF as usize, 0);
    let events_cap = u32::try_from(events.len()).expect("small");
    vec![
        (negotiate.to_vec(), CAP),
        (dev_caps.to_vec(), CAP),
        (address_caps.to_vec(), CAP),
        (make_call.to_vec(), CAP),
        (events, events_cap),
    ]
}

/// Drop and DeallocateCall of `h_call`.
fn call_requests(h_call: u32) -> [Vec<u8>; 2] {
    let drop = builders::LineDrop::new()
        .dw_request_id(0)
        .h_call(h_call)
        .lps_user_user_info(None::<&[u8]>)
        .to_bytes();
    let deallocate = builders::LineDeallocateCall::new()
        .h_call(h_call)
        .to_bytes();
    [drop.to_vec(), deallocate.to_vec()]
}

/// The HCALL of MakeCall's completion, the first event GetAsyncEvents returned (its dword 8,
/// 2.2.4.2.2.19), 0 when there is none.
fn h_call_of(events_reply: &[u8]) -> u32 {
    let Some(events) = events_reply.get(60..) else {
        return 0;
    };
    match EventBuffer::new(events).into_iter().next() {
        Some(Ok(raw)) if raw.bytes().len() >= 36 => dword(raw.bytes(), 32),
        _ => 0,
    }
}

/// One round on a session set up by [`initialize_open`]; folds the replies' first DWORDs so
/// nothing is optimized away. With `check`, every reply is decoded and must be a success or
/// an asynchronous request id.
fn round(call: &mut Call<'_>, fixed: &[(Vec<u8>, u32)], check: bool) -> u64 {
    let mut acc = 0u64;
    let mut h_call = 0;
    for (req, cap) in fixed {
        let r = call(req, *cap);
        if check {
            ok(req, &r);
        }
        acc = acc.rotate_left(5) ^ u64::from(dword(&r, 0));
        if dword(req, 0) == FuncId::GetAsyncEvents as u32 {
            h_call = h_call_of(&r);
        }
    }
    for req in call_requests(h_call) {
        let r = call(&req, CAP);
        if check {
            ok(&req, &r);
        }
        acc = acc.rotate_left(5) ^ u64::from(dword(&r, 0));
    }
    let (events, cap) = &fixed[fixed.len() - 1];
    let r = call(events, *cap);
    if check {
        ok(events, &r);
    }
    acc ^ u64::from(dword(&r, 0))
}

fn ok(req: &[u8], reply: &[u8]) {
    let func = Request::parse(req)
        .expect("request parses")
        .func()
        .expect("known");
    let v = Reply::parse(func, reply)
        .expect("reply parses")
        .return_value();
    assert!(
        matches!(v, ReturnValue::Success | ReturnValue::RequestId(_)),
        "{func:?}: {v:?}"
    );
}

/// The eight request buffers of one round as the session sees them (for the codec alone).
fn round_buffers(fixed: &[(Vec<u8>, u32)], h_call: u32) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = fixed.iter().map(|(b, _)| b.clone()).collect();
    out.extend(call_requests(h_call));
    out.push(fixed[fixed.len() - 1].0.clone());
    out
}

fn codec(buffers: &[Vec<u8>]) -> u64 {
    let mut acc = 0u64;
    for b in buffers {
        let req = Request::parse(b).expect("parses");
        let violations = validation::validate(&req, None);
        acc = acc.rotate_left(5) ^ (req.func().map_or(0, |f| f as u64) + violations.len() as u64);
    }
    acc
}

/// A network client after ClientAttach (pull model), Initialize and Open.
struct NetClient {
    wire: WireClient,
    handle: ContextHandle,
    fixed: Vec<(Vec<u8>, u32)>,
}

impl NetClient {
    fn connect(addr: SocketAddr) -> NetClient {
        let mut wire = WireClient::connect(addr);
        wire.stream.set_nodelay(true).expect("TCP_NODELAY");
        wire.bind(Syntax::Ndr20);
        let (handle, _, rv) = wire.attach(-1, "bench-mailslot", "BENCH");
        assert_eq!(rv, 0, "ClientAttach");
        let (app, line) = initialize_open(&mut |b, cap| net_request(&mut wire, handle, b, cap));
        let fixed = fixed_requests(app, line);
        NetClient {
            wire,
            handle,
            fixed,
        }
    }

    fn round(&mut self, check: bool) -> u64 {
        let NetClient {
            wire,
            handle,
            fixed,
        } = self;
        round(
            &mut |b, cap| net_request(wire, *handle, b, cap),
            fixed,
            check,
        )
    }
}

fn net_request(wire: &mut WireClient, h: ContextHandle, buffer: &[u8], cap: u32) -> Vec<u8> {
    let needed = i32::try_from(cap).expect("small");
    let stub = wire.request(h, buffer, needed).stub();
    ClientRequestResponse::decode(Syntax::Ndr20, &stub)
        .expect("ClientRequest response")
        .p_buffer()
        .bytes()
        .to_vec()
}

/// A `serve` of `ServerSession`s over the default configuration on a free loopback port.
fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("loopback");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let _ = serve(
            listener,
            || ServerSession::new(ServerConfig::default()),
            ServerOptions::default(),
        );
    });
    addr
}

fn in_memory_session() -> (ServerSession, Vec<(Vec<u8>, u32)>) {
    let mut s = ServerSession::new(ServerConfig::default());
    assert_eq!(s.attach(-1, "bench-mailslot", "BENCH").return_value, 0);
    let (app, line) = initialize_open(&mut |b, cap| s.request(b, cap));
    (s, fixed_requests(app, line))
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group(GROUP);
    g.throughput(Throughput::Elements(PER_ROUND));

    // The codec on the buffers of a real round (the HCALL the session allocated).
    let (mut s, fixed) = in_memory_session();
    round(&mut |b, cap| s.request(b, cap), &fixed, true);
    let mut probe = |b: &[u8], cap| s.request(b, cap);
    for (b, cap) in &fixed[..4] {
        probe(b, *cap);
    }
    let h_call = h_call_of(&probe(&fixed[4].0, fixed[4].1));
    assert_ne!(h_call, 0, "MakeCall's completion names the call");
    let buffers = round_buffers(&fixed, h_call);
    g.bench_function(CODEC, |b| b.iter(|| codec(black_box(&buffers))));

    let (mut s, fixed) = in_memory_session();
    round(&mut |b, cap| s.request(b, cap), &fixed, true);
    g.bench_function(SESSION, |b| {
        b.iter(|| round(&mut |b, cap| s.request(black_box(b), cap), &fixed, false))
    });
    assert!(!s.has_events(), "the rounds drain the event queue");

    let addr = start_server();
    let mut one = NetClient::connect(addr);
    one.round(true);
    g.bench_function(NET1, |b| b.iter(|| one.round(false)));

    let mut clients: Vec<NetClient> = (0..CLIENTS).map(|_| NetClient::connect(addr)).collect();
    for cl in &mut clients {
        cl.round(true);
    }
    g.bench_function(NET16, |b| {
        b.iter_custom(|iters| {
            let barrier = Barrier::new(CLIENTS + 1);
            let per = iters / CLIENTS as u64;
            let extra = iters % CLIENTS as u64;
            let start = std::thread::scope(|scope| {
                for (i, cl) in clients.iter_mut().enumerate() {
                    let n = per + u64::from((i as u64) < extra);
                    let barrier = &barrier;
                    scope.spawn(move || {
                        barrier.wait();
                        let mut acc = 0u64;
                        for _ in 0..n {
                            acc ^= cl.round(false);
                        }
                        black_box(acc);
                    });
                }
                barrier.wait();
                Instant::now()
            });
            // The scope joined every client thread before returning.
            start.elapsed()
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(8));
    targets = bench
}

/// The mean time per iteration criterion estimated for `function` in this run, in ns.
fn mean_ns(function: &str) -> Option<f64> {
    let base = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|d| PathBuf::from(d).join("criterion"))
        })
        .unwrap_or_else(|| PathBuf::from("target/criterion"));
    let text =
        std::fs::read_to_string(base.join(GROUP).join(function).join("new/estimates.json")).ok()?;
    // {"mean":{"confidence_interval":{...},"point_estimate":123.4,...},...}
    let mean = &text[text.find("\"mean\"")?..];
    let at = mean.find("\"point_estimate\":")? + "\"point_estimate\":".len();
    let end = mean[at..].find([',', '}'])?;
    mean[at..at + end].trim().parse().ok()
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo bench` passes --bench; `cargo test --benches` runs each function once and does
    // not, and then there is nothing to compare.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rate = |f: &str| mean_ns(f).map(|ns| PER_ROUND as f64 / ns * 1e9);
    println!("\nsession: ClientRequests per second (rounds of {PER_ROUND} requests):");
    for f in [CODEC, SESSION, NET1, NET16] {
        if let Some(r) = rate(f) {
            println!("  {f:<18} {r:>12.0} requests/s");
        }
    }
    let ratio = |name: &str, a: &str, b: &str| {
        if let (Some(a), Some(b)) = (rate(a), rate(b)) {
            println!("  {name:<34} {:>8.3}", a / b);
        }
    };
    println!("ratios of requests/s:");
    ratio("session / codec", SESSION, CODEC);
    ratio("serve 1 client / session", NET1, SESSION);
    ratio("serve 16 clients / serve 1 client", NET16, NET1);
}
