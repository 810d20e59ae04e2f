//! Several clients, random operation sequences (issue 11, "Tests"): each client is a
//! `ClientSession` wired to its own `ServerSession` in memory (a server session is one
//! ClientAttach binding; sessions share no state, spec-notes/session.md), and the steps of
//! all clients are interleaved at random. After every step:
//!
//! * the client accepts every reply and every event buffer the server produced;
//! * every asynchronous request completes at most once, and only after it was issued
//!   (2.2.4.2.1.25: a LINE_REPLY matches "the request identifier previously returned");
//! * client and server agree on the open lines and the calls, and every call the client holds
//!   is on a line it holds: no handle outlives its Close, Shutdown or ClientDetach (2.2.2,
//!   seed 002: "The life cycles of calls are bracketed strictly between the Open/Close of the
//!   line that contains them");
//! * client and server agree on the open phones; phone Set requests complete with PHONE_REPLY
//!   exactly once, at once or when their phone closes (2.2.4.2.1.31);
//! * with immediate completion, nothing is left outstanding on either side.
//!
//! At the end every client shuts down: no request is left waiting on either side (each
//! completed exactly once, or was abandoned with its app at ShutDown), and both sides hold
//! nothing. Operations the client refuses (out of order) are skipped: the
//! refusal happens before anything is sent, which is the point of `ClientSession`.

use std::collections::BTreeSet;

use mstrp::handles::{HCall, HLine, HPhone, RequestId, Version};
use mstrp::replies::ReturnValue;
use mstrp::session::client::{AttachKind, ClientEvent, ClientSession, OpenParams, Outgoing};
use mstrp::session::{AsyncCompletion, ServerConfig, ServerSession};
use proptest::prelude::*;

const MACHINE: &str = "CLIENT\"ncacn_ip_tcp\"50001\"";

#[derive(Debug, Clone, Copy)]
enum Op {
    Initialize,
    NegotiateAll,
    Open(u32),
    MakeCall(usize),
    Drop(usize),
    Deallocate(usize),
    Close(usize),
    Offer(u32),
    Shutdown,
    Reattach,
    PhoneInitialize,
    PhoneNegotiate,
    PhoneOpen,
    /// A Set request on the `.1`-th open phone: `.0` picks ring, hookswitch, volume, gain or
    /// display.
    PhoneSet(u8, usize),
    PhoneClose(usize),
    PhoneShutdown,
}

/// Weighted toward progress, so that sequences reach open lines and calls often.
fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Initialize),
        2 => Just(Op::NegotiateAll),
        3 => (0u32..2).prop_map(Op::Open),
        4 => (0usize..3).prop_map(Op::MakeCall),
        2 => (0usize..3).prop_map(Op::Drop),
        2 => (0usize..3).prop_map(Op::Deallocate),
        1 => (0usize..3).prop_map(Op::Close),
        2 => (0u32..2).prop_map(Op::Offer),
        1 => Just(Op::Shutdown),
        1 => Just(Op::Reattach),
        1 => Just(Op::PhoneInitialize),
        1 => Just(Op::PhoneNegotiate),
        1 => Just(Op::PhoneOpen),
        3 => (0u8..5, 0usize..2).prop_map(|(k, i)| Op::PhoneSet(k, i)),
        1 => (0usize..2).prop_map(Op::PhoneClose),
        1 => Just(Op::PhoneShutdown),
    ]
}

struct Pair {
    client: ClientSession,
    server: ServerSession,
    immediate: bool,
    /// Request ids returned to the client in this attachment, and those completed.
    issued: BTreeSet<u32>,
    completed: BTreeSet<u32>,
}

impl Pair {
    fn new(immediate: bool) -> Pair {
        let config = ServerConfig {
            async_completion: if immediate {
                AsyncCompletion::Immediate
            } else {
                AsyncCompletion::OnClose
            },
            ..ServerConfig::default()
        };
        let mut pair = Pair {
            client: ClientSession::new(),
            server: ServerSession::new(config),
            immediate,
            issued: BTreeSet::new(),
            completed: BTreeSet::new(),
        };
        pair.attach();
        pair
    }

