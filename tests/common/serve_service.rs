//! A scripted `mstrp::serve::Service` for the server tests (a test double, not a TAPI
//! server), the server started on a loopback port, and a wire client.
//!
//! The service answers every ClientRequest with the request's own `pBuffer` whose first
//! DWORD (Req_Func, in a reply Ack_ReturnValue, [MS-TRP] 2.2.5.2) is set to 0, cut to the
//! capacity, so that a reply can be predicted from the request alone; it queues the script's
//! events after every request, and counts the instances alive.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mstrp::rpc::methods::{
    ClientAttachRequestBuilder, ClientAttachResponse, ClientDetachRequestBuilder,
    ClientRequestRequestBuilder,
};
use mstrp::rpc::ndr::{ContextHandle, Syntax};
use mstrp::rpc::pdu::{ContextElemBuilder, PduBuilder};
use mstrp::rpc::uuid::TAPSRV;
use mstrp::serve::{Attached, ServerOptions, Service, serve};

/// What the scripted services do.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// ClientAttach's return value and `*phAsyncEventsEvent`.
    pub return_value: i32,
    /// `*phAsyncEventsEvent`.
    pub async_events_event: u32,
    /// Push model: an empty `pszDomainUser` makes `pszMachine` the callback target.
    pub push: bool,
    /// Bytes of ASYNCEVENTMSGs queued after every ClientRequest (40-byte events).
    pub events_per_request: Vec<u8>,
}

/// What the services of one server saw.
#[derive(Debug, Default)]
pub struct Shared {
    /// Services alive.
    pub live: AtomicUsize,
    /// Services created.
    pub created: AtomicUsize,
    /// One line per call.
    pub log: Mutex<Vec<String>>,
}

impl Shared {
    pub fn lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

pub struct ScriptedService {
    shared: Arc<Shared>,
    script: Arc<Script>,
    queue: Vec<u8>,
}

impl ScriptedService {
    pub fn new(shared: Arc<Shared>, script: Arc<Script>) -> Self {
        shared.live.fetch_add(1, Ordering::SeqCst);
        shared.created.fetch_add(1, Ordering::SeqCst);
        ScriptedService {
            shared,
            script,
            queue: Vec::new(),
        }
    }

