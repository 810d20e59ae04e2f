//! Writes the sample captures of the [MS-TRP] section 4 exchanges to `samples/captures/`:
//!
//! ```text
//! cargo run --all-features --example write_capture_samples
//! ```
//!
//! Every byte comes from this crate's own builders (PDUs from `rpc::pdu`, stubs from
//! `rpc::methods`, replies from `replies::ReplyBuilder`, LINEDEVCAPS/LINEADDRESSCAPS from
//! `structures`) laid into Ethernet/IPv4/TCP frames by `capture::write`. They are regression
//! fixtures and interop inputs, not independent known answers: `tests/capture_samples.rs`
//! checks that the files are what this program writes and that `trp pcap` reads them as the
//! exchanges of section 4, and `tests/capture_samples_tshark.rs` has tshark decode them.
//! The request packets are the shipped `samples/requests/*.bin` and the event buffer is
//! `samples/events/4.3-makecall-line-reply.bin`, included as they are.
//!
//! Timestamps start at 2026-01-01 00:00:00 UTC and grow by 1 ms per frame; handles, UUIDs,
//! ports, sequence numbers and call_ids are fixed, so the output is the same on every run.
//!
//! | file | what it holds |
//! |---|---|
//! | `4.1-4.2-tcp.pcapng` | 4.1 then 4.2 over ncacn_ip_tcp, NDR20 |
//! | `4.3-tcp.pcapng` | 4.1, the MakeCall of 4.3 with its LINE_REPLY, Drop, DeallocateCall, then 4.2 |
//! | `4.1-smb2.pcapng` | 4.1 with tapsrv over ncacn_np (SMB2 `\pipe\tapsrv`); the capture ends with the session open |
//! | `4.1-4.2-ndr64-tcp.pcapng` | 4.1 then 4.2 over ncacn_ip_tcp in NDR64, GetDevCaps' request in three fragments |
//!
//! The exchange (client 10.0.0.1, server 10.0.0.2):
//!
//! * tapsrv association, client 10.0.0.1:50000 to 10.0.0.2:4444 (or :445 for SMB2): bind
//!   (call_id 1) and bind_ack, then ClientAttach (3.1.4.1, call_id 2) with `lProcessID` −1
//!   (0xFFFFFFFF, "a remote instance that wants to control the telephony devices"),
//!   `pszDomainUser` "" (push model: events through remotesp) and `pszMachine`
//!   `CLIENT"ncacn_ip_tcp"50001"` (the client's remotesp endpoint).
//! * Inside the pending ClientAttach (3.1.4.1, 3.3.3: the server opens a new association as
//!   the RPC client and calls RemoteSPAttach before ClientAttach returns): a second TCP
//!   connection 10.0.0.2:49700 to 10.0.0.1:50001, bind of remotesp (call_id 1),
//!   RemoteSPAttach (3.3.4.1, call_id 2) returning the client's remotesp context handle.
//!   Over SMB2 the ClientAttach IOCTL gets an interim STATUS_PENDING response first and the
//!   final one after the callback.
//! * The ClientAttach response: the tapsrv context handle, `phAsyncEventsEvent` 0xA5C369A5
//!   (the server supports NegotiateAPIVersionForAllDevices) and 0.
//! * 4.1: ClientRequest (3.1.4.2, call_ids 3 to 7) with Initialize (47),
//!   NegotiateAPIVersionForAllDevices (130), GetDevCaps (34), GetAddressCaps (21), Open (54),
//!   each request's `lNeededSize` and `*plUsedSize` the sample's length. Every reply has
//!   `Ack_ReturnValue` 0 and comes back in the same buffer (`max_count` = `lNeededSize`):
//!   Initialize fills hLineApp 0x00010001 and dwNumDevs 2; NegotiateAPIVersionForAllDevices
//!   returns two line versions 0x00030001 and two zero LINEEXTENSIONIDs; GetDevCaps returns a
//!   LINEDEVCAPS and GetAddressCaps a LINEADDRESSCAPS, each much shorter than the 1024 bytes
//!   the client offered, so `*plUsedSize` < `lNeededSize`; Open fills hLine 0x00020001.
//! * 4.3 (only `4.3-tcp.pcapng`): MakeCall (48) returns the request ID 0x2A; then, on the
//!   callback connection, RemoteSPEventProc (3.3.4.2, call_id 3) carries the LINE_REPLY
//!   (MakeCall completion, 2.2.4.2.2.19) for request 0x2A; then Drop (16), returning 0 as
//!   4.3 says (the design note's contradiction 4: Drop is asynchronous, but 4.3 has it
//!   return 0, and no second LINE_REPLY is shown), and DeallocateCall (12).
//! * 4.2: Close (9) of hLine 0x00020001, Shutdown (86) of hLineApp 0x00010001, ClientDetach
//!   (3.1.4.3) whose response returns the nil handle, then RemoteSPDetach (3.3.4.3) on the
//!   callback connection, nil handle back; both connections end with FINs.
//! * NDR64 (`4.1-4.2-ndr64-tcp.pcapng`): each bind offers context 0 in NDR20 and context 1
//!   in NDR64 ([MS-TRP] 2.2 requires both); the bind_ack rejects 0
//!   (proposed_transfer_syntaxes_not_supported) and accepts 1, which every call then uses.
//!   GetDevCaps' 1,140-byte request stub goes as three request PDUs of at most 512 bytes
//!   ([MS-RPCE] 2.2.2.6; any size up to the negotiated 5,840 is allowed).
//!
//! ## The twelve exchanges, one capture each
//!
//! `4.N-<short name>.pcapng` (N = 1..12, names in `tests/common/exchanges.rs`, `EXCHANGES`)
//! holds exchange 4.N as `tests/session_exchanges.rs` replays it: the real `ClientSession`
//! requests and `ServerSession` replies and events, recorded as the exchange's `Step`s, laid
//! into the same RPC PDUs and connections as above (ncacn_ip_tcp, NDR20):
//!
//! * ClientAttach with the exchange's `lProcessID`, `pszDomainUser` and `pszMachine`; for a
//!   push-model client (empty `pszDomainUser`) the server's remotesp association
//!   (10.0.0.2:49700 to the `pszMachine` endpoint 10.0.0.1:50001) and RemoteSPAttach inside
//!   it, as in the list above; an MMC client (4.7-4.10) names a user and gets no callback;
//! * every ClientRequest with the client's buffer (`lNeededSize` = its length, as the client
//!   lays its output areas out in VarData) and the server's reply, `*plUsedSize` the reply's
//!   length;
//! * every batch of events the client was given as one RemoteSPEventProc on the callback
//!   association, right after the response of the request that caused it (for the incoming
//!   call of 4.4 and 4.5, which no request causes, after the server offered the call);
//! * ClientDetach, then RemoteSPDetach, and FINs on both connections. Each exchange ends with
//!   the teardown of 4.2 (or 4.8), so every capture releases what it opened.
//!
//! The shipped request and event samples were written separately and do not agree with one
//! another on every value (InitContext 1 in Initialize but 0x1000 in the LINE_REPLY; MakeCall's
//! lpContext 0x10 but 0x3000 in its completion; the completion's hCall 0x00010002 but
//! 0x00030001 in Drop and DeallocateCall). They are included unchanged; no decoder here
//! correlates them.

