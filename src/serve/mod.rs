//! A DCE/RPC server for the tapsrv interface over TCP (`ncacn_ip_tcp`, [MS-TRP] 2.1, 5.1),
//! generic over the [`Service`] that answers the TAPI32_MSGs (feature `serve`).
//!
//! The server speaks the connection-oriented protocol of \[C706\] 12 and [MS-RPCE] 2.2.2 with
//! the PDUs, reassembler and stubs of [`crate::rpc`]:
//!
//! * **bind / alter_context** (C706 12.6.4.1-4): each presentation context proposing tapsrv
//!   1.0 is accepted with the first of its transfer syntaxes that is NDR20 or NDR64
//!   ([MS-TRP] 2.2); any other transfer syntax is rejected with
//!   `proposed_transfer_syntaxes_not_supported`, any other interface with
//!   `abstract_syntax_not_supported`, a bind time feature negotiation element ([MS-RPCE]
//!   2.2.2.14) gets `negotiate_ack` with no feature. A bind that cannot be read, carries
//!   authentication, proposes no context, or arrives on a bound association gets a bind_nak,
//!   and the connection is closed.
//! * **requests** (C706 12.6.4.9): fragments are reassembled up to
//!   [`ServerOptions::max_request_stub`]; ClientAttach, ClientRequest and ClientDetach
//!   ([MS-TRP] 3.1.4.1-3) are decoded with [`crate::rpc::methods`] and handed to the
//!   [`Service`] of the context handle; replies larger than the negotiated fragment size are
//!   fragmented.
//! * **faults** (C706 appendix E, all with `PFC_DID_NOT_EXECUTE`): `nca_s_unk_if` for a
//!   `p_cont_id` no bind accepted, `nca_s_op_rng_error` for an opnum above 2, the
//!   [`NdrError::fault_status`](crate::rpc::ndr::NdrError::fault_status) of a stub that fails
//!   the strict checks (0x6F7 `nca_s_fault_ndr`), `nca_s_fault_context_mismatch` for a
//!   context handle this connection did not issue (spec-notes/serve.md, contradiction 6),
//!   `nca_s_proto_error` for a request that cannot be read or reassembled, and
//!   `rpc_s_access_denied` for an authenticated request (no security provider here).
//! * **push model** ([MS-TRP] 3.1.4.1, 3.3.4): when [`Service::attach`] names a remotesp
//!   endpoint ([`Attached::push_to`], the `pszMachine` format), the server connects to it
//!   (loopback only, unless [`ServerOptions::allow_callback`] lists the host), binds
//!   remotesp, calls RemoteSPAttach inside the pending ClientAttach, delivers
//!   [`Service::take_events`] with RemoteSPEventProc after the attach and after every
//!   ClientRequest, and calls RemoteSPDetach at ClientDetach.
//!
//! One thread per connection, at most [`ServerOptions::max_connections`] at once; memory per
//! connection is bounded by the fragment size, the reassembly bound, the reply bound and the
//! numbers of contexts and attachments. No input makes it panic: a PDU it cannot frame closes
//! that connection only. When a connection ends, every [`Service`] it attached is detached and
//! dropped (the context handle rundown of [MS-RPCE] 3.3.3.2.3) — nothing carries over.
//!
//! ```no_run
//! use std::net::TcpListener;
//! use mstrp::serve::{Attached, ServerOptions, Service, serve};
//!
//! struct Refuse;
//! impl Service for Refuse {
//!     fn attach(&mut self, _pid: i32, _user: &str, _machine: &str) -> Attached {
//!         Attached { return_value: 0, async_events_event: 0, push_to: None }
//!     }
//!     fn request(&mut self, _buffer: &[u8], _capacity: u32) -> Vec<u8> {
//!         // A 60-byte TAPI32_MSG whose Ack_ReturnValue is LINEERR_OPERATIONFAILED.
//!         let mut reply = vec![0; 60];
//!         reply[..4].copy_from_slice(&0x8000_0048u32.to_le_bytes());
//!         reply
//!     }
//!     fn detach(&mut self) -> i32 { 0 }
//!     fn take_events(&mut self, _max: usize) -> Vec<u8> { Vec::new() }
//!     fn has_events(&self) -> bool { false }
//! }
//!
//! let listener = TcpListener::bind("127.0.0.1:0")?;
//! serve(listener, || Refuse, ServerOptions::default())?;
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

