//! The remotesp checks of 3.3.4.2, one negative (and one positive) test per rule, and the
//! correlator of special-case completions.

use mstrp::events::completions::{Correlated, Correlator, MAX_CONTEXTS, Reply, SpecialCompletion};
use mstrp::events::remote::{Action, Failure, Identifier, KnownIds, check_buffer, check_event};
use mstrp::events::{Event, EventBuffer, RawEvent};
use mstrp::handles::{HCall, RequestId};
use mstrp::requests::{Completion, FuncId, Request, RequestBuilder, Role, builders};

fn dw(d: &[u32]) -> Vec<u8> {
    d.iter().flat_map(|v| v.to_le_bytes()).collect()
}

const INIT: u32 = 0x1000;
const LINE: u32 = 7;
const PHONE: u32 = 9;
const REQ: u32 = 0x2A;
const LINE_DEV: u32 = 3;
const PHONE_DEV: u32 = 4;

fn state() -> KnownIds {
    KnownIds::new()
        .with(Identifier::InitContext, INIT)
        .with(Identifier::RemoteLine, LINE)
        .with(Identifier::RemotePhone, PHONE)
        .with(Identifier::RequestId, REQ)
        .with(Identifier::LineDevice, LINE_DEV)
        .with(Identifier::PhoneDevice, PHONE_DEV)
}

/// A 10-DWORD event with `Msg` = `msg`, `InitContext` = INIT and DWORD `at` = `value`.
fn event(msg: u32, at: usize, value: u32) -> Vec<u8> {
    let mut d = [40, INIT, 0, 0, msg, 0, 0, 0, 0, 0];
    d[at] = value;
    dw(&d)
}

fn verdict(bytes: &[u8]) -> Result<(), (Action, Identifier, &'static str)> {
    let raw = RawEvent::parse(bytes).unwrap();
    check_event(raw, &state()).map_err(|r| (r.action, r.what, r.field))
}

#[test]
fn invalid_init_context_fails_the_notification() {
    // "Fail if ASYNCEVENTMSG.InitContext is an invalid value."
    let mut b = event(0x3, 3, LINE);
    b[4..8].copy_from_slice(&0xBADu32.to_le_bytes());
    assert_eq!(
        verdict(&b),
        Err((Action::Fail, Identifier::InitContext, "InitContext"))
    );
    // Also for an undocumented Msg.
    let mut b = event(0x0D, 3, 0);
    b[4..8].copy_from_slice(&0xBADu32.to_le_bytes());
    assert_eq!(verdict(&b).unwrap_err().0, Action::Fail);
}

/// (Msg, index of hRemoteLine) for the 16 packets of the first rule, from the diagrams.
const REMOTE_LINE: &[(u32, usize)] = &[
    (0x08, 3), // LINE_LINEDEVSTATE
    (0x03, 3), // LINE_CLOSE
    (0x00, 3), // LINE_ADDRESSSTATE
    (0x16, 3), // LINE_AGENTSTATUS
    (0x1B, 3), // LINE_AGENTSESSIONSTATUS
    (0x1C, 3), // LINE_QUEUESTATUS
    (0x1D, 3), // LINE_AGENTSTATUSEX
    (0x1E, 3), // LINE_GROUPSTATUS
    (0x1F, 3), // LINE_PROXYSTATUS
    (0x01, 9), // LINE_CALLINFO
    (0x02, 9), // LINE_CALLSTATE
    (0x07, 9), // LINE_GENERATE
    (0x09, 9), // LINE_MONITORDIGITS
    (0x0A, 9), // LINE_MONITORMEDIA
    (0x0B, 9), // LINE_MONITORTONE
    (0x17, 3), // LINE_APPNEWCALL
];

#[test]
fn invalid_h_remote_line_is_ignored() {
    // "Ignore the response if hRemoteLine is set and is an invalid handle."
    for &(msg, at) in REMOTE_LINE {
        assert_eq!(
            verdict(&event(msg, at, 0x66)),
            Err((Action::Ignore, Identifier::RemoteLine, "hRemoteLine")),
            "Msg {msg:#x}"
        );
        assert_eq!(verdict(&event(msg, at, LINE)), Ok(()), "Msg {msg:#x}");
        assert_eq!(verdict(&event(msg, at, 0)), Ok(()), "not set: Msg {msg:#x}");
    }
}