use std::net::SocketAddr;

#[path = "../tests/common/exchanges.rs"]
mod exchanges;

use mstrp::capture::write::{CaptureWriter, Format};
use mstrp::handles::{HLine, HLineApp, RequestId, Version};
use mstrp::replies::{ReplyBuilder, ReturnValue};
use mstrp::requests::{FuncId, builders};
use mstrp::rpc::faults::{DefResult, ProviderReason};
use mstrp::rpc::methods::{
    ClientAttachRequestBuilder, ClientAttachResponseBuilder, ClientDetachRequestBuilder,
    ClientDetachResponseBuilder, ClientRequestRequestBuilder, ClientRequestResponseBuilder,
    RemoteSPAttachRequestBuilder, RemoteSPAttachResponseBuilder, RemoteSPDetachRequestBuilder,
    RemoteSPDetachResponseBuilder, RemoteSPEventProcRequestBuilder,
    RemoteSPEventProcResponseBuilder,
};
use mstrp::rpc::ndr::{ContextHandle, Syntax};
use mstrp::rpc::pdu::{BindAckBuilder, ContextElemBuilder, ContextResult, PduBuilder, fragment};
use mstrp::rpc::uuid::{NDR20, NDR64, REMOTESP, SyntaxId, TAPSRV, Uuid};
use mstrp::structures::{LINEADDRESSCAPS, LINEDEVCAPS, STRINGFORMAT_UNICODE};

/// The shipped request packets of section 4.1 and 4.3, in exchange order.
pub const INITIALIZE: &[u8] = include_bytes!("../samples/requests/4.1-1-initialize.bin");
/// NegotiateAPIVersionForAllDevices (130).
pub const NEGOTIATE_ALL: &[u8] =
    include_bytes!("../samples/requests/4.1-2-negotiate-api-version-for-all-devices.bin");
/// GetDevCaps (34).
pub const GET_DEV_CAPS: &[u8] = include_bytes!("../samples/requests/4.1-3-get-dev-caps.bin");
/// GetAddressCaps (21).
pub const GET_ADDRESS_CAPS: &[u8] =
    include_bytes!("../samples/requests/4.1-4-get-address-caps.bin");
/// Open (54).
pub const OPEN: &[u8] = include_bytes!("../samples/requests/4.1-5-open.bin");
/// MakeCall (48).
pub const MAKE_CALL: &[u8] = include_bytes!("../samples/requests/4.3-1-make-call.bin");
/// Drop (16).
pub const DROP: &[u8] = include_bytes!("../samples/requests/4.3-2-drop.bin");
/// DeallocateCall (12).
pub const DEALLOCATE_CALL: &[u8] = include_bytes!("../samples/requests/4.3-3-deallocate-call.bin");
/// The LINE_REPLY completing MakeCall (request 0x2A).
pub const MAKE_CALL_REPLY: &[u8] = include_bytes!("../samples/events/4.3-makecall-line-reply.bin");

