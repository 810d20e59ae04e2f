//! The push model's reverse connection ([MS-TRP] 3.1.4.1, 3.3.4): the server, acting as a
//! DCE/RPC client, binds to the remotesp interface at the endpoint the client named in
//! `pszMachine` and calls RemoteSPAttach, RemoteSPEventProc and RemoteSPDetach.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};

use super::ServerOptions;
use super::connection::{MUST_RECV_FRAG_SIZE, read_frame};
use crate::rpc::faults::{DefResult, FaultStatus};
use crate::rpc::fragments::Reassembler;
use crate::rpc::methods::{
    Method, RemoteSPAttachResponse, RemoteSPDetachRequestBuilder, RemoteSPDetachResponse,
    RemoteSPEventProcRequestBuilder, RemoteSPEventProcResponse,
};
use crate::rpc::ndr::{ContextHandle, NdrError, Syntax};
use crate::rpc::pdu::{BuildError, ContextElemBuilder, Pdu, PduBody, PduBuilder, fragment};
use crate::rpc::uuid::REMOTESP;

/// The `ncacn_ip_tcp` endpoint of a client's remotesp interface, from `pszMachine`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `<clientComputerName>`: a host name or an address.
    pub host: String,
    /// The TCP port (`<endpoint>` of the `ncacn_ip_tcp` protocol sequence).
    pub port: u16,
}

/// Why the server could not call the client back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// `pszMachine` is not `NAME"protseq"endpoint"…` with an `ncacn_ip_tcp` endpoint.
    #[error("pszMachine {machine:?}: {reason}")]
    BadMachine {
        /// The string.
        machine: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The host is neither a loopback address nor listed in `--allow-callback`.
    #[error("callback to {0:?} refused: not a loopback address and not allowed")]
    NotAllowed(String),
    /// Connecting, sending or receiving failed.
    #[error("remotesp at {addr}: {source}")]
    Io {
        /// The endpoint.
        addr: String,
        /// The error.
        source: std::io::Error,
    },
    /// The peer answered something other than the expected PDU or stub.
    #[error("remotesp at {addr}: {reason}")]
    Protocol {
        /// The endpoint.
        addr: String,
        /// What it answered.
        reason: String,
    },
    /// RemoteSPAttach returned non-zero.
    #[error("remotesp at {addr}: RemoteSPAttach returned {value:#x}")]
    AttachFailed {
        /// The endpoint.
        addr: String,
        /// The return value.
        value: i32,
    },
}

/// Reads the `ncacn_ip_tcp` endpoint out of a ClientAttach `pszMachine`
/// (`<clientComputerName>"<protocolSequence1>"<endpoint1>"…<protSeqN>"<epN>"`, [MS-TRP]
/// 3.1.4.1): the first pair whose protocol sequence is `ncacn_ip_tcp` (any case) and whose
/// endpoint is a port number 1-65535.
pub fn parse_machine(machine: &str) -> Result<Endpoint, CallbackError> {
    let bad = |reason| CallbackError::BadMachine {
        machine: machine.to_owned(),
        reason,
    };
    let mut parts = machine.split('"');
    let host = parts.next().unwrap_or_default();
    if host.is_empty() {
        return Err(bad("no computer name before the first quotation mark"));
    }
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        return Err(bad("no protocol sequence"));
    }
    for pair in rest.chunks(2) {
        let [protseq, endpoint] = pair else { break };
        if protseq.eq_ignore_ascii_case("ncacn_ip_tcp") {
            return match endpoint.parse::<u16>() {
                Ok(port) if port != 0 => Ok(Endpoint {
                    host: host.to_owned(),
                    port,
                }),
                _ => Err(bad("the ncacn_ip_tcp endpoint is not a port number")),
            };
        }
    }
    Err(bad("no ncacn_ip_tcp protocol sequence"))
}