#[test]
fn invalid_request_id_is_ignored() {
    // "Ignore the response if dwRemoteRequestID is invalid."
    for msg in [0x0C, 0x11] {
        assert_eq!(
            verdict(&event(msg, 6, 0x99)),
            Err((Action::Ignore, Identifier::RequestId, "dwRemoteRequestID"))
        );
        assert_eq!(verdict(&event(msg, 6, REQ)), Ok(()));
    }
}

#[test]
fn invalid_h_remote_phone_is_ignored() {
    // "Ignore the response if hRemotePhone is set and is an invalid handle."
    for msg in [0x12, 0x0F] {
        assert_eq!(
            verdict(&event(msg, 3, 0x66)),
            Err((Action::Ignore, Identifier::RemotePhone, "hRemotePhone"))
        );
        assert_eq!(verdict(&event(msg, 3, PHONE)), Ok(()));
        assert_eq!(verdict(&event(msg, 3, 0)), Ok(()));
    }
    // PHONE_DEVSPECIFIC: hRemotePhone in Param4 for a call event, else in hDevice.
    assert_eq!(verdict(&event(0x10, 9, 0x66)).unwrap_err().2, "Param4");
    assert_eq!(verdict(&event(0x10, 9, PHONE)), Ok(()));
    assert_eq!(verdict(&event(0x10, 3, 0x66)).unwrap_err().2, "hDevice");
    assert_eq!(verdict(&event(0x10, 3, PHONE)), Ok(()));
}

#[test]
fn invalid_device_identifiers_are_ignored() {
    // "Ignore the response if the device identifier passed in Param1 is invalid" (CREATE) and
    // "if Param1 is an invalid handle" (REMOVE; Param1 is a device identifier there).
    for (msg, what, good) in [
        (0x13, Identifier::LineDevice, LINE_DEV),
        (0x19, Identifier::LineDevice, LINE_DEV),
        (0x14, Identifier::PhoneDevice, PHONE_DEV),
        (0x1A, Identifier::PhoneDevice, PHONE_DEV),
    ] {
        assert_eq!(
            verdict(&event(msg, 6, 0x66)),
            Err((Action::Ignore, what, "Param1"))
        );
        assert_eq!(verdict(&event(msg, 6, good)), Ok(()));
    }
}

#[test]
fn phone_button_with_invalid_h_device_is_ignored() {
    // "Ignore the response if hDevice is invalid."
    assert_eq!(
        verdict(&event(0x0E, 3, 0x66)),
        Err((Action::Ignore, Identifier::RemotePhone, "hRemotePhone"))
    );
    // Not only when set: zero is invalid too.
    assert!(verdict(&event(0x0E, 3, 0)).is_err());
    assert_eq!(verdict(&event(0x0E, 3, PHONE)), Ok(()));
}

#[test]
fn device_specific_param4_rules() {
    for msg in [0x15, 0x04, 0x05] {
        // "Ignore the response if param4 is set and is invalid."
        let mut d = [
            40, INIT, 0, 0x10002, /* an hCall */
            msg, 0, 0, 0, 0, 0x66,
        ];
        let b = dw(&d);
        assert_eq!(
            verdict(&b),
            Err((Action::Ignore, Identifier::RemoteLine, "Param4"))
        );
        d[9] = LINE;
        assert_eq!(verdict(&dw(&d)), Ok(()), "call event with a valid line");
        // "Ignore the response if param4 is not set and hDevice is invalid."
        d[9] = 0;
        assert_eq!(
            verdict(&dw(&d)),
            Err((Action::Ignore, Identifier::RemoteLine, "hDevice"))
        );
        d[3] = LINE;
        assert_eq!(verdict(&dw(&d)), Ok(()));
    }
}

#[test]
fn packets_without_a_msg_rule_pass() {
    // LINE_GATHERDIGITS (12 DWORDs), LINE_PROXYREQUEST, LINE_CREATEDIALOGINSTANCE, unknown.
    let gather = dw(&[48, INIT, 0, 0x66, 0x6, 0, 0, 0, 0, 0, 0, 0x66]);
    assert_eq!(verdict(&gather), Ok(()));
    assert_eq!(verdict(&event(0x18, 3, 0x66)), Ok(()));
    assert_eq!(verdict(&event(0x1F7, 3, 0x66)), Ok(()));
    assert_eq!(verdict(&event(0x0D, 3, 0x66)), Ok(()));
}