/// `hLineApp` returned by Initialize (the value the request samples use).
pub const H_LINE_APP: HLineApp = HLineApp(0x0001_0001);
/// `hLine` returned by Open.
pub const H_LINE: HLine = HLine(0x0002_0001);
/// MakeCall's request ID, the one the LINE_REPLY sample completes.
pub const MAKE_CALL_REQUEST_ID: u32 = 0x2A;
/// `lProcessID` of a remote client controlling devices (3.1.4.1).
pub const L_PROCESS_ID: i32 = -1;
/// `pszMachine`: the client's name and its remotesp endpoint.
pub const PSZ_MACHINE: &str = "CLIENT\"ncacn_ip_tcp\"50001\"";
/// `phAsyncEventsEvent` of a server supporting NegotiateAPIVersionForAllDevices.
pub const ASYNC_EVENTS_EVENT: i32 = 0xA5C3_69A5_u32 as i32;

/// The tapsrv context handle ClientAttach returns.
pub const TAPSRV_CONTEXT: ContextHandle = ContextHandle {
    attributes: 0,
    uuid: Uuid::from_fields(
        0x7a95_0c41,
        0x5e2d,
        0x4b6f,
        [0x9a, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01],
    ),
};
/// The remotesp context handle RemoteSPAttach returns.
pub const REMOTESP_CONTEXT: ContextHandle = ContextHandle {
    attributes: 0,
    uuid: Uuid::from_fields(
        0x3c1f_d2e8,
        0x8b04,
        0x4e73,
        [0xa6, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02],
    ),
};

/// The client (tapsrv caller, remotesp server).
pub const CLIENT: &str = "10.0.0.1:50000";
/// The tapsrv endpoint over ncacn_ip_tcp.
pub const SERVER_TCP: &str = "10.0.0.2:4444";
/// The tapsrv server's SMB2 endpoint (ncacn_np).
pub const SERVER_SMB: &str = "10.0.0.2:445";
/// The server's end of the callback connection.
pub const CALLBACK_CLIENT: &str = "10.0.0.2:49700";
/// The client's remotesp endpoint, as `pszMachine` announces it.
pub const CALLBACK_SERVER: &str = "10.0.0.1:50001";

/// The largest request fragment in the NDR64 sample.
pub const NDR64_MAX_FRAG: u16 = 512;

fn sa(s: &str) -> SocketAddr {
    s.parse().expect("socket address")
}

// ---------------------------------------------------------------------------------------------
// Interleaving connections: the capture writer writes one conversation at a time, so each
// connection is written on its own and the frames are merged in the order of the script.

/// One thing a connection does.
#[derive(Debug, Clone)]
enum Act {
    /// The client sends bytes (TCP).
    Client(Vec<u8>),
    /// The server sends bytes (TCP).
    Server(Vec<u8>),
    /// One FSCTL_PIPE_TRANSCEIVE (SMB2); `pending` gives it an interim STATUS_PENDING response.
    Transceive {
        request: Vec<u8>,
        response: Vec<u8>,
        pending: bool,
    },
    /// FINs (and for SMB2, the CLOSE of the pipe first).
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    Tcp,
    SmbPipe,
}

#[derive(Debug)]
struct Conn {
    carrier: Carrier,
    client: SocketAddr,
    server: SocketAddr,
    acts: Vec<Act>,
}

impl Conn {
    /// The frames of the connection after its first `n` acts (an unfinished connection is
    /// abandoned, which writes nothing more).
    fn frames(&self, n: usize) -> Vec<Vec<u8>> {
        let mut w = CaptureWriter::new(Format::Pcap);
        match self.carrier {
            Carrier::Tcp => {
                let mut c = w.tcp_conversation(self.client, self.server);
                let mut closed = false;
                for act in &self.acts[..n] {
                    match act {
                        Act::Client(b) => {
                            c.client_sends(b);
                        }
                        Act::Server(b) => {
                            c.server_sends(b);
                        }
                        Act::Close => {
                            closed = true;
                            break;
                        }
                        Act::Transceive { .. } => panic!("transceive on a TCP connection"),
                    }
                }
                if closed { c.close() } else { c.abandon() }
            }
            Carrier::SmbPipe => {
                let mut c = w.smb_pipe_conversation(self.client, self.server, "tapsrv");
                let mut closed = false;
                for act in &self.acts[..n] {
                    match act {
                        Act::Transceive {
                            request,
                            response,
                            pending,
                        } => {
                            if *pending {
                                c.pending_next();
                            }
                            c.transceive(request, response);
                        }
                        Act::Close => {
                            closed = true;
                            break;
                        }
                        _ => panic!("raw bytes on an SMB2 pipe"),
                    }
                }
                if closed { c.close() } else { c.abandon() }
            }
        }
        pcap_frames(&w.finish())
    }
}