mod callback;
mod connection;
mod session;

pub use callback::{CallbackError, Endpoint, callback_allowed, parse_machine};

/// `*phAsyncEventsEvent` of a ClientAttach with `lProcessID` −1 from a server that supports
/// NegotiateAPIVersionForAllDevices ([MS-TRP] 3.1.4.1).
pub const ASYNC_EVENTS_ALL_DEVICES: u32 = 0xA5C3_69A5;

/// `LINEERR_OPERATIONFAILED` (0x80000048), what ClientAttach returns when the server cannot
/// reach the client's remotesp endpoint ([MS-TRP] 3.1.4.1, spec-notes/serve.md).
pub const LINEERR_OPERATIONFAILED: i32 = 0x8000_0048_u32 as i32;

/// The telephony side of one binding instance: one value per successful ClientAttach, owned
/// by the connection that attached it and dropped when it detaches or disconnects.
///
/// The server does the RPC; the service does TAPI. It decides what ClientAttach returns,
/// answers each ClientRequest's TAPI32_MSG, and queues the ASYNCEVENTMSGs the server delivers
/// by the push model. Methods are called from the connection's thread, one at a time.
pub trait Service: Send + 'static {
    /// ClientAttach ([MS-TRP] 3.1.4.1): `lProcessID`, `pszDomainUser`, `pszMachine` as the
    /// client sent them. A non-zero [`Attached::return_value`] fails the attach (the client
    /// gets a nil context handle and the service is dropped).
    fn attach(&mut self, process_id: i32, domain_user: &str, machine: &str) -> Attached;

    /// ClientRequest ([MS-TRP] 3.1.4.2): `buffer` is the `*plUsedSize` bytes of `pBuffer` (a
    /// TAPI32_MSG), `capacity` its `lNeededSize` (bounded by
    /// [`ServerOptions::max_reply_bytes`]). Returns the reply `pBuffer`, at most `capacity`
    /// bytes, whose length becomes `*plUsedSize`.
    fn request(&mut self, buffer: &[u8], capacity: u32) -> Vec<u8>;

    /// ClientDetach ([MS-TRP] 3.1.4.3), or the rundown of a connection that ended without
    /// one. The method returns `void` on the wire; the value is logged.
    fn detach(&mut self) -> i32;

    /// Up to `max_bytes` of whole ASYNCEVENTMSGs ([MS-TRP] 2.2.5.1) for one RemoteSPEventProc
    /// ([MS-TRP] 3.3.4.2), removed from the queue; empty when none is queued.
    fn take_events(&mut self, max_bytes: usize) -> Vec<u8>;

    /// True when events wait for delivery.
    fn has_events(&self) -> bool;
}

impl<S: Service + ?Sized> Service for Box<S> {
    fn attach(&mut self, process_id: i32, domain_user: &str, machine: &str) -> Attached {
        (**self).attach(process_id, domain_user, machine)
    }
    fn request(&mut self, buffer: &[u8], capacity: u32) -> Vec<u8> {
        (**self).request(buffer, capacity)
    }
    fn detach(&mut self) -> i32 {
        (**self).detach()
    }
    fn take_events(&mut self, max_bytes: usize) -> Vec<u8> {
        (**self).take_events(max_bytes)
    }
    fn has_events(&self) -> bool {
        (**self).has_events()
    }
}

/// What [`Service::attach`] decided.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attached {
    /// ClientAttach's return value: 0 on success, else an error code ([MS-TRP] 3.1.4.1;
    /// LINEERR_OPERATIONFAILED, −19 for an MMC client without administrator rights).
    pub return_value: i32,
    /// `*phAsyncEventsEvent` ([`ASYNC_EVENTS_ALL_DEVICES`] for `lProcessID` −1; 0x32323232 or
    /// 0x64646464 for −3).
    pub async_events_event: u32,
    /// For the push model: the client's `pszMachine`
    /// (`NAME"ncacn_ip_tcp"PORT"…`, [MS-TRP] 3.1.4.1), whose `ncacn_ip_tcp` endpoint the
    /// server calls back. `None` for the pull model or an MMC client.
    pub push_to: Option<String>,
}