#[test]
fn check_buffer_sorts_events() {
    let mut buf = event(0x03, 3, LINE); // accepted
    buf.extend(event(0x03, 3, 0x66)); // ignored
    buf.extend(event(0x0C, 6, REQ)); // accepted
    let mut bad_init = event(0x03, 3, LINE);
    bad_init[4..8].copy_from_slice(&1u32.to_le_bytes());
    buf.extend(&bad_init); // fails
    buf.extend(event(0x03, 3, LINE)); // not reached
    let v = check_buffer(EventBuffer::new(&buf), &state());
    assert_eq!(
        v.accepted.iter().map(|e| e.index).collect::<Vec<_>>(),
        [0, 2]
    );
    assert_eq!(v.ignored.len(), 1);
    assert_eq!(v.ignored[0].0.index, 1);
    let Some(Failure::InitContext { index, offset, .. }) = v.failure else {
        panic!("{:?}", v.failure)
    };
    assert_eq!((index, offset), (3, 120));

    // A framing error fails the notification after the good events.
    let mut buf = event(0x03, 3, LINE);
    buf.extend(dw(&[41, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    let v = check_buffer(EventBuffer::new(&buf), &state());
    assert_eq!(v.accepted.len(), 1);
    assert!(matches!(v.failure, Some(Failure::Framing(e)) if e.index == 1));
}

#[test]
fn correlator_decodes_replies_by_request() {
    // The client sends MakeCall (request id 0x2A, lpContext 0x1234, lphCallContext 0x5678)
    // and Answer (request id 0x2B; Answer has no lpContext).
    let make_call = builders::LineMakeCall::new()
        .dw_request_id(0x2Au32)
        .lp_context(0x1234)
        .h_line(0x1001u32)
        .lph_call_context(0x5678)
        .lpsz_dest_address("100")
        .lp_call_params(None::<&[u8]>)
        .to_bytes();
    let answer = builders::LineAnswer::new()
        .dw_request_id(0x2Bu32)
        .h_call(0x10002u32)
        .lps_user_user_info(None::<&[u8]>)
        .to_bytes();
    let mut c = Correlator::new();
    assert_eq!(
        c.track(&Request::parse(&make_call).unwrap()),
        Some(RequestId(0x2A))
    );
    assert_eq!(
        c.track(&Request::parse(&answer).unwrap()),
        Some(RequestId(0x2B))
    );
    assert_eq!(c.len(), 2);
    assert_eq!(
        c.get(RequestId(0x2A)).unwrap().contexts,
        [("lpContext", 0x1234), ("lphCallContext", 0x5678)]
    );

    // The server's buffer: Answer's LINE_REPLY, an unrelated LINE_CALLSTATE, MakeCall's
    // completion (13 DWORDs).
    let mut buf = dw(&[40, INIT, 0x99, 0, 0xC, 0, 0x2B, 0, 0, 0]);
    buf.extend(dw(&[40, INIT, 0x100, 0x10002, 0x2, 0, 0x100, 4, 4, LINE]));
    buf.extend(dw(&[
        52, INIT, 0x1234, 0, 0xC, 0, 0x2A, 0, 0x10003, 0x5678, 0, 0x55, 0,
    ]));
    let out: Vec<_> = EventBuffer::new(&buf)
        .iter()
        .map(|r| c.decode(r.unwrap()).unwrap())
        .collect();
    let Correlated::Reply {
        request,
        reply: Reply::Generic(Event::LineReply(r)),
    } = &out[0]
    else {
        panic!("{:?}", out[0])
    };
    assert_eq!(
        (request.func, r.dw_remote_request_id()),
        (FuncId::LineAnswer, RequestId(0x2B))
    );
    assert!(matches!(out[1], Correlated::Event(Event::LineCallState(_))));
    let Correlated::Reply {
        request,
        reply: Reply::Special(mstrp::events::completions::SpecialCompletion::LineMakeCall(m)),
    } = &out[2]
    else {
        panic!("{:?}", out[2])
    };
    assert_eq!(request.func, FuncId::LineMakeCall);
    assert_eq!(m.h_call(), HCall(0x10003));
    assert!(out.iter().all(|o| o.context_mismatch().is_none()));
    assert!(c.is_empty());

    // A reply to an unknown request decodes by Msg.
    let stray = dw(&[40, INIT, 0, 0, 0xC, 0, 0x77, 0, 0, 0]);
    let raw = RawEvent::parse(&stray).unwrap();
    assert!(matches!(
        c.decode(raw).unwrap(),
        Correlated::Event(Event::LineReply(_))
    ));
}

#[test]
fn correlator_reports_context_mismatch_and_keeps_failed_requests() {
    let mut c = Correlator::new();
    c.expect(
        RequestId(5),
        FuncId::LineMakeCall,
        &[("lpContext", 1), ("lphCallContext", 2)],
    );
    // Too short for a MakeCall completion: an error, and the request stays outstanding.
    let short = dw(&[40, INIT, 1, 0, 0xC, 0, 5, 0, 0, 0]);
    assert!(c.decode(RawEvent::parse(&short).unwrap()).is_err());
    assert_eq!(c.len(), 1);
    // The completion echoes lphCallContext 3 instead of 2.
    let wrong = dw(&[52, INIT, 1, 0, 0xC, 0, 5, 0, 0x10003, 3, 0, 0, 0]);
    let out = c.decode(RawEvent::parse(&wrong).unwrap()).unwrap();
    let m = out.context_mismatch().unwrap();
    assert_eq!(
        (m.field, m.request_field, m.expected, m.found),
        ("lphCallContext", "lphCallContext", 2, 3)
    );
    assert!(c.is_empty());
}

#[test]
fn correlator_keeps_every_tracked_request_contexts_inline() {
    // SetUpConference's completion (2.2.4.2.2.23) echoes the most request fields: lpContext,
    // lphConfCallContext and lphConsultCallContext.
    assert_eq!(MAX_CONTEXTS, 3);
    let mut most = (0, None);
    for &f in FuncId::ALL {
        let d = f.desc();
        if d.completion != Completion::Async {
            continue;
        }
        let mut b = RequestBuilder::new(f);
        for (i, fd) in d.fields.iter().enumerate() {
            if matches!(fd.role, Role::Value | Role::RequestId) {
                b.set(i, 0x100 + i as u32);
            }
        }
        let bytes = b.to_bytes();
        let mut c = Correlator::new();
        let id = c.track(&Request::parse(&bytes).unwrap()).unwrap();
        let contexts = &c.get(id).unwrap().contexts;
        assert!(contexts.is_inline(), "{f:?}");
        assert!(contexts.len() <= MAX_CONTEXTS, "{f:?}");
        // Each value is the one set in the request's field of that name.
        for (name, value) in contexts.iter() {
            let (i, _) = d.field(name).unwrap();
            assert_eq!(value, 0x100 + i as u32, "{f:?} {name}");
        }
        assert_eq!(
            contexts.get("lpContext").is_some(),
            d.field("lpContext").is_some(),
            "{f:?}"
        );
        if contexts.len() > most.0 {
            most = (contexts.len(), Some(f));
        }
    }
    assert_eq!(most, (3, Some(FuncId::LineSetUpConference)));
}

#[test]
fn correlator_checks_the_most_echoed_contexts() {
    let request = builders::LineSetUpConference::new()
        .dw_request_id(0x31u32)
        .lp_context(0xA)
        .h_call(0x10001u32)
        .h_line(0x1001u32)
        .lph_conf_call_context(0xB)
        .lph_consult_call_context(0xC)
        .dw_num_parties(3)
        .lp_call_params(None::<&[u8]>)
        .to_bytes();
    let mut c = Correlator::new();
    assert_eq!(
        c.track(&Request::parse(&request).unwrap()),
        Some(RequestId(0x31))
    );
    let contexts = &c.get(RequestId(0x31)).unwrap().contexts;
    assert!(contexts.is_inline());
    assert_eq!(
        *contexts,
        [
            ("lpContext", 0xA),
            ("lphConfCallContext", 0xB),
            ("lphConsultCallContext", 0xC)
        ]
    );
    // The Debug form is a list of pairs (what it was as a Vec).
    assert_eq!(
        format!("{contexts:?}"),
        r#"[("lpContext", 10), ("lphConfCallContext", 11), ("lphConsultCallContext", 12)]"#
    );
    // The completion (18 DWORDs) echoes lphConsultCallContext 0xD instead of 0xC.
    let completion = dw(&[
        72, INIT, 0xA, 0, 0xC, 0, 0x31, 0, 0x10005, 0xB, 0x10006, 0xD, 0, 0, 0, 0, 0, 0,
    ]);
    let out = c.decode(RawEvent::parse(&completion).unwrap()).unwrap();
    let Correlated::Reply {
        request,
        reply: Reply::Special(SpecialCompletion::LineSetUpConference(s)),
    } = &out
    else {
        panic!("{out:?}")
    };
    assert_eq!(request.func, FuncId::LineSetUpConference);
    assert_eq!(
        (s.h_conf_call(), s.h_consult_call()),
        (HCall(0x10005), HCall(0x10006))
    );
    let m = out.context_mismatch().unwrap();
    assert_eq!(
        (m.field, m.request_field, m.expected, m.found),
        ("lphConsultCallContext", "lphConsultCallContext", 0xC, 0xD)
    );
    assert!(c.is_empty());
}

#[test]
fn correlator_expect_keeps_any_contexts() {
    let mut c = Correlator::new();
    // More values than fit inline, each a field of MakeCall's request: kept on the heap, in
    // the order given.
    let many = [
        ("lphCallContext", 2),
        ("lpContext", 1),
        ("dwRequestID", 5),
        ("hLine", 4),
    ];
    c.expect(RequestId(5), FuncId::LineMakeCall, &many);
    let contexts = &c.get(RequestId(5)).unwrap().contexts;
    assert!(!contexts.is_inline());
    assert_eq!(*contexts, many);
    // A name that is no field of the request: kept too.
    c.expect(
        RequestId(6),
        FuncId::LineMakeCall,
        &[("lpContext", 1), ("lpOther", 9)],
    );
    let contexts = &c.get(RequestId(6)).unwrap().contexts;
    assert!(!contexts.is_inline());
    assert_eq!((contexts.get("lpOther"), contexts.len()), (Some(9), 2));
    // Within the bound: inline, and equal to the same values given again.
    let few = [("lphCallContext", 2), ("lpContext", 1)];
    let before = c.expect(RequestId(5), FuncId::LineMakeCall, &few).unwrap();
    assert_eq!(before.contexts, many);
    let contexts = &c.get(RequestId(5)).unwrap().contexts;
    assert!(contexts.is_inline());
    assert_eq!(*contexts, few);
    assert_eq!(
        c.expect(RequestId(5), FuncId::LineMakeCall, &few)
            .unwrap()
            .contexts,
        few
    );
    // The MakeCall completion of request 5 checks the values given.
    let wrong = dw(&[52, INIT, 1, 0, 0xC, 0, 5, 0, 0x10003, 3, 0, 0, 0]);
    let m = c
        .decode(RawEvent::parse(&wrong).unwrap())
        .unwrap()
        .context_mismatch()
        .unwrap();
    assert_eq!(
        (m.request_field, m.expected, m.found),
        ("lphCallContext", 2, 3)
    );
}

#[test]
fn correlator_with_capacity_and_clear_reuse_the_table() {
    let mut c = Correlator::with_capacity(300);
    let cap = c.capacity();
    assert!(cap >= 300);
    for i in 0..300 {
        c.expect(RequestId(i), FuncId::LineMakeCall, &[("lpContext", i)]);
    }
    assert_eq!((c.len(), c.capacity()), (300, cap));
    c.clear();
    assert!(c.is_empty());
    assert_eq!(c.capacity(), cap);
    assert!(c.get(RequestId(7)).is_none());
    // A reply to a cleared request decodes by Msg; a request recorded after the clear is
    // matched.
    let reply = dw(&[40, INIT, 0, 0, 0xC, 0, 7, 0, 0, 0]);
    assert!(matches!(
        c.decode(RawEvent::parse(&reply).unwrap()).unwrap(),
        Correlated::Event(Event::LineReply(_))
    ));
    c.expect(RequestId(7), FuncId::LineAnswer, &[]);
    let Correlated::Reply { request, .. } = c.decode(RawEvent::parse(&reply).unwrap()).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (request.request_id, request.func),
        (RequestId(7), FuncId::LineAnswer)
    );
    assert!(request.contexts.is_empty() && request.contexts.is_inline());
    // Clearing an empty correlator, or a new one, is harmless.
    c.clear();
    Correlator::new().clear();
    assert_eq!(Correlator::with_capacity(0).len(), 0);
}