/// The frames of a little-endian microsecond pcap file as the writer writes it.
fn pcap_frames(file: &[u8]) -> Vec<Vec<u8>> {
    assert_eq!(file[..4], [0xd4, 0xc3, 0xb2, 0xa1], "little-endian pcap");
    let mut at = 24;
    let mut out = Vec::new();
    while at < file.len() {
        let len = u32::from_le_bytes(file[at + 8..at + 12].try_into().unwrap()) as usize;
        out.push(file[at + 16..at + 16 + len].to_vec());
        at += 16 + len;
    }
    out
}

/// Connections, and the order in which their frames go into the capture.
#[derive(Debug, Default)]
struct Script {
    conns: Vec<Conn>,
    /// (connection, acts done, extra frames of the next act): write the connection's frames
    /// up to that point.
    order: Vec<(usize, usize, usize)>,
}

impl Script {
    /// Opens a connection (its handshake, and for SMB2 the CREATE, are written now).
    fn open(&mut self, carrier: Carrier, client: &str, server: &str) -> usize {
        self.conns.push(Conn {
            carrier,
            client: sa(client),
            server: sa(server),
            acts: Vec::new(),
        });
        let c = self.conns.len() - 1;
        self.order.push((c, 0, 0));
        c
    }

    fn act(&mut self, c: usize, act: Act) {
        self.conns[c].acts.push(act);
        self.order.push((c, self.conns[c].acts.len(), 0));
    }

    /// Writes only the first `frames` frames of `act` now; [`Script::resume`] writes the rest.
    fn act_partly(&mut self, c: usize, act: Act, frames: usize) {
        self.conns[c].acts.push(act);
        self.order.push((c, self.conns[c].acts.len() - 1, frames));
    }

    fn resume(&mut self, c: usize) {
        self.order.push((c, self.conns[c].acts.len(), 0));
    }

    /// The capture file.
    fn render(&self, format: Format) -> Vec<u8> {
        let per_conn: Vec<(Vec<Vec<u8>>, Vec<usize>)> = self
            .conns
            .iter()
            .map(|conn| {
                let all = conn.frames(conn.acts.len());
                let counts = (0..=conn.acts.len())
                    .map(|n| {
                        let some = conn.frames(n);
                        assert_eq!(
                            some[..],
                            all[..some.len()],
                            "a prefix writes the same frames"
                        );
                        some.len()
                    })
                    .collect();
                (all, counts)
            })
            .collect();
        let mut cursor = vec![0usize; self.conns.len()];
        let mut w = CaptureWriter::new(format);
        for &(c, done, extra) in &self.order {
            let (frames, counts) = &per_conn[c];
            let target = counts[done] + extra;
            assert!(target >= cursor[c] && target <= counts[(done + 1).min(counts.len() - 1)]);
            for f in &frames[cursor[c]..target] {
                w.raw_frame(f);
            }
            cursor[c] = target;
        }
        for (c, (frames, _)) in per_conn.iter().enumerate() {
            assert_eq!(
                cursor[c],
                frames.len(),
                "every frame of connection {c} written"
            );
        }
        w.finish()
    }
}

// ---------------------------------------------------------------------------------------------
// The RPC layer.

/// What varies between the samples.
#[derive(Debug, Clone, Copy)]
struct Options {
    /// tapsrv over TCP or over the SMB2 pipe.
    carrier: Carrier,
    /// The transfer syntax of both associations.
    syntax: Syntax,
    /// The 4.3 calls after 4.1.
    make_call: bool,
    /// 4.2 at the end; otherwise the capture ends with the session open.
    terminate: bool,
    /// GetDevCaps' request in fragments of at most this size.
    fragment_get_dev_caps: Option<u16>,
}

/// One association: its connection, presentation context and call_ids.
struct Assoc {
    conn: usize,
    carrier: Carrier,
    p_cont_id: u16,
    syntax: Syntax,
    next_call_id: u32,
}

/// Where an association runs, and what its bind_ack says about it.
#[derive(Debug, Clone, Copy)]
struct Endpoint {
    carrier: Carrier,
    client: &'static str,
    server: &'static str,
    /// The bind_ack's secondary address: the port, or the pipe.
    sec_addr: &'static str,
    assoc_group: u32,
}

fn bytes(b: &PduBuilder) -> Vec<u8> {
    b.to_bytes().expect("PDU")
}