    fn attach(&mut self) {
        self.client.attach(AttachKind::push(MACHINE)).unwrap();
        let a = self.server.attach(-1, "", MACHINE);
        assert_eq!(a.return_value, 0);
        self.client
            .attached(a.return_value, a.async_events_event as i32)
            .unwrap();
    }

    /// The `i`-th open line, counting round.
    fn line(&self, i: usize) -> Option<HLine> {
        let n = self.client.lines().count();
        self.client.lines().nth(i.checked_rem(n)?).map(|(h, _)| h)
    }

    /// The `i`-th call held, counting round.
    fn call(&self, i: usize) -> Option<HCall> {
        let n = self.client.calls().count();
        self.client.calls().nth(i.checked_rem(n)?).map(|(h, _)| h)
    }

    /// The `i`-th open phone, counting round.
    fn phone(&self, i: usize) -> Option<HPhone> {
        let n = self.client.phones().count();
        self.client.phones().nth(i.checked_rem(n)?).map(|(h, _)| h)
    }

    /// Sends a request the client built; the client must accept the reply.
    fn send(&mut self, out: Outgoing) {
        let func = out.pending.func;
        let bytes = out.into_bytes();
        let reply = self
            .server
            .request(&bytes, u32::try_from(bytes.len()).unwrap());
        let outcome = self
            .client
            .on_reply_for(func, &reply)
            .unwrap_or_else(|e| panic!("{func:?}: the client refused the reply: {e}"));
        if let ReturnValue::RequestId(RequestId(id)) = outcome.result {
            assert!(self.issued.insert(id), "request id {id} returned twice");
        }
    }

    /// Delivers the queued events (RemoteSPEventProc); checks each completion.
    fn deliver(&mut self) {
        let bytes = self.server.take_events(usize::MAX);
        if bytes.is_empty() {
            return;
        }
        let events = self
            .client
            .on_events(&bytes)
            .unwrap_or_else(|e| panic!("the client refused an event buffer: {e}"));
        for event in events {
            match event {
                ClientEvent::Completed { id, .. } => {
                    assert!(
                        self.issued.contains(&id.0),
                        "completion of {id:?} never issued"
                    );
                    assert!(self.completed.insert(id.0), "{id:?} completed twice");
                }
                // Late completions of a shut-down app's requests (the client reported those
                // requests abandoned at ShutDown, spec-notes/session-client.md).
                ClientEvent::Ignored { .. }
                    if self.client.line_app().is_none() || self.client.phone_app().is_none() => {}
                ClientEvent::Ignored { reason, .. } => panic!("event ignored: {reason}"),
                _ => {}
            }
        }
    }