/// Limits and switches of [`serve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerOptions {
    /// The address [`run`] listens on (`serve` is given its listener).
    pub listen: SocketAddr,
    /// Connections served at once; more are accepted and closed at once.
    pub max_connections: usize,
    /// The largest fragment the server sends or accepts (bind negotiates the smaller of this
    /// and the client's, but never below the 1432 bytes every peer must accept, C706
    /// 12.6.3.1 `MustRecvFragSize`).
    pub max_frag: u16,
    /// The bound on one reassembled request stub (the reassembler's limit).
    pub max_request_stub: usize,
    /// The bound on the `capacity` handed to [`Service::request`] (`lNeededSize` above it is
    /// still echoed as the max count).
    pub max_reply_bytes: u32,
    /// Presentation contexts one connection may have; more are rejected with
    /// `local_limit_exceeded`.
    pub max_contexts: usize,
    /// Binding instances (context handles) one connection may hold; one more ClientAttach
    /// gets the fault `nca_s_server_too_busy`.
    pub max_attachments: usize,
    /// The most bytes of events in one RemoteSPEventProc.
    pub max_event_bytes: usize,
    /// Hosts (names or addresses, compared case-insensitively) the server may call back
    /// besides the loopback addresses.
    pub allow_callback: Vec<String>,
    /// Log each connection and call on standard error.
    pub verbose: bool,
    /// A connection silent for this long is closed (`None`: never).
    pub idle_timeout: Option<Duration>,
    /// Connect, send and receive timeout of the remotesp callback (the 5 s call timeout of
    /// [MS-TRP] 3.2.2).
    pub callback_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            max_connections: 256,
            max_frag: 5840,
            max_request_stub: 1 << 20,
            max_reply_bytes: 1 << 20,
            max_contexts: 16,
            max_attachments: 16,
            max_event_bytes: 64 * 1024,
            allow_callback: Vec::new(),
            verbose: false,
            idle_timeout: Some(Duration::from_secs(120)),
            callback_timeout: Duration::from_secs(5),
        }
    }
}

/// Counts a live connection until dropped.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Serves tapsrv on `listener` until accepting fails for good: one thread per connection,
/// `factory` called once per ClientAttach. Returns only with the listener's error.
pub fn serve<F, S>(listener: TcpListener, factory: F, options: ServerOptions) -> io::Result<()>
where
    F: Fn() -> S + Send + Sync + 'static,
    S: Service,
{
    let factory = Arc::new(factory);
    let options = Arc::new(options);
    let active = Arc::new(AtomicUsize::new(0));
    let mut failures = 0u32;
    loop {
        let (stream, peer) = match listener.accept() {
            Ok(v) => {
                failures = 0;
                v
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                // Out of descriptors or a reset before accept: wait, then try again; give up
                // only when the listener itself is broken.
                failures = failures.saturating_add(1);
                if failures > 1000 {
                    return Err(e);
                }
                if options.verbose {
                    eprintln!("trp serve: accept: {e}");
                }
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        if active.fetch_add(1, Ordering::AcqRel) >= options.max_connections {
            active.fetch_sub(1, Ordering::AcqRel);
            if options.verbose {
                eprintln!(
                    "trp serve: {peer}: refused, {} connections already",
                    options.max_connections
                );
            }
            drop(stream);
            continue;
        }
        let slot = Slot(Arc::clone(&active));
        let factory = Arc::clone(&factory);
        let opts = Arc::clone(&options);
        let spawned = std::thread::Builder::new()
            .name(format!("trp-serve {peer}"))
            .spawn(move || {
                let _slot = slot;
                connection::Connection::new(stream, peer, factory, opts).run();
            });
        if let Err(e) = spawned {
            if options.verbose {
                eprintln!("trp serve: {peer}: no thread: {e}");
            }
        }
    }
}

/// Binds [`ServerOptions::listen`], prints `listening on ADDR` as the first line of standard
/// output (flushed), then [`serve`]s.
pub fn run<F, S>(options: ServerOptions, factory: F) -> io::Result<()>
where
    F: Fn() -> S + Send + Sync + 'static,
    S: Service,
{
    let listener = TcpListener::bind(options.listen)?;
    let addr = listener.local_addr()?;
    {
        let mut out = io::stdout().lock();
        writeln!(out, "listening on {addr}")?;
        out.flush()?;
    }
    serve(listener, factory, options)
}