impl Assoc {
    /// Opens the connection and binds `interface`: NDR20 alone, or NDR20 (context 0, rejected)
    /// and NDR64 (context 1, accepted).
    fn bind(s: &mut Script, e: Endpoint, interface: SyntaxId, syntax: Syntax) -> Assoc {
        let Endpoint {
            carrier,
            client,
            server,
            sec_addr,
            assoc_group,
        } = e;
        let conn = s.open(carrier, client, server);
        let max_frag = match carrier {
            Carrier::Tcp => 5840,
            Carrier::SmbPipe => 4280,
        };
        let (contexts, results, p_cont_id) = match syntax {
            Syntax::Ndr20 => (
                vec![ContextElemBuilder::new(0, interface, &[NDR20])],
                vec![ContextResult::new(
                    DefResult::ACCEPTANCE,
                    ProviderReason::REASON_NOT_SPECIFIED,
                    NDR20,
                )],
                0,
            ),
            Syntax::Ndr64 => (
                vec![
                    ContextElemBuilder::new(0, interface, &[NDR20]),
                    ContextElemBuilder::new(1, interface, &[NDR64]),
                ],
                vec![
                    ContextResult::new(
                        DefResult::PROVIDER_REJECTION,
                        ProviderReason::PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED,
                        SyntaxId::new(Uuid::NIL, 0, 0),
                    ),
                    ContextResult::new(
                        DefResult::ACCEPTANCE,
                        ProviderReason::REASON_NOT_SPECIFIED,
                        NDR64,
                    ),
                ],
                1,
            ),
        };
        let a = Assoc {
            conn,
            carrier,
            p_cont_id,
            syntax,
            next_call_id: 2,
        };
        let bind = PduBuilder::bind(1, max_frag, max_frag, 0, contexts);
        let ack = PduBuilder::bind_ack(
            1,
            BindAckBuilder::new(max_frag, max_frag, assoc_group, sec_addr, &results),
        );
        a.exchange(s, vec![bytes(&bind)], bytes(&ack));
        a
    }

    /// Request PDUs one way, the response the other.
    fn exchange(&self, s: &mut Script, request: Vec<Vec<u8>>, response: Vec<u8>) {
        match self.carrier {
            Carrier::Tcp => {
                for r in request {
                    s.act(self.conn, Act::Client(r));
                }
                s.act(self.conn, Act::Server(response));
            }
            Carrier::SmbPipe => {
                assert_eq!(request.len(), 1, "one PDU per transceive");
                s.act(
                    self.conn,
                    Act::Transceive {
                        request: request.into_iter().next().unwrap(),
                        response,
                        pending: false,
                    },
                );
            }
        }
    }

    /// The request and response PDUs of the next call.
    fn pdus(
        &mut self,
        opnum: u16,
        request: Vec<u8>,
        response: Vec<u8>,
        max_frag: Option<u16>,
    ) -> (Vec<Vec<u8>>, Vec<u8>) {
        let id = self.next_call_id;
        self.next_call_id += 1;
        let req = PduBuilder::request(id, self.p_cont_id, opnum, request);
        let reqs = match max_frag {
            Some(m) => fragment(&req, m)
                .expect("fragments")
                .iter()
                .map(bytes)
                .collect(),
            None => vec![bytes(&req)],
        };
        (
            reqs,
            bytes(&PduBuilder::response(id, self.p_cont_id, response)),
        )
    }

    /// A whole call.
    fn call(&mut self, s: &mut Script, opnum: u16, request: Vec<u8>, response: Vec<u8>) {
        self.call_fragmented(s, opnum, request, response, None);
    }

    fn call_fragmented(
        &mut self,
        s: &mut Script,
        opnum: u16,
        request: Vec<u8>,
        response: Vec<u8>,
        max_frag: Option<u16>,
    ) {
        let (req, resp) = self.pdus(opnum, request, response, max_frag);
        self.exchange(s, req, resp);
    }

    /// A call whose response waits for whatever `inner` writes.
    fn call_around(
        &mut self,
        s: &mut Script,
        opnum: u16,
        request: Vec<u8>,
        response: Vec<u8>,
        inner: impl FnOnce(&mut Script),
    ) {
        let (req, resp) = self.pdus(opnum, request, response, None);
        match self.carrier {
            Carrier::Tcp => {
                for r in req {
                    s.act(self.conn, Act::Client(r));
                }
                inner(s);
                s.act(self.conn, Act::Server(resp));
            }
            Carrier::SmbPipe => {
                // IOCTL request, its ACK, the interim STATUS_PENDING response, its ACK; then
                // the final response and its ACK after `inner`.
                s.act_partly(
                    self.conn,
                    Act::Transceive {
                        request: req.into_iter().next().unwrap(),
                        response: resp,
                        pending: true,
                    },
                    4,
                );
                inner(s);
                s.resume(self.conn);
            }
        }
    }

    /// ClientRequest (opnum 1): `packet` in a buffer of its own length, `reply` back in it.
    fn client_request(
        &mut self,
        s: &mut Script,
        packet: &[u8],
        reply: &[u8],
        max_frag: Option<u16>,
    ) {
        let needed = i32::try_from(packet.len()).unwrap();
        assert!(reply.len() <= packet.len(), "the reply fits the buffer");
        let req = ClientRequestRequestBuilder::new(TAPSRV_CONTEXT, packet).encode(self.syntax);
        let resp = ClientRequestResponseBuilder::new(reply, needed).encode(self.syntax);
        self.call_fragmented(s, 1, req, resp, max_frag);
    }