/// The addresses of `host` the server may call back: a loopback address (or `localhost`)
/// always, any other host only when `allow` lists it (compared case-insensitively), in which
/// case it is resolved. Names that are not allowed are never looked up.
pub fn callback_allowed(
    host: &str,
    port: u16,
    allow: &[String],
) -> Result<Vec<SocketAddr>, CallbackError> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if allow.iter().any(|a| a.eq_ignore_ascii_case(host)) {
        let addrs: Vec<SocketAddr> = (bare, port)
            .to_socket_addrs()
            .map_err(|source| CallbackError::Io {
                addr: format!("{host}:{port}"),
                source,
            })?
            .collect();
        return Ok(addrs);
    }
    if let Ok(ip) = bare.parse::<IpAddr>() {
        if ip.is_loopback() {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
    } else if bare.eq_ignore_ascii_case("localhost") {
        return Ok(vec![
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port),
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port),
        ]);
    }
    Err(CallbackError::NotAllowed(host.to_owned()))
}

/// A bound remotesp association with its RemoteSPAttach context handle.
pub(super) struct Callback {
    stream: TcpStream,
    addr: String,
    syntax: Syntax,
    p_cont_id: u16,
    handle: ContextHandle,
    next_call_id: u32,
    max_xmit: u16,
    max_recv: u16,
    limit: usize,
    frame: Vec<u8>,
}

impl Callback {
    /// Connects to the endpoint `machine` names, binds remotesp (proposing `preferred`
    /// first, then the other NDR syntax) and calls RemoteSPAttach.
    pub(super) fn attach(
        machine: &str,
        options: &ServerOptions,
        preferred: Syntax,
    ) -> Result<Callback, CallbackError> {
        let endpoint = parse_machine(machine)?;
        let addrs = callback_allowed(&endpoint.host, endpoint.port, &options.allow_callback)?;
        let addr = format!("{}:{}", endpoint.host, endpoint.port);
        let io = |source| CallbackError::Io {
            addr: addr.clone(),
            source,
        };
        let mut last = None;
        let mut stream = None;
        for a in &addrs {
            match TcpStream::connect_timeout(a, options.callback_timeout) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let stream = match (stream, last) {
            (Some(s), _) => s,
            (None, Some(e)) => return Err(io(e)),
            (None, None) => {
                return Err(io(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "the host has no address",
                )));
            }
        };
        stream
            .set_read_timeout(Some(options.callback_timeout))
            .map_err(io)?;
        stream
            .set_write_timeout(Some(options.callback_timeout))
            .map_err(io)?;
        let _ = stream.set_nodelay(true);
        let max_frag = options.max_frag.max(MUST_RECV_FRAG_SIZE);
        let mut cb = Callback {
            stream,
            addr,
            syntax: preferred,
            p_cont_id: 0,
            handle: ContextHandle::NIL,
            next_call_id: 2,
            max_xmit: MUST_RECV_FRAG_SIZE,
            max_recv: max_frag,
            limit: options.max_request_stub,
            frame: Vec::new(),
        };
        cb.bind(preferred, max_frag)?;
        let stub = cb.call(Method::RemoteSPAttach, Vec::new())?;
        let resp = RemoteSPAttachResponse::decode(cb.syntax, &stub).map_err(|e| cb.bad_stub(e))?;
        if resp.return_value() != 0 {
            return Err(CallbackError::AttachFailed {
                addr: cb.addr,
                value: resp.return_value(),
            });
        }
        if resp.pph_context().is_nil() {
            return Err(cb.protocol("RemoteSPAttach returned a nil context handle".into()));
        }
        cb.handle = resp.pph_context();
        Ok(cb)
    }

    /// The context handle RemoteSPAttach returned.
    pub(super) fn handle(&self) -> ContextHandle {
        self.handle
    }

    /// RemoteSPEventProc with `events` (whole ASYNCEVENTMSGs).
    pub(super) fn event_proc(&mut self, events: &[u8]) -> Result<(), CallbackError> {
        let stub = RemoteSPEventProcRequestBuilder::new(self.handle, events).encode(self.syntax);
        let resp = self.call(Method::RemoteSPEventProc, stub)?;
        RemoteSPEventProcResponse::decode(self.syntax, &resp).map_err(|e| self.bad_stub(e))?;
        Ok(())
    }

