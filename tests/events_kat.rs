//! Known-answer vectors for every event kind, laid out by hand from the spec diagrams.
//!
//! `DIAGRAMS` and `COMPLETION_DIAGRAMS` transcribe the mermaid diagrams of 2.2.4.2.1.x,
//! 2.2.4.2.2.x and 2.2.4.2.3.1 (field names in wire order) and the `Msg` value each section
//! gives. For every kind the test lays out a buffer DWORD by DWORD (a distinct marker per
//! DWORD), decodes it, and checks that every diagram field is found under its spec name at
//! its byte offset with its value. The typed tests below use realistic values and check the
//! typed accessors.

use mstrp::events::completions::{LineMakeCall, SpecialCompletion};
use mstrp::events::constants::*;
use mstrp::events::{
    CallStateDetail, Event, EventBuffer, EventKey, Msg, RawEvent, TypedEvent, VarValue,
};
use mstrp::handles::{HAgentSession, HCall, HLine, HPhone, RequestId};
use mstrp::requests::FuncId;

/// Lays DWORDs out little-endian.
fn dw(d: &[u32]) -> Vec<u8> {
    d.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn one(bytes: &[u8]) -> RawEvent<'_> {
    RawEvent::parse(bytes).expect("one well-formed event")
}

#[rustfmt::skip]
const DIAGRAMS: &[(&str, &str, u32, &[&str])] = &[
    ("2.2.4.2.1.1", "LINE_ADDRESSSTATE", 0x00000000, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemoteLine", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.2", "LINE_AGENTSESSIONSTATUS", 0x0000001B, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemoteLine", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.3", "LINE_AGENTSPECIFIC", 0x00000015, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.4", "LINE_AGENTSTATUS", 0x00000016, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemoteLine", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.5", "LINE_AGENTSTATUSEX", 0x0000001D, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemoteLine", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.6", "LINE_APPNEWCALL", 0x00000017, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemoteLine", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.7", "LINE_CALLINFO", 0x00000001, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hCall", "Msg", "OpenContext", "Param1", "Param2", "Param3", "hRemoteLine"]),
    ("2.2.4.2.1.8", "LINE_CALLSTATE", 0x00000002, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hCall", "Msg", "OpenContext", "Param1", "Param2", "Param3", "hRemoteLine"]),
    ("2.2.4.2.1.9", "LINE_CLOSE", 0x00000003, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemoteLine", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.10", "LINE_CREATE", 0x00000013, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.11", "LINE_CREATEDIALOGINSTANCE", 0x000001F7, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.12", "LINE_DEVSPECIFIC", 0x00000004, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.13", "LINE_DEVSPECIFICFEATURE", 0x00000005, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.14", "LINE_GATHERDIGITS", 0x00000006, &["TotalSize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "Param1", "lpsDigitsContext", "Param3", "dwNumDigits", "dwEndToEndID", "hRemoteLine"]),
    ("2.2.4.2.1.15", "LINE_GENERATE", 0x00000007, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hCall", "Msg", "OpenContext", "Param1", "Param2", "Param3", "hRemoteLine"]),
    ("2.2.4.2.1.16", "LINE_GROUPSTATUS", 0x0000001E, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemoteLine", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.17", "LINE_LINEDEVSTATE", 0x00000008, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemoteLine", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.18", "LINE_MONITORDIGITS", 0x00000009, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hCall", "Msg", "OpenContext", "Param1", "Param2", "Param3", "hRemoteLine"]),
    ("2.2.4.2.1.19", "LINE_MONITORMEDIA", 0x0000000A, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hCall", "Msg", "OpenContext", "Param1", "Param2", "Param3", "hRemoteLine"]),
    ("2.2.4.2.1.20", "LINE_MONITORTONE", 0x0000000B, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hCall", "Msg", "OpenContext", "Param1", "Param2", "Param3", "hRemoteLine"]),
    ("2.2.4.2.1.21", "LINE_PROXYREQUEST", 0x00000018, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.22", "LINE_PROXYSTATUS", 0x0000001F, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemoteLine", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.23", "LINE_QUEUESTATUS", 0x0000001C, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemoteLine", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.24", "LINE_REMOVE", 0x00000019, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.25", "LINE_REPLY", 0x0000000C, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "dwRemoteRequestID", "dwParam2", "Reserved1", "Reserved2"]),
    ("2.2.4.2.1.26", "PHONE_BUTTON", 0x0000000E, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemotePhone", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.27", "PHONE_CLOSE", 0x0000000F, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemotePhone", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.28", "PHONE_CREATE", 0x00000014, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.29", "PHONE_DEVSPECIFIC", 0x00000010, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.30", "PHONE_REMOVE", 0x0000001A, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.31", "PHONE_REPLY", 0x00000011, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hDevice", "Msg", "OpenContext", "dwRemoteRequestID", "Param2", "Param3", "Param4"]),
    ("2.2.4.2.1.32", "PHONE_STATE", 0x00000012, &["TotalSize", "InitContext", "fnPostProcessProcHandle", "hRemotePhone", "Msg", "OpenContext", "Param1", "Param2", "Param3", "Param4"]),
];

#[rustfmt::skip]
const COMPLETION_DIAGRAMS: &[(&str, &str, FuncId, &[&str])] = &[
    ("2.2.4.2.2.1", "AgentSpecific", FuncId::LineAgentSpecific, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpParamsContext", "dwSize"]),
    ("2.2.4.2.2.2", "CompleteCall", FuncId::LineCompleteCall, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "dwCompletionID", "lpdwCompletionIDContext"]),
    ("2.2.4.2.2.3", "CompleteTransfer", FuncId::LineCompleteTransfer, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "hConfCall", "lphConfCallContext", "dwConfCallAddressID", "dwConfCallID", "dwConfCallRelatedCallID"]),
    ("2.2.4.2.2.4", "CreateAgent", FuncId::LineCreateAgent, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lphAgentContext", "dwSize"]),
    ("2.2.4.2.2.5", "CreateAgentSession", FuncId::LineCreateAgentSession, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lphAgentSessionContext", "dwSize"]),
    ("2.2.4.2.2.6", "DevSpecific", FuncId::LineDevSpecific, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpParamsContext", "dwSize"]),
    ("2.2.4.2.2.7", "DevSpecificFeature", FuncId::LineDevSpecificFeature, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpParamsContext", "dwSize"]),
    ("2.2.4.2.2.8", "Forward", FuncId::LineForward, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "hConsultCall", "lphConsultCallContext", "dwConsultCallAddressID", "dwConsultCallID", "dwConsultCallRelatedCallID"]),
    ("2.2.4.2.2.9", "GetAgentActivityList", FuncId::LineGetAgentActivityList, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpAgentActivityListContext", "dwSize"]),
    ("2.2.4.2.2.10", "GetAgentCaps", FuncId::LineGetAgentCaps, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpAgentCapsContext", "dwSize"]),
    ("2.2.4.2.2.11", "GetAgentGroupList", FuncId::LineGetAgentGroupList, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpAgentGroupListContext", "dwSize"]),
    ("2.2.4.2.2.12", "GetAgentInfo", FuncId::LineGetAgentInfo, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpAgentInfoContext", "dwSize"]),
    ("2.2.4.2.2.13", "GetAgentSessionInfo", FuncId::LineGetAgentSessionInfo, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpAgentSessionInfoContext", "dwSize"]),
    ("2.2.4.2.2.14", "GetAgentSessionList", FuncId::LineGetAgentSessionList, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpAgentSessionListContext", "dwSize"]),
    ("2.2.4.2.2.15", "GetAgentStatus", FuncId::LineGetAgentStatus, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpAgentStatusContext", "dwSize"]),
    ("2.2.4.2.2.16", "GetGroupList", FuncId::LineGetGroupList, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpGroupListContext", "dwSize"]),
    ("2.2.4.2.2.17", "GetQueueInfo", FuncId::LineGetQueueInfo, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpQueueInfoContext", "dwSize"]),
    ("2.2.4.2.2.18", "GetQueueList", FuncId::LineGetQueueList, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpQueueListContext", "dwSize"]),
    ("2.2.4.2.2.19", "MakeCall", FuncId::LineMakeCall, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "hCall", "lphCallContext", "dwAddressID", "dwCallID", "dwRelatedCallID"]),
    ("2.2.4.2.2.20", "Park", FuncId::LinePark, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpNonDirAddressContext", "dwSize"]),
    ("2.2.4.2.2.21", "PickUp", FuncId::LinePickUp, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "hCall", "lphCallContext", "dwAddressID", "dwCallID", "dwRelatedCallID"]),
    ("2.2.4.2.2.22", "PrepareAddToConference", FuncId::LinePrepareAddToConference, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "hConsultCall", "lphConsultCallContext", "dwConsultCallAddressID", "dwConsultCallID", "dwConsultCallRelatedCallID"]),
    ("2.2.4.2.2.23", "SetUpConference", FuncId::LineSetUpConference, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "hConfCall", "lphConfCallContext", "hConsultCall", "lphConsultCallContext", "dwConfCallAddressID", "dwConfCallID", "dwConfCallRelatedCallID", "dwConsultCallAddressID", "dwConsultCallID", "dwConsultCallRelatedCallID"]),
    ("2.2.4.2.2.24", "SetUpTransfer", FuncId::LineSetUpTransfer, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "hConsultCall", "lphConsultCallContext", "dwConsultCallAddressID", "dwConsultCallID", "dwConsultCallRelatedCallID"]),
    ("2.2.4.2.2.25", "UnPark", FuncId::LineUnPark, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "hCall", "lphCallContext", "dwAddressID", "dwCallID", "dwRelatedCallID"]),
    ("2.2.4.2.3.1", "DevSpecific", FuncId::PhoneDevSpecific, &["Totalsize", "InitContext", "lpContext", "hDevice", "Msg", "OpenContext", "dwRequestId", "Result", "lpParamsContext", "dwSize"]),
];

fn marker(i: usize) -> u32 {
    0xA000_0000 | (i as u32) << 8 | i as u32
}

/// Lays a packet out from its diagram: TotalSize, then a marker per DWORD, Msg at index 4.
fn layout(names: &[&str], msg: u32) -> Vec<u8> {
    let mut d: Vec<u32> = (0..names.len()).map(marker).collect();
    d[0] = 4 * names.len() as u32;
    assert_eq!(names[4], "Msg");
    d[4] = msg;
    dw(&d)
}

fn check_fields(t: &TypedEvent<'_>, names: &[&str], msg: u32) {
    assert_eq!(t.desc().fields.len(), names.len(), "{}", t.desc().name);
    for (i, name) in names.iter().enumerate() {
        let f = t
            .field(name)
            .unwrap_or_else(|| panic!("{}: no field {name}", t.desc().name));
        assert_eq!(f.field.offset, 4 * i, "{}.{name}", t.desc().name);
        let want = match i {
            0 => 4 * names.len() as u32,
            4 => msg,
            _ => marker(i),
        };
        assert_eq!(f.value, want, "{}.{name}", t.desc().name);
    }
}

#[test]
fn every_completion_packet_matches_its_diagram() {
    assert_eq!(DIAGRAMS.len(), 32);
    assert_eq!(Msg::ALL.len(), 32);
    for &(section, name, msg, names) in DIAGRAMS {
        let bytes = layout(names, msg);
        let event = Event::parse(one(&bytes)).unwrap();
        let t = event.typed();
        assert_eq!(t.desc().name, name);
        assert_eq!(t.desc().section, section);
        assert_eq!(t.desc().msg, msg);
        assert_eq!(t.desc().key, EventKey::Msg);
        assert_eq!(event.msg().map(|m| m as u32), Some(msg));
        assert_eq!(Msg::from_u32(msg).unwrap().name(), name);
        check_fields(&t, names, msg);
        // Re-encoding is byte-exact.
        assert_eq!(&t.to_builder().to_bytes()[..], &bytes[..], "{name}");
    }
}

#[test]
fn every_special_case_completion_matches_its_diagram() {
    assert_eq!(COMPLETION_DIAGRAMS.len(), 26);
    assert_eq!(SpecialCompletion::ALL.len(), 26);
    for &(section, name, func, names) in COMPLETION_DIAGRAMS {
        let reply = if section.starts_with("2.2.4.2.3") {
            0x11
        } else {
            0x0C
        };
        let bytes = layout(names, reply);
        let c = SpecialCompletion::parse(func, one(&bytes))
            .unwrap()
            .expect("special case");
        assert_eq!(c.func(), func);
        let t = c.typed();
        assert_eq!((t.desc().name, t.desc().section), (name, section));
        assert_eq!(t.desc().key, EventKey::Completion(func));
        check_fields(&t, names, reply);
        assert_eq!(&t.to_builder().to_bytes()[..], &bytes[..], "{name}");
        // The same bytes decode generically as LINE_REPLY / PHONE_REPLY.
        let generic = Event::parse(one(&bytes)).unwrap().typed();
        assert_eq!(generic.desc().msg, reply);
        assert_eq!(generic.field("dwRemoteRequestID").unwrap().value, marker(6));
    }
}

#[test]
fn gather_digits_has_twelve_dwords() {
    // 2.2.4.2.1.14: dwEndToEndID and hRemoteLine follow Param4's position (dwNumDigits).
    let d = Msg::LineGatherDigits.desc();
    assert_eq!(d.fixed_len(), 48);
    assert_eq!(d.field("dwEndToEndID").unwrap().1.offset, 40);
    assert_eq!(d.field("hRemoteLine").unwrap().1.offset, 44);
}

#[test]
fn line_reply_for_answer() {
    // 2.2.4.2.1.25, the reply of section 4.4 to Answer (request id 0x2A, success).
    let bytes = dw(&[
        40,          // TotalSize
        0x0000_1111, // InitContext
        0x0000_2222, // fnPostProcessProcHandle = lpContext of the request
        0x0000_3333, // hDevice
        0x0000_000C, // Msg = LINE_REPLY
        0x0000_4444, // OpenContext
        0x0000_002A, // dwRemoteRequestID
        0,           // dwParam2: success
        0xDEAD_BEEF, // Reserved1 (ignored)
        0xFEED_FACE, // Reserved2 (ignored)
    ]);
    let Event::LineReply(r) = Event::parse(one(&bytes)).unwrap() else {
        panic!()
    };
    assert_eq!(r.total_size(), 40);
    assert_eq!(r.init_context(), 0x1111);
    assert_eq!(r.fn_post_process_proc_handle(), 0x2222);
    assert_eq!(r.h_device(), 0x3333);
    assert_eq!(r.open_context(), 0x4444);
    assert_eq!(r.dw_remote_request_id(), RequestId(0x2A));
    assert!(r.dw_param2().is_success());
    assert_eq!(r.reserved1(), 0xDEAD_BEEF);
    assert_eq!(r.var_value().unwrap(), VarValue::Raw(&[]));

    // A failure code: LINEERR_INVALCALLHANDLE = 0x80000018 (2.2.3.1.38).
    let mut bad = bytes.clone();
    bad[28..32].copy_from_slice(&0x8000_0018u32.to_le_bytes());
    let Event::LineReply(r) = Event::parse(one(&bad)).unwrap() else {
        panic!()
    };
    assert!(!r.dw_param2().is_success());
    assert_eq!(r.dw_param2().to_string(), "LINEERR_INVALCALLHANDLE");
}

#[test]
fn line_callstate_offering() {
    // 2.2.4.2.1.8: a call offered (section 4.4), LINEOFFERINGMODE_ACTIVE in
    // fnPostProcessProcHandle.
    let bytes = dw(&[
        40,
        0x77,
        0x1,         // fnPostProcessProcHandle: LINEOFFERINGMODE_ACTIVE
        0x0001_0002, // hCall
        0x2,         // Msg = LINE_CALLSTATE
        0x99,        // OpenContext
        0x2,         // Param1 = LINECALLSTATE_OFFERING
        0x4,         // Param2 = LINECALLPRIVILEGE_OWNER
        0x4,         // Param3 = LINEMEDIAMODE_INTERACTIVEVOICE
        0x0000_0007, // hRemoteLine
    ]);
    let Event::LineCallState(e) = Event::parse(one(&bytes)).unwrap() else {
        panic!()
    };
    assert_eq!(e.h_call(), HCall(0x0001_0002));
    assert_eq!(e.call_state(), LineCallState::OFFERING);
    assert_eq!(e.privilege(), LineCallPrivilege::OWNER);
    assert_eq!(e.media_mode(), LineMediaMode::INTERACTIVEVOICE);
    assert_eq!(e.h_remote_line(), HLine(7));
    let detail = e.typed().field("fnPostProcessProcHandle").unwrap().meaning;
    assert_eq!(detail.to_string(), "LINEOFFERINGMODE_ACTIVE");
    assert_eq!(
        CallStateDetail::new(e.call_state(), e.fn_post_process_proc_handle()),
        CallStateDetail::Offering(LineOfferingMode::ACTIVE)
    );
    assert_eq!(
        e.typed().field("Param1").unwrap().meaning.to_string(),
        "LINECALLSTATE_OFFERING"
    );
}

#[test]
fn line_appnewcall() {
    // 2.2.4.2.1.6 (section 4.4).
    let bytes = dw(&[40, 0x77, 0, 7, 0x17, 0x99, 0, 0x0001_0002, 0x55, 0x56]);
    let Event::LineAppNewCall(e) = Event::parse(one(&bytes)).unwrap() else {
        panic!()
    };
    assert_eq!(e.h_remote_line(), HLine(7));
    assert_eq!(e.address_id(), 0);
    assert_eq!(e.h_new_call(), HCall(0x0001_0002));
    assert_eq!((e.call_id(), e.related_call_id()), (0x55, 0x56));
}

#[test]
fn line_gatherdigits_with_digits() {
    // 2.2.4.2.1.14: 12 DWORDs, then dwNumDigits WCHARs ("12#": 6 bytes + 2 of padding).
    let mut bytes = dw(&[
        56,
        0x77,
        0x1234, // lpContext
        0x0001_0002,
        0x6,
        0x99,
        0x2,  // Param1 = LINEGATHERTERM_TERMDIGIT
        0xAB, // lpsDigitsContext
        1000, // Param3: tick count
        3,    // dwNumDigits
        0x42, // dwEndToEndID
        7,    // hRemoteLine
    ]);
    bytes.extend_from_slice(&[b'1', 0, b'2', 0, b'#', 0, 0, 0]);
    let Event::LineGatherDigits(e) = Event::parse(one(&bytes)).unwrap() else {
        panic!()
    };
    assert_eq!(e.gather_term(), LineGatherTerm::TERMDIGIT);
    assert_eq!(e.lp_context(), 0x1234);
    assert_eq!(e.lps_digits_context(), 0xAB);
    assert_eq!(e.tick_count(), 1000);
    assert_eq!(e.dw_end_to_end_id(), 0x42);
    assert_eq!(e.h_remote_line(), HLine(7));
    let VarValue::Digits(d) = e.var_value().unwrap() else {
        panic!()
    };
    assert_eq!(d.to_string(), "12#");
    // dwNumDigits larger than VarData is caught by the resolver.
    let mut bad = bytes.clone();
    bad[36..40].copy_from_slice(&5u32.to_le_bytes());
    let Event::LineGatherDigits(e) = Event::parse(one(&bad)).unwrap() else {
        panic!()
    };
    let err = e.var_value().unwrap_err();
    assert_eq!(
        (err.packet, err.field, err.offset),
        ("LINE_GATHERDIGITS", "dwNumDigits", 36)
    );
    // Shorter than 12 DWORDs: rejected with the packet's name.
    let short = dw(&[40, 0, 0, 0, 6, 0, 0, 0, 0, 0]);
    let err = Event::parse(one(&short)).unwrap_err();
    assert_eq!(err.packet, "LINE_GATHERDIGITS");
}

#[test]
fn line_createdialoginstance_string() {
    // 2.2.4.2.1.11: Param1 = 40, Param2 = size of VarData, Param3 = its offset.
    let mut bytes = dw(&[52, 0x77, 0, 0x5, 0x1F7, 0x99, 40, 10, 40, 0]);
    bytes.extend_from_slice(&[b'a', 0, b'.', 0, b'd', 0, b'l', 0, 0, 0, 0, 0]);
    let Event::LineCreateDialogInstance(e) = Event::parse(one(&bytes)).unwrap() else {
        panic!()
    };
    assert_eq!(
        (e.fixed_size(), e.var_data_size(), e.var_data_offset()),
        (40, 10, 40)
    );
    let VarValue::Text(s) = e.var_value().unwrap() else {
        panic!()
    };
    assert_eq!(s.to_string(), "a.dl");
    // An offset into the fixed part is rejected.
    let mut bad = bytes.clone();
    bad[32..36].copy_from_slice(&36u32.to_le_bytes());
    let Event::LineCreateDialogInstance(e) = Event::parse(one(&bad)).unwrap() else {
        panic!()
    };
    assert_eq!(e.var_value().unwrap_err().field, "Param3");
}

#[test]
fn line_proxyrequest_structure() {
    // 2.2.4.2.1.21: VarData is a LINEPROXYREQUEST (dwTotalSize first).
    let mut bytes = dw(&[56, 0x77, 0, 0x5, 0x18, 0x99, 0, 0, 0, 0]);
    bytes.extend_from_slice(&dw(&[12, 0x3, 0x4, 0]));
    let Event::LineProxyRequest(e) = Event::parse(one(&bytes)).unwrap() else {
        panic!()
    };
    let VarValue::Structure { name, bytes: s } = e.var_value().unwrap() else {
        panic!()
    };
    assert_eq!((name, s.len()), ("LINEPROXYREQUEST", 12));
}

#[test]
fn line_and_phone_state_packets() {
    let b = dw(&[40, 1, 0, 7, 0x0, 2, 0, 0x20 | 0x40, 0, 0]);
    let Event::LineAddressState(e) = Event::parse(one(&b)).unwrap() else {
        panic!()
    };
    assert_eq!(
        e.address_state(),
        LineAddressState::NUMCALLS | LineAddressState::FORWARD
    );
    assert_eq!(
        e.address_state().to_string(),
        "LINEADDRESSSTATE_NUMCALLS|LINEADDRESSSTATE_FORWARD"
    );

    let b = dw(&[40, 1, 0, 7, 0x8, 2, 0x2, 2, 5, 0]);
    let Event::LineLineDevState(e) = Event::parse(one(&b)).unwrap() else {
        panic!()
    };
    assert_eq!(e.dev_state(), LineDevState::RINGING);
    assert_eq!((e.param2(), e.param3()), (2, 5));

    let b = dw(&[40, 1, 0, 9, 0x12, 2, 0x200, 0x2, 0, 0]);
    let Event::PhoneState(e) = Event::parse(one(&b)).unwrap() else {
        panic!()
    };
    assert_eq!(e.h_remote_phone(), HPhone(9));
    assert_eq!(e.phone_state(), PhoneState::HANDSETHOOKSWITCH);

    let b = dw(&[40, 1, 0, 9, 0xE, 2, 3, 0x2, 0x2, 0]);
    let Event::PhoneButton(e) = Event::parse(one(&b)).unwrap() else {
        panic!()
    };
    assert_eq!(e.button_lamp_id(), 3);
    assert_eq!(e.button_mode(), PhoneButtonMode::CALL);
    assert_eq!(e.button_state(), PhoneButtonState::DOWN);

    let b = dw(&[40, 1, 0xC0, 9, 0x11, 2, 0x33, 0, 0, 0]);
    let Event::PhoneReply(e) = Event::parse(one(&b)).unwrap() else {
        panic!()
    };
    assert_eq!(
        (e.fn_post_process_proc_handle(), e.dw_remote_request_id()),
        (0xC0, RequestId(0x33))
    );

    let b = dw(&[40, 1, 0, 7, 0x1B, 2, 0x500, 0x2, 0x2, 0]);
    let Event::LineAgentSessionStatus(e) = Event::parse(one(&b)).unwrap() else {
        panic!()
    };
    assert_eq!(e.h_agent_session(), HAgentSession(0x500));
    assert_eq!(e.agent_session_status(), LineAgentSessionStatus::STATE);
    assert_eq!(e.agent_session_state(), LineAgentSessionState::READY);

    let b = dw(&[40, 1, 0, 0x10002, 0x9, 2, b'5' as u32, 0x2, 77, 7]);
    let Event::LineMonitorDigits(e) = Event::parse(one(&b)).unwrap() else {
        panic!()
    };
    assert_eq!(e.digit(), u32::from(b'5'));
    assert_eq!(e.digit_mode(), LineDigitMode::DTMF);
    assert_eq!(e.h_remote_line(), HLine(7));
}

#[test]
fn unknown_msg_uses_the_template() {
    let b = dw(&[44, 1, 2, 3, 0x0D, 5, 6, 7, 8, 9, 0xAABB_CCDD]);
    let Event::Unknown(t) = Event::parse(one(&b)).unwrap() else {
        panic!()
    };
    assert_eq!(t.desc().name, "ASYNCEVENTMSG");
    assert_eq!(t.field("Param4").unwrap().value, 9);
    assert_eq!(t.var_area(), &0xAABB_CCDDu32.to_le_bytes());
    assert_eq!(&t.to_builder().to_bytes()[..], &b[..]);
}

#[test]
fn make_call_completion() {
    // 2.2.4.2.2.19 (section 4.3): 13 DWORDs.
    let bytes = dw(&[
        52,
        0x77,
        0x1234, // lpContext
        0,
        0xC,
        0x99,
        0x2A,        // dwRequestId
        0,           // Result
        0x0001_0002, // hCall
        0x5678,      // lphCallContext
        0,           // dwAddressID
        0x55,        // dwCallID
        0,           // dwRelatedCallID
    ]);
    let c = LineMakeCall::from_raw(one(&bytes)).unwrap();
    assert_eq!(c.dw_request_id(), RequestId(0x2A));
    assert!(c.result().is_success());
    assert_eq!(c.h_call(), HCall(0x0001_0002));
    assert_eq!((c.lp_context(), c.lph_call_context()), (0x1234, 0x5678));
    assert_eq!(
        (c.dw_address_id(), c.dw_call_id(), c.dw_related_call_id()),
        (0, 0x55, 0)
    );
    // Shorter than 13 DWORDs: a plain LINE_REPLY, not a MakeCall completion.
    let short = &dw(&[40, 0x77, 0x1234, 0, 0xC, 0x99, 0x2A, 0, 0, 0])[..];
    let err = LineMakeCall::from_raw(one(short)).unwrap_err();
    assert_eq!(err.packet, "MakeCall");
    // A PHONE_REPLY is not a line completion.
    let mut phone = bytes.clone();
    phone[16..20].copy_from_slice(&0x11u32.to_le_bytes());
    assert_eq!(
        LineMakeCall::from_raw(one(&phone)).unwrap_err().field,
        "Msg"
    );
}

#[test]
fn agent_specific_completion_is_qword_padded() {
    // 2.2.4.2.2.1: dwSize = 5 bytes of data, padded so TotalSize (48) is a multiple of 8.
    let mut bytes = dw(&[48, 0x77, 0x1234, 0, 0xC, 0x99, 0x2A, 0, 0xCC, 5]);
    bytes.extend_from_slice(&[1, 2, 3, 4, 5, 0, 0, 0]);
    let Some(SpecialCompletion::LineAgentSpecific(c)) =
        SpecialCompletion::parse(FuncId::LineAgentSpecific, one(&bytes)).unwrap()
    else {
        panic!()
    };
    assert_eq!((c.lp_params_context(), c.dw_size()), (0xCC, 5));
    let VarValue::Sized { bytes: data, .. } = c.var_value().unwrap() else {
        panic!()
    };
    assert_eq!(data, &[1, 2, 3, 4, 5]);
    assert_eq!(c.typed().var_area().len(), 8);
    // The builder pads the same way.
    let built = mstrp::events::completions::builders::LineAgentSpecific::new()
        .init_context(0x77)
        .lp_context(0x1234)
        .open_context(0x99)
        .dw_request_id(0x2Au32)
        .lp_params_context(0xCC)
        .var_data(&[1, 2, 3, 4, 5])
        .to_bytes();
    assert_eq!(&built[..], &bytes[..]);
}

#[test]
fn setup_conference_completion() {
    // 2.2.4.2.2.23: 18 DWORDs.
    let bytes = dw(&[
        72, 1, 2, 0, 0xC, 3, 0x2B, 0, 0x100, 0x101, 0x200, 0x201, 4, 5, 6, 7, 8, 9,
    ]);
    let Some(SpecialCompletion::LineSetUpConference(c)) =
        SpecialCompletion::parse(FuncId::LineSetUpConference, one(&bytes)).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (c.h_conf_call(), c.h_consult_call()),
        (HCall(0x100), HCall(0x200))
    );
    assert_eq!(
        (c.lph_conf_call_context(), c.lph_consult_call_context()),
        (0x101, 0x201)
    );
    assert_eq!(c.dw_consult_call_related_call_id(), 9);
}

#[test]
fn get_queue_info_and_park_completions() {
    // 2.2.4.2.2.17: VarData is a LINEQUEUEINFO of dwSize bytes.
    let mut bytes = dw(&[56, 1, 2, 0, 0xC, 3, 0x2C, 0, 0xD0, 16]);
    bytes.extend_from_slice(&dw(&[16, 16, 16, 0]));
    let Some(SpecialCompletion::LineGetQueueInfo(c)) =
        SpecialCompletion::parse(FuncId::LineGetQueueInfo, one(&bytes)).unwrap()
    else {
        panic!()
    };
    assert_eq!(c.lp_queue_info_context(), 0xD0);
    assert_eq!(
        c.var_value().unwrap(),
        VarValue::Sized {
            structure: Some("LINEQUEUEINFO"),
            bytes: &bytes[40..56]
        }
    );
    // dwSize past TotalSize: the resolver names dwSize at byte 36.
    let mut bad = bytes.clone();
    bad[36..40].copy_from_slice(&20u32.to_le_bytes());
    let c = SpecialCompletion::parse(FuncId::LineGetQueueInfo, one(&bad))
        .unwrap()
        .unwrap();
    let e = c.typed().var_value().unwrap_err();
    assert_eq!(
        (e.packet, e.field, e.offset),
        ("GetQueueInfo", "dwSize", 36)
    );

    // 2.2.4.2.2.20: Park returns a VARSTRING.
    let mut bytes = dw(&[52, 1, 2, 0, 0xC, 3, 0x2D, 0, 0xE0, 12]);
    bytes.extend_from_slice(&dw(&[12, 12, 12]));
    let Some(SpecialCompletion::LinePark(c)) =
        SpecialCompletion::parse(FuncId::LinePark, one(&bytes)).unwrap()
    else {
        panic!()
    };
    assert_eq!(c.lp_non_dir_address_context(), 0xE0);
    assert!(matches!(
        c.var_value().unwrap(),
        VarValue::Sized {
            structure: Some("VARSTRING"),
            ..
        }
    ));
}

#[test]
fn functions_without_a_special_case_decode_as_none() {
    let b = dw(&[40, 1, 2, 0, 0xC, 3, 4, 0, 0, 0]);
    assert_eq!(
        SpecialCompletion::parse(FuncId::LineAnswer, one(&b)).unwrap(),
        None
    );
    assert!(SpecialCompletion::desc_for(FuncId::LineAnswer).is_none());
    assert_eq!(
        SpecialCompletion::desc_for(FuncId::LineMakeCall)
            .unwrap()
            .fixed_len(),
        52
    );
}

#[test]
fn events_of_a_buffer_keep_their_positions() {
    let mut buf = dw(&[40, 1, 0, 7, 0x17, 2, 0, 0x10002, 0, 0]);
    buf.extend(dw(&[40, 1, 0x1, 0x10002, 0x2, 2, 0x2, 0x4, 0x4, 7]));
    let events: Vec<_> = EventBuffer::new(&buf)
        .iter()
        .map(|r| Event::parse(r.unwrap()).unwrap())
        .collect();
    assert_eq!(events.len(), 2);
    let t = events[1].typed();
    assert_eq!((t.raw().index, t.raw().offset), (1, 40));
    assert_eq!(t.desc().name, "LINE_CALLSTATE");
}