    fn close(&self, s: &mut Script) {
        s.act(self.conn, Act::Close);
    }
}

// ---------------------------------------------------------------------------------------------
// The TAPI layer: the replies.

/// The fifteen DWORDs of a request packet (the server answers in the same buffer).
fn dwords(packet: &[u8]) -> [u32; 15] {
    let mut d = [0u32; 15];
    for (i, v) in d.iter_mut().enumerate() {
        *v = u32::from_le_bytes(packet[4 * i..4 * i + 4].try_into().unwrap());
    }
    d
}

fn reply(func: FuncId, request: &[u8]) -> ReplyBuilder {
    assert_eq!(dwords(request)[0], func as u32, "{func:?}");
    ReplyBuilder::from_request_dwords(func, dwords(request)).return_value(ReturnValue::Success)
}

/// Initialize: hLineApp and the number of line devices.
fn initialize_reply() -> Vec<u8> {
    reply(FuncId::LineInitialize, INITIALIZE)
        .set("hLineApp", H_LINE_APP.0)
        .set("dwNumDevs", 2)
        .to_bytes()
        .to_vec()
}

/// NegotiateAPIVersionForAllDevices: TAPI 3.1 for both lines, no extensions.
fn negotiate_all_reply() -> Vec<u8> {
    let versions: Vec<u8> = [Version::TAPI_3_1.0; 2]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    reply(FuncId::NegotiateAPIVersionForAllDevices, NEGOTIATE_ALL)
        .output("dwLineAPIVersionListOffset", Some(&versions))
        .output("dwLineExtensionIDListOffset", Some(&[0u8; 32]))
        .to_bytes()
        .to_vec()
}

/// GetDevCaps: a LINEDEVCAPS (2.2.6.23) of a one-address voice line.
fn get_dev_caps_reply() -> Vec<u8> {
    let caps = LINEDEVCAPS::builder()
        .dw_string_format(STRINGFORMAT_UNICODE)
        .provider_info("Sample Service Provider")
        .line_name("Line 1")
        .dw_permanent_line_id(0x0001_0000)
        .dw_address_modes(0x0000_0001) // LINEADDRESSMODE_ADDRESSID
        .dw_num_addresses(1)
        .dw_bearer_modes(0x0000_0001) // LINEBEARERMODE_VOICE
        .dw_media_modes(0x0000_0004) // LINEMEDIAMODE_INTERACTIVEVOICE
        .dw_max_num_active_calls(1)
        .dw_line_features(0x0000_0008) // LINEFEATURE_MAKECALL
        .to_vec();
    reply(FuncId::LineGetDevCaps, GET_DEV_CAPS)
        .output("lpLineDevCaps", Some(&caps))
        .to_bytes()
        .to_vec()
}

/// GetAddressCaps: a LINEADDRESSCAPS (2.2.6.6) of address 0.
fn get_address_caps_reply() -> Vec<u8> {
    let caps = LINEADDRESSCAPS::builder()
        .dw_line_device_id(0)
        .address("201")
        .dw_address_sharing(0x0000_0001) // LINEADDRESSSHARING_PRIVATE
        .dw_call_states(0x0000_0001 | 0x0000_0100) // LINECALLSTATE_IDLE | CONNECTED
        .dw_max_num_active_calls(1)
        .dw_call_features(0x0000_0080) // LINECALLFEATURE_DROP
        .dw_address_features(0x0000_0002) // LINEADDRFEATURE_MAKECALL
        .to_vec();
    reply(FuncId::LineGetAddressCaps, GET_ADDRESS_CAPS)
        .output("lpAddressCaps", Some(&caps))
        .to_bytes()
        .to_vec()
}

/// Open: the line handle.
fn open_reply() -> Vec<u8> {
    reply(FuncId::LineOpen, OPEN)
        .set("hLine", H_LINE.0)
        .to_bytes()
        .to_vec()
}

/// Close (2.2.4.1.2.1) of the opened line.
pub fn close_request() -> Vec<u8> {
    builders::LineClose::new()
        .h_line(H_LINE)
        .to_bytes()
        .to_vec()
}

/// ShutDown (2.2.4.1.2.2) of the line application.
pub fn shutdown_request() -> Vec<u8> {
    builders::LineShutDown::new()
        .h_line_app(H_LINE_APP)
        .to_bytes()
        .to_vec()
}

fn success(func: FuncId, request: &[u8]) -> Vec<u8> {
    reply(func, request).to_bytes().to_vec()
}

// ---------------------------------------------------------------------------------------------
// The exchanges.