    /// RemoteSPDetach, then closes the association.
    pub(super) fn detach(mut self) -> Result<(), CallbackError> {
        let stub = RemoteSPDetachRequestBuilder {
            pph_context: self.handle,
        }
        .encode(self.syntax);
        let resp = self.call(Method::RemoteSPDetach, stub)?;
        RemoteSPDetachResponse::decode(self.syntax, &resp).map_err(|e| self.bad_stub(e))?;
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
        Ok(())
    }

    fn protocol(&self, reason: String) -> CallbackError {
        CallbackError::Protocol {
            addr: self.addr.clone(),
            reason,
        }
    }

    fn bad_stub(&self, e: NdrError) -> CallbackError {
        self.protocol(format!("bad response stub: {e}"))
    }

    fn io(&self, source: std::io::Error) -> CallbackError {
        CallbackError::Io {
            addr: self.addr.clone(),
            source,
        }
    }

    fn built(&self, r: Result<Vec<u8>, BuildError>) -> Result<Vec<u8>, CallbackError> {
        r.map_err(|e| self.protocol(format!("cannot build the PDU: {e}")))
    }

    fn bind(&mut self, preferred: Syntax, max_frag: u16) -> Result<(), CallbackError> {
        let other = match preferred {
            Syntax::Ndr20 => Syntax::Ndr64,
            Syntax::Ndr64 => Syntax::Ndr20,
        };
        let order = [preferred, other];
        let contexts = order
            .iter()
            .zip(0u16..)
            .map(|(s, id)| ContextElemBuilder::new(id, REMOTESP, &[s.syntax_id()]))
            .collect();
        let bytes = self.built(PduBuilder::bind(1, max_frag, max_frag, 0, contexts).to_bytes())?;
        self.stream.write_all(&bytes).map_err(|e| self.io(e))?;
        self.read()?;
        let frame = std::mem::take(&mut self.frame);
        let outcome = self.on_bind_answer(&frame, &order);
        self.frame = frame;
        outcome
    }

    fn on_bind_answer(&mut self, frame: &[u8], order: &[Syntax; 2]) -> Result<(), CallbackError> {
        let pdu = Pdu::parse(frame).map_err(|e| self.protocol(format!("bad bind answer: {e}")))?;
        match pdu.body() {
            PduBody::BindAck(ack) => {
                let accepted = ack
                    .results()
                    .iter()
                    .zip(order.iter().zip(0u16..))
                    .find(|(r, _)| r.result() == DefResult::ACCEPTANCE);
                let Some((_, (&syntax, id))) = accepted else {
                    return Err(self.protocol("bind_ack accepts no context".into()));
                };
                self.syntax = syntax;
                self.p_cont_id = id;
                self.max_xmit = ack
                    .max_recv_frag()
                    .clamp(MUST_RECV_FRAG_SIZE, self.max_recv);
                Ok(())
            }
            PduBody::BindNak(nak) => {
                Err(self.protocol(format!("bind_nak, reason {}", nak.provider_reject_reason())))
            }
            _ => Err(self.protocol(format!("{} in answer to bind", pdu.packet_type()))),
        }
    }

    fn read(&mut self) -> Result<(), CallbackError> {
        let mut frame = std::mem::take(&mut self.frame);
        let r = read_frame(&mut self.stream, self.max_recv, &mut frame);
        self.frame = frame;
        match r {
            Ok(true) => Ok(()),
            Ok(false) => Err(self.protocol("connection closed".into())),
            Err(e) => Err(self.io(e)),
        }
    }