    fn step(&mut self, op: Op) {
        let out = match op {
            Op::Initialize => self.client.initialize("CLIENT"),
            Op::NegotiateAll => {
                let lines = self.client.line_app().map_or(0, |a| a.num_devs);
                self.client
                    .negotiate_api_version_for_all_devices(lines, 0, Version::TAPI_3_1)
            }
            Op::Open(device) => match self.client.line_device(device).api {
                Some(v) => self.client.open(device, v, OpenParams::default()),
                None => return,
            },
            Op::MakeCall(i) => match self.line(i) {
                Some(h) => self.client.make_call(h, Some("5550100"), 0, None),
                None => return,
            },
            Op::Drop(i) => match self.call(i) {
                Some(h) => self.client.drop_call(h, None),
                None => return,
            },
            Op::Deallocate(i) => match self.call(i) {
                Some(h) => self.client.deallocate_call(h),
                None => return,
            },
            Op::Close(i) => match self.line(i) {
                Some(h) => self.client.close(h),
                None => return,
            },
            Op::Offer(device) => {
                self.server.offer_call(device);
                self.deliver();
                return;
            }
            Op::Shutdown => self.client.shutdown(),
            Op::PhoneInitialize => self.client.phone_initialize("CLIENT"),
            Op::PhoneNegotiate => {
                self.client
                    .phone_negotiate_api_version(0, Version::TAPI_1_4, Version::TAPI_3_1)
            }
            Op::PhoneOpen => match self.client.phone_device(0).api {
                // PHONEPRIVILEGE_OWNER: the Set requests need it (3.1.4.2).
                Some(v) => self.client.phone_open(0, v, 2, Version(0)),
                None => return,
            },
            Op::PhoneSet(k, i) => match self.phone(i) {
                Some(h) => match k {
                    0 => self.client.phone_set_ring(h, 2, 0x8000),
                    1 => self.client.phone_set_hook_switch(h, 1, 2),
                    2 => self.client.phone_set_volume(h, 2, 0x1234),
                    3 => self.client.phone_set_gain(h, 1, 0x4321),
                    _ => self.client.phone_set_display(h, 1, 3, "mstrp"),
                },
                None => return,
            },
            Op::PhoneClose(i) => match self.phone(i) {
                Some(h) => self.client.phone_close(h),
                None => return,
            },
            Op::PhoneShutdown => self.client.phone_shutdown(),
            Op::Reattach => {
                // ClientDetach, then a new ClientAttach: nothing carries over (2.2.2).
                self.client.detach().unwrap();
                assert_eq!(self.server.detach(), 0);
                self.issued.clear();
                self.completed.clear();
                self.attach();
                assert!(self.server.open_lines().is_empty() && self.server.calls().is_empty());
                assert!(self.client.lines().next().is_none());
                assert!(
                    self.server.open_phones().is_empty() && self.client.phones().next().is_none()
                );
                return;
            }
        };
        // A refusal is decided before anything is sent.
        if let Ok(out) = out {
            self.send(out);
            self.deliver();
        }
    }

    fn check(&self) {
        let mut client_lines: Vec<u32> = self.client.lines().map(|(h, _)| h.0).collect();
        let mut server_lines = self.server.open_lines();
        client_lines.sort_unstable();
        server_lines.sort_unstable();
        assert_eq!(client_lines, server_lines, "open lines");
        let mut client_calls: Vec<u32> = self.client.calls().map(|(h, _)| h.0).collect();
        let mut server_calls = self.server.calls();
        client_calls.sort_unstable();
        server_calls.sort_unstable();
        assert_eq!(client_calls, server_calls, "calls");
        let mut client_phones: Vec<u32> = self.client.phones().map(|(h, _)| h.0).collect();
        let mut server_phones = self.server.open_phones();
        client_phones.sort_unstable();
        server_phones.sort_unstable();
        assert_eq!(client_phones, server_phones, "open phones");
        for (h, call) in self.client.calls() {
            assert!(
                client_lines.contains(&call.h_line.0),
                "call {h} outlives its line {}",
                call.h_line
            );
        }
        if self.immediate {
            assert_eq!(self.client.outstanding().count(), 0);
            assert!(self.server.outstanding_requests().is_empty());
        }
        assert!(!self.server.has_events());
    }

    /// Shutdown (if initialized) ends every line and call and completes every request.
    fn finish(mut self) {
        if let Ok(out) = self.client.shutdown() {
            self.send(out);
            self.deliver();
        }
        if let Ok(out) = self.client.phone_shutdown() {
            self.send(out);
            self.deliver();
        }
        self.check();
        assert_eq!(self.client.outstanding().count(), 0);
        assert!(self.server.outstanding_requests().is_empty());
        assert!(self.server.open_lines().is_empty() && self.server.calls().is_empty());
        assert!(self.server.open_phones().is_empty());
        // Every request completed exactly once (checked as completions arrived), or was
        // abandoned by ShutDown: none is left waiting on either side.
        assert!(self.completed.is_subset(&self.issued));
        self.client.detach().unwrap();
        assert_eq!(self.server.detach(), 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn clients_and_servers_agree_under_random_sequences(
        modes in proptest::collection::vec(any::<bool>(), 3),
        steps in proptest::collection::vec((0usize..3, op()), 1..80),
    ) {
        let mut pairs: Vec<Pair> = modes.iter().map(|&m| Pair::new(m)).collect();
        for (k, op) in steps {
            pairs[k].step(op);
            pairs[k].check();
        }
        for pair in pairs {
            pair.finish();
        }
    }
}