    fn note(&self, line: String) {
        self.shared.log.lock().unwrap().push(line);
    }
}

impl Drop for ScriptedService {
    fn drop(&mut self) {
        self.shared.live.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Service for ScriptedService {
    fn attach(&mut self, process_id: i32, domain_user: &str, machine: &str) -> Attached {
        self.note(format!("attach {process_id} {domain_user:?} {machine:?}"));
        Attached {
            return_value: self.script.return_value,
            async_events_event: self.script.async_events_event,
            push_to: (self.script.push && domain_user.is_empty()).then(|| machine.to_owned()),
        }
    }

    fn request(&mut self, buffer: &[u8], capacity: u32) -> Vec<u8> {
        self.note(format!(
            "request {} bytes, capacity {capacity}",
            buffer.len()
        ));
        let mut reply = buffer[..buffer.len().min(capacity as usize)].to_vec();
        for b in reply.iter_mut().take(4) {
            *b = 0;
        }
        self.queue
            .extend_from_slice(&self.script.events_per_request);
        reply
    }

    fn detach(&mut self) -> i32 {
        self.note("detach".into());
        0
    }

    fn take_events(&mut self, max_bytes: usize) -> Vec<u8> {
        let n = self.queue.len().min(max_bytes / 40 * 40);
        self.queue.drain(..n).collect()
    }

    fn has_events(&self) -> bool {
        !self.queue.is_empty()
    }
}

/// Starts a server on a free loopback port with scripted services.
pub fn start(script: Script, options: ServerOptions) -> (SocketAddr, Arc<Shared>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let shared = Arc::new(Shared::default());
    let for_factory = Arc::clone(&shared);
    let script = Arc::new(script);
    std::thread::spawn(move || {
        let _ = serve(
            listener,
            move || ScriptedService::new(Arc::clone(&for_factory), Arc::clone(&script)),
            options,
        );
    });
    (addr, shared)
}

/// Waits (up to a minute) until `cond` holds; false if it never does.
pub fn eventually(mut cond: impl FnMut() -> bool) -> bool {
    for _ in 0..6000 {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

/// How the server answered a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The response stub (fragments joined), and the number of fragments.
    Response(Vec<u8>, usize),
    /// A fault's status and `pfc_flags`.
    Fault(u32, u8),
}

impl Answer {
    pub fn stub(self) -> Vec<u8> {
        match self {
            Answer::Response(s, _) => s,
            Answer::Fault(st, _) => panic!("fault {st:#x} instead of a response"),
        }
    }
}

/// A DCE/RPC client over one TCP connection, reading the server's PDUs by hand (header
/// fields at the offsets of C706 12.6.3.1).
pub struct WireClient {
    pub stream: TcpStream,
    pub syntax: Syntax,
    next_call: u32,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

impl WireClient {
    pub fn connect(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        WireClient {
            stream,
            syntax: Syntax::Ndr20,
            next_call: 2,
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
    }

    /// The next PDU, or `None` once the server closed the connection.
    pub fn recv(&mut self) -> Option<Vec<u8>> {
        let mut h = [0u8; 16];
        if self.stream.read_exact(&mut h).is_err() {
            return None;
        }
        let len = usize::from(u16_at(&h, 8));
        let mut pdu = h.to_vec();
        pdu.resize(len, 0);
        self.stream.read_exact(&mut pdu[16..]).ok()?;
        Some(pdu)
    }

    /// True when the server has closed the connection (reads end of stream).
    pub fn closed(&mut self) -> bool {
        let mut b = [0u8; 1];
        matches!(self.stream.read(&mut b), Ok(0) | Err(_))
    }

    /// Binds tapsrv (context 0) with one transfer syntax; returns the bind_ack.
    pub fn bind(&mut self, syntax: Syntax) -> Vec<u8> {
        self.syntax = syntax;
        let ctx = ContextElemBuilder::new(0, TAPSRV, &[syntax.syntax_id()]);
        let bind = PduBuilder::bind(1, 4280, 4280, 0, vec![ctx])
            .to_bytes()
            .unwrap();
        self.send(&bind);
        let ack = self.recv().expect("bind_ack");
        assert_eq!(ack[2], 12, "PTYPE of the answer to bind");
        ack
    }

    /// Sends the PDUs of a call and reads its answer (joining response fragments).
    pub fn call_raw(&mut self, pdus: &[Vec<u8>]) -> Answer {
        for p in pdus {
            self.send(p);
        }
        self.read_answer()
    }

    pub fn read_answer(&mut self) -> Answer {
        let mut stub = Vec::new();
        let mut n = 0;
        loop {
            let pdu = self.recv().expect("an answer");
            match pdu[2] {
                3 => return Answer::Fault(u32_at(&pdu, 24), pdu[3]),
                2 => {
                    n += 1;
                    stub.extend_from_slice(&pdu[24..]);
                    if pdu[3] & 0x02 != 0 {
                        return Answer::Response(stub, n);
                    }
                }
                t => panic!("PTYPE {t} in answer to a request"),
            }
        }
    }

    pub fn call(&mut self, opnum: u16, stub: Vec<u8>) -> Answer {
        let call_id = self.next_call;
        self.next_call += 1;
        let pdu = PduBuilder::request(call_id, 0, opnum, stub)
            .to_bytes()
            .unwrap();
        self.call_raw(&[pdu])
    }

    /// ClientAttach; the decoded response fields.
    pub fn attach(&mut self, pid: i32, user: &str, machine: &str) -> (ContextHandle, i32, i32) {
        let stub = ClientAttachRequestBuilder::new(pid, user, machine).encode(self.syntax);
        let resp = self.call(0, stub).stub();
        let r = ClientAttachResponse::decode(self.syntax, &resp).unwrap();
        (r.pph_context(), r.ph_async_events_event(), r.return_value())
    }

    pub fn request(&mut self, h: ContextHandle, buffer: &[u8], needed: i32) -> Answer {
        let b = ClientRequestRequestBuilder {
            l_needed_size: Some(needed),
            ..ClientRequestRequestBuilder::new(h, buffer)
        };
        self.call(1, b.encode(self.syntax))
    }

    pub fn detach(&mut self, h: ContextHandle) -> Answer {
        let stub = ClientDetachRequestBuilder { pph_context: h }.encode(self.syntax);
        self.call(2, stub)
    }
}

/// A 60-byte TAPI32_MSG: Req_Func `func`, then `fill` repeated.
pub fn msg(func: u32, fill: u8) -> Vec<u8> {
    let mut m = func.to_le_bytes().to_vec();
    m.resize(60, fill);
    m
}