    /// One call: the request (fragmented to the negotiated size), then its response stub.
    fn call(&mut self, method: Method, stub: Vec<u8>) -> Result<Vec<u8>, CallbackError> {
        let call_id = self.next_call_id;
        self.next_call_id = self.next_call_id.wrapping_add(1).max(1);
        let template = PduBuilder::request(call_id, self.p_cont_id, method.opnum(), stub);
        let fragments = fragment(&template, self.max_xmit)
            .map_err(|e| self.protocol(format!("cannot fragment: {e}")))?;
        let mut bytes = Vec::new();
        for f in &fragments {
            f.write(&mut bytes)
                .map_err(|e| self.protocol(format!("cannot build the PDU: {e}")))?;
        }
        self.stream.write_all(&bytes).map_err(|e| self.io(e))?;
        let mut reassembler = Reassembler::with_limit(self.limit);
        loop {
            self.read()?;
            let frame = std::mem::take(&mut self.frame);
            let step = self.on_answer(&frame, call_id, method, &mut reassembler);
            self.frame = frame;
            if let Some(stub) = step? {
                return Ok(stub);
            }
        }
    }

    fn on_answer(
        &self,
        frame: &[u8],
        call_id: u32,
        method: Method,
        reassembler: &mut Reassembler,
    ) -> Result<Option<Vec<u8>>, CallbackError> {
        let pdu =
            Pdu::parse(frame).map_err(|e| self.protocol(format!("bad answer to {method}: {e}")))?;
        if pdu.call_id() != call_id {
            return Err(self.protocol(format!(
                "answer to call_id {} while waiting for {call_id}",
                pdu.call_id()
            )));
        }
        match pdu.body() {
            PduBody::Response(_) => match reassembler.push(&pdu) {
                Ok(Some(call)) => Ok(Some(call.stub.into_owned())),
                Ok(None) => Ok(None),
                Err(e) => Err(self.protocol(format!("answer to {method}: {e}"))),
            },
            PduBody::Fault(f) => Err(self.protocol(format!(
                "fault {} ({}) in answer to {method}",
                FaultStatus(f.status().0),
                f.status().name().unwrap_or("unknown status")
            ))),
            _ => Err(self.protocol(format!("{} in answer to {method}", pdu.packet_type()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_strings_of_the_spec_parse() {
        // The example of [MS-TRP] 3.1.4.1.
        let e = parse_machine("CLIENT-PC-NAME\"ncacn_ip_tcp\"251\"ncacn_nb_nb\"251\"").unwrap();
        assert_eq!(
            e,
            Endpoint {
                host: "CLIENT-PC-NAME".into(),
                port: 251
            }
        );
        let e = parse_machine("PC\"ncacn_nb_nb\"7\"NCACN_IP_TCP\"4444\"").unwrap();
        assert_eq!(e.port, 4444);
    }

    #[test]
    fn machine_strings_without_a_tcp_port_are_refused() {
        for m in [
            "",
            "PC",
            "\"ncacn_ip_tcp\"251\"",
            "PC\"ncacn_nb_nb\"251\"",
            "PC\"ncacn_ip_tcp\"",
            "PC\"ncacn_ip_tcp\"0\"",
            "PC\"ncacn_ip_tcp\"65536\"",
            "PC\"ncacn_ip_tcp\"x\"",
        ] {
            assert!(parse_machine(m).is_err(), "{m:?}");
        }
    }

    #[test]
    fn only_loopback_is_called_back_unless_allowed() {
        assert!(callback_allowed("127.0.0.1", 1, &[]).is_ok());
        assert!(callback_allowed("::1", 1, &[]).is_ok());
        assert!(callback_allowed("[::1]", 1, &[]).is_ok());
        assert!(callback_allowed("LocalHost", 1, &[]).is_ok());
        assert!(matches!(
            callback_allowed("10.0.0.1", 1, &[]),
            Err(CallbackError::NotAllowed(_))
        ));
        assert!(matches!(
            callback_allowed("CLIENT-PC", 1, &[]),
            Err(CallbackError::NotAllowed(_))
        ));
        let allowed = callback_allowed("10.0.0.1", 9, &["10.0.0.1".into()]).unwrap();
        assert_eq!(allowed, vec!["10.0.0.1:9".parse().unwrap()]);
    }
}