fn session(o: Options) -> Vec<u8> {
    let mut s = Script::default();
    let syntax = o.syntax;
    let (server, sec_addr) = match o.carrier {
        Carrier::Tcp => (SERVER_TCP, "4444"),
        Carrier::SmbPipe => (SERVER_SMB, "\\PIPE\\tapsrv"),
    };
    let endpoint = Endpoint {
        carrier: o.carrier,
        client: CLIENT,
        server,
        sec_addr,
        assoc_group: 0x0000_53f0,
    };
    let mut tapsrv = Assoc::bind(&mut s, endpoint, TAPSRV, syntax);

    // ClientAttach, and inside it the server's remotesp association and RemoteSPAttach.
    let attach = ClientAttachRequestBuilder::new(L_PROCESS_ID, "", PSZ_MACHINE).encode(syntax);
    let attached = ClientAttachResponseBuilder {
        pph_context: TAPSRV_CONTEXT,
        ph_async_events_event: ASYNC_EVENTS_EVENT,
        return_value: 0,
    }
    .encode(syntax);
    let mut remotesp = None;
    tapsrv.call_around(&mut s, 0, attach, attached, |s| {
        let callback = Endpoint {
            carrier: Carrier::Tcp,
            client: CALLBACK_CLIENT,
            server: CALLBACK_SERVER,
            sec_addr: "50001",
            assoc_group: 0x0000_7a21,
        };
        let mut r = Assoc::bind(s, callback, REMOTESP, syntax);
        let resp = RemoteSPAttachResponseBuilder {
            pph_context: REMOTESP_CONTEXT,
            return_value: 0,
        }
        .encode(syntax);
        r.call(s, 0, RemoteSPAttachRequestBuilder {}.encode(syntax), resp);
        remotesp = Some(r);
    });
    let mut remotesp = remotesp.expect("remotesp association");

    // 4.1.
    tapsrv.client_request(&mut s, INITIALIZE, &initialize_reply(), None);
    tapsrv.client_request(&mut s, NEGOTIATE_ALL, &negotiate_all_reply(), None);
    tapsrv.client_request(
        &mut s,
        GET_DEV_CAPS,
        &get_dev_caps_reply(),
        o.fragment_get_dev_caps,
    );
    tapsrv.client_request(&mut s, GET_ADDRESS_CAPS, &get_address_caps_reply(), None);
    tapsrv.client_request(&mut s, OPEN, &open_reply(), None);

    // 4.3.
    if o.make_call {
        let id = reply(FuncId::LineMakeCall, MAKE_CALL)
            .return_value(ReturnValue::RequestId(RequestId(MAKE_CALL_REQUEST_ID)))
            .to_bytes()
            .to_vec();
        tapsrv.client_request(&mut s, MAKE_CALL, &id, None);
        let events =
            RemoteSPEventProcRequestBuilder::new(REMOTESP_CONTEXT, MAKE_CALL_REPLY).encode(syntax);
        remotesp.call(
            &mut s,
            1,
            events,
            RemoteSPEventProcResponseBuilder {}.encode(syntax),
        );
        tapsrv.client_request(&mut s, DROP, &success(FuncId::LineDrop, DROP), None);
        tapsrv.client_request(
            &mut s,
            DEALLOCATE_CALL,
            &success(FuncId::LineDeallocateCall, DEALLOCATE_CALL),
            None,
        );
    }

    // 4.2.
    if o.terminate {
        let close = close_request();
        tapsrv.client_request(&mut s, &close, &success(FuncId::LineClose, &close), None);
        let shutdown = shutdown_request();
        tapsrv.client_request(
            &mut s,
            &shutdown,
            &success(FuncId::LineShutDown, &shutdown),
            None,
        );
        tapsrv.call(
            &mut s,
            2,
            ClientDetachRequestBuilder {
                pph_context: TAPSRV_CONTEXT,
            }
            .encode(syntax),
            ClientDetachResponseBuilder {
                pph_context: ContextHandle::NIL,
            }
            .encode(syntax),
        );
        remotesp.call(
            &mut s,
            2,
            RemoteSPDetachRequestBuilder {
                pph_context: REMOTESP_CONTEXT,
            }
            .encode(syntax),
            RemoteSPDetachResponseBuilder {
                pph_context: ContextHandle::NIL,
            }
            .encode(syntax),
        );
        remotesp.close(&mut s);
        tapsrv.close(&mut s);
    }
    s.render(Format::PcapNg)
}

/// One exchange of section 4 as its script recorded it (`tests/common/exchanges.rs`): the
/// same connections, binds and context handles as [`session`], over ncacn_ip_tcp in NDR20.
fn exchange_capture(steps: &[exchanges::Step]) -> Vec<u8> {
    use exchanges::Step;
    let syntax = Syntax::Ndr20;
    let mut s = Script::default();
    let endpoint = Endpoint {
        carrier: Carrier::Tcp,
        client: CLIENT,
        server: SERVER_TCP,
        sec_addr: "4444",
        assoc_group: 0x0000_53f0,
    };
    let mut tapsrv = Assoc::bind(&mut s, endpoint, TAPSRV, syntax);
    let mut remotesp: Option<Assoc> = None;
    for step in steps {
        match step {
            Step::Attach {
                l_process_id,
                domain_user,
                machine,
                return_value,
                async_events_event,
            } => {
                assert!(
                    !domain_user.is_empty() || machine.ends_with("\"50001\""),
                    "a push-model client's remotesp endpoint is {CALLBACK_SERVER}"
                );
                let attach = ClientAttachRequestBuilder::new(*l_process_id, domain_user, machine)
                    .encode(syntax);
                let attached = ClientAttachResponseBuilder {
                    pph_context: TAPSRV_CONTEXT,
                    ph_async_events_event: *async_events_event,
                    return_value: *return_value,
                }
                .encode(syntax);
                let push = domain_user.is_empty();
                tapsrv.call_around(&mut s, 0, attach, attached, |s| {
                    if !push {
                        return;
                    }
                    let callback = Endpoint {
                        carrier: Carrier::Tcp,
                        client: CALLBACK_CLIENT,
                        server: CALLBACK_SERVER,
                        sec_addr: "50001",
                        assoc_group: 0x0000_7a21,
                    };
                    let mut r = Assoc::bind(s, callback, REMOTESP, syntax);
                    let resp = RemoteSPAttachResponseBuilder {
                        pph_context: REMOTESP_CONTEXT,
                        return_value: 0,
                    }
                    .encode(syntax);
                    r.call(s, 0, RemoteSPAttachRequestBuilder {}.encode(syntax), resp);
                    remotesp = Some(r);
                });
            }
            Step::Request {
                request,
                needed,
                reply,
            } => {
                let needed = i32::try_from(*needed).expect("lNeededSize");
                assert!(reply.len() <= needed as usize, "the reply fits lNeededSize");
                let req = ClientRequestRequestBuilder {
                    l_needed_size: (needed as usize != request.len()).then_some(needed),
                    ..ClientRequestRequestBuilder::new(TAPSRV_CONTEXT, request)
                }
                .encode(syntax);
                let resp = ClientRequestResponseBuilder::new(reply, needed).encode(syntax);
                tapsrv.call(&mut s, 1, req, resp);
            }
            Step::Events(events) => {
                let r = remotesp
                    .as_mut()
                    .expect("events only reach a push-model client");
                let call =
                    RemoteSPEventProcRequestBuilder::new(REMOTESP_CONTEXT, events).encode(syntax);
                r.call(
                    &mut s,
                    1,
                    call,
                    RemoteSPEventProcResponseBuilder {}.encode(syntax),
                );
            }
            Step::Detach(return_value) => {
                assert_eq!(*return_value, 0);
                tapsrv.call(
                    &mut s,
                    2,
                    ClientDetachRequestBuilder {
                        pph_context: TAPSRV_CONTEXT,
                    }
                    .encode(syntax),
                    ClientDetachResponseBuilder {
                        pph_context: ContextHandle::NIL,
                    }
                    .encode(syntax),
                );
                if let Some(r) = remotesp.as_mut() {
                    r.call(
                        &mut s,
                        2,
                        RemoteSPDetachRequestBuilder {
                            pph_context: REMOTESP_CONTEXT,
                        }
                        .encode(syntax),
                        RemoteSPDetachResponseBuilder {
                            pph_context: ContextHandle::NIL,
                        }
                        .encode(syntax),
                    );
                    r.close(&mut s);
                }
                tapsrv.close(&mut s);
            }
        }
    }
    s.render(Format::PcapNg)
}

/// The captures of the twelve exchanges: `4.N-<short name>.pcapng` and bytes.
pub fn exchange_samples() -> Vec<(String, Vec<u8>)> {
    exchanges::EXCHANGES
        .iter()
        .map(|(section, name, script)| {
            let x = script();
            (
                format!("{section}-{name}.pcapng"),
                exchange_capture(&x.steps),
            )
        })
        .collect()
}

/// The sample captures: file name and bytes.
pub fn samples() -> Vec<(String, Vec<u8>)> {
    let base = Options {
        carrier: Carrier::Tcp,
        syntax: Syntax::Ndr20,
        make_call: false,
        terminate: true,
        fragment_get_dev_caps: None,
    };
    let sessions = vec![
        ("4.1-4.2-tcp.pcapng", session(base)),
        (
            "4.3-tcp.pcapng",
            session(Options {
                make_call: true,
                ..base
            }),
        ),
        (
            "4.1-smb2.pcapng",
            session(Options {
                carrier: Carrier::SmbPipe,
                terminate: false,
                ..base
            }),
        ),
        (
            "4.1-4.2-ndr64-tcp.pcapng",
            session(Options {
                syntax: Syntax::Ndr64,
                fragment_get_dev_caps: Some(NDR64_MAX_FRAG),
                ..base
            }),
        ),
    ];
    sessions
        .into_iter()
        .map(|(name, bytes)| (name.to_string(), bytes))
        .chain(exchange_samples())
        .collect()
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/captures");
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in samples() {
        std::fs::write(dir.join(&name), &bytes)?;
        println!("samples/captures/{name}: {} bytes", bytes.len());
    }
    Ok(())
}
