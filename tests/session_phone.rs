//! Phone devices end to end (issue 11): `ClientSession` ↔ `ServerSession` in memory. The
//! asynchronous phone requests (SetRing, SetHookSwitch, SetVolume, SetGain, SetDisplay,
//! 2.2.4.1.6.16-22) return a positive request id and complete exactly once with PHONE_REPLY
//! (2.2.4.2.1.31), at once or when their phone closes; what they set is what the Get requests
//! report; the simulated phone refuses what its PHONECAPS does not offer.
//!
//! Expected values are the spec's: offsets from the packet diagrams (PHONE_REPLY
//! 2.2.4.2.1.31, GetRing 2.2.4.1.6.9, ..., PHONECAPS 2.2.6.42), the error values of
//! PHONEERR_Constants (2.2.3.2.4), and the phone model of spec-notes/session.md ("Phone
//! devices"): handset and speaker, ring modes 1-3, a 2 × 20 display.

use mstrp::handles::{HPhone, RequestId, Version};
use mstrp::replies::Reply;
use mstrp::requests::FuncId;
use mstrp::session::client::{
    AttachKind, ClientConfig, ClientEvent, ClientSession, Outgoing, RequestIds, SessionError,
};
use mstrp::session::{AsyncCompletion, ServerConfig, ServerSession};
use mstrp::structures::VARSTRING;

const MACHINE: &str = "CLIENT\"ncacn_ip_tcp\"50001\"";
/// PHONE_REPLY's Msg (2.2.4.2.1.31).
const PHONE_REPLY: u32 = 0x0000_0011;
/// PHONEHOOKSWITCHDEV_ (2.2.3.2.6).
const HANDSET: u32 = 0x1;
const SPEAKER: u32 = 0x2;
const HEADSET: u32 = 0x4;
/// PHONEHOOKSWITCHMODE_ (2.2.3.2.7).
const ONHOOK: u32 = 0x1;
const MIC: u32 = 0x2;
const MODE_UNKNOWN: u32 = 0x10;
/// PHONEPRIVILEGE_ (2.2.3.2.10).
const MONITOR: u32 = 0x1;
const OWNER: u32 = 0x2;
/// PHONEERR_ (2.2.3.2.4) as they travel (0x90000000 | value).
const INVALHOOKSWITCHDEV: u32 = 0x9000_000F;
const INVALHOOKSWITCHMODE: u32 = 0x9000_0010;
const INVALPARAM: u32 = 0x9000_0012;
const INVALRINGMODE: u32 = 0x9000_0017;
const NOTOWNER: u32 = 0x9000_001B;
const OPERATIONFAILED: u32 = 0x9000_001C;

fn dword(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

struct Phone {
    client: ClientSession,
    server: ServerSession,
    h_phone: HPhone,
}

impl Phone {
    /// Attached (push model), phone app initialized, phone 0 negotiated and open with
    /// `privilege`.
    fn open(completion: AsyncCompletion, ids: RequestIds, privilege: u32) -> Phone {
        let config = ServerConfig {
            async_completion: completion,
            ..ServerConfig::default()
        };
        let mut client = ClientSession::with_config(ClientConfig {
            request_ids: ids,
            ..ClientConfig::default()
        });
        let mut server = ServerSession::new(config);
        client.attach(AttachKind::push(MACHINE)).unwrap();
        let a = server.attach(-1, "", MACHINE);
        client
            .attached(a.return_value, a.async_events_event as i32)
            .unwrap();
        let mut p = Phone {
            client,
            server,
            h_phone: HPhone(0),
        };
        let out = p.client.phone_initialize("CLIENT").unwrap();
        p.ok(out);
        let out = p
            .client
            .phone_negotiate_api_version(0, Version::TAPI_1_4, Version::TAPI_3_1)
            .unwrap();
        p.ok(out);
        let v = p.client.phone_device(0).api.unwrap();
        let out = p.client.phone_open(0, v, privilege, Version(0)).unwrap();
        p.ok(out);
        p.h_phone = p.client.phones().next().unwrap().0;
        p
    }

    /// Sends `out`; returns the reply bytes after the client accepted them.
    fn send(&mut self, out: Outgoing) -> Vec<u8> {
        let func = out.pending.func;
        let bytes = out.into_bytes();
        let reply = self
            .server
            .request(&bytes, u32::try_from(bytes.len()).unwrap());
        self.client
            .on_reply_for(func, &reply)
            .unwrap_or_else(|e| panic!("{func:?}: the client refused the reply: {e}"));
        reply
    }

    fn ok(&mut self, out: Outgoing) -> Vec<u8> {
        let reply = self.send(out);
        assert_eq!(dword(&reply, 0), 0, "Ack_ReturnValue");
        reply
    }

    /// Sends an asynchronous request and returns the request id its reply carries.
    fn issue(&mut self, out: Outgoing) -> u32 {
        let reply = self.send(out);
        let id = dword(&reply, 0);
        assert!(
            (1..=0x7FFF_FFFF).contains(&id),
            "a positive request id, got {id:#x}"
        );
        id
    }

    /// The queued events, each checked to be a PHONE_REPLY, delivered to the client; returns
    /// (dwRemoteRequestID, Param2) of each, and checks the client completes each once.
    fn replies(&mut self) -> Vec<(u32, u32)> {
        let bytes = self.server.take_events(usize::MAX);
        let mut out = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let e = &bytes[at..];
            // PHONE_REPLY (2.2.4.2.1.31): ten DWORDs.
            assert_eq!(dword(e, 0), 40, "TotalSize");
            assert_eq!(
                dword(e, 4),
                2,
                "InitContext: ClientConfig::phone_init_context"
            );
            assert_eq!(
                dword(e, 8),
                0,
                "fnPostProcessProcHandle: phone requests have no lpContext"
            );
            assert_eq!(dword(e, 12), self.h_phone.0, "hDevice");
            assert_eq!(dword(e, 16), PHONE_REPLY, "Msg");
            out.push((dword(e, 24), dword(e, 28)));
            at += 40;
        }
        if !bytes.is_empty() {
            let events = self.client.on_events(&bytes).unwrap();
            let completed: Vec<(u32, u32)> = events
                .iter()
                .filter_map(|e| match e {
                    ClientEvent::Completed { id, result, .. } => Some((id.0, result.0)),
                    _ => None,
                })
                .collect();
            assert_eq!(completed, out, "the client completes each request once");
        }
        out
    }

    /// A synchronous request the client builds with `make`, answered with success.
    fn get(
        &mut self,
        make: impl FnOnce(&mut ClientSession) -> Result<Outgoing, SessionError>,
    ) -> Vec<u8> {
        let out = make(&mut self.client).unwrap();
        self.ok(out)
    }
}

fn immediate() -> Phone {
    Phone::open(
        AsyncCompletion::Immediate,
        RequestIds::ServerAssigned,
        OWNER,
    )
}

#[test]
fn every_set_request_completes_once_with_phone_reply() {
    let mut p = immediate();
    let h = p.h_phone;
    let out = p.client.phone_set_ring(h, 2, 0x8000).unwrap();
    let id = p.issue(out);
    assert_eq!(p.replies(), vec![(id, 0)]);
    let out = p.client.phone_set_hook_switch(h, HANDSET, MIC).unwrap();
    let id = p.issue(out);
    assert_eq!(p.replies(), vec![(id, 0)]);
    let out = p.client.phone_set_volume(h, SPEAKER, 0x1234).unwrap();
    let id = p.issue(out);
    assert_eq!(p.replies(), vec![(id, 0)]);
    let out = p.client.phone_set_gain(h, HANDSET, 0x4321).unwrap();
    let id = p.issue(out);
    assert_eq!(p.replies(), vec![(id, 0)]);
    let out = p.client.phone_set_display(h, 1, 3, "mstrp").unwrap();
    let id = p.issue(out);
    assert_eq!(p.replies(), vec![(id, 0)]);
    assert_eq!(p.client.outstanding().count(), 0);
    assert!(p.server.outstanding_requests().is_empty());
}

#[test]
fn a_client_chosen_request_id_is_echoed() {
    // 2.2.4.1.6.20: "If the client specified a nonzero value in the dwRequestID field of the
    // packet, the same value MUST be used for the returned positive request identifier."
    let mut p = Phone::open(AsyncCompletion::Immediate, RequestIds::ClientChosen, OWNER);
    let out = p.client.phone_set_ring(p.h_phone, 1, 0).unwrap();
    let chosen = out.request_id.expect("the client chose an id").0;
    assert_eq!(dword(&out, 8), chosen, "dwRequestID in the request");
    assert_eq!(p.issue(out), chosen);
    assert_eq!(p.replies(), vec![(chosen, 0)]);
}

#[test]
fn what_the_set_requests_change_the_get_requests_report() {
    let mut p = immediate();
    let h = p.h_phone;
    // Untouched: not ringing, every hookswitch on hook (GetHookSwitch: no device off hook).
    let r = p.get(|c| c.phone_get_ring(h));
    assert_eq!(dword(&r, 12), 0, "lpdwRingMode");
    let r = p.get(|c| c.phone_get_hook_switch(h));
    assert_eq!(dword(&r, 12), 0, "lpdwHookSwitchDevs");

    let out = p.client.phone_set_ring(h, 3, 0x8000).unwrap();
    p.issue(out);
    // "A value for dwVolume that is out of range is clamped ... to the nearest value in
    // range" (2.2.4.1.6.22).
    let out = p.client.phone_set_volume(h, SPEAKER, 0x0012_3456).unwrap();
    p.issue(out);
    let out = p.client.phone_set_gain(h, HANDSET, 0x4321).unwrap();
    p.issue(out);
    let out = p
        .client
        .phone_set_hook_switch(h, HANDSET | SPEAKER, MIC)
        .unwrap();
    p.issue(out);
    let out = p.client.phone_set_display(h, 1, 3, "mstrp").unwrap();
    p.issue(out);
    assert_eq!(p.replies().len(), 5);

    // GetRing (2.2.4.1.6.9): lpdwRingMode at byte 12, lpdwVolume at 16.
    let r = p.get(|c| c.phone_get_ring(h));
    assert_eq!((dword(&r, 12), dword(&r, 16)), (3, 0x8000));
    // GetVolume (2.2.4.1.6.11) / GetGain (2.2.4.1.6.5): the level at byte 16.
    let r = p.get(|c| c.phone_get_volume(h, SPEAKER));
    assert_eq!(dword(&r, 16), 0xFFFF);
    let r = p.get(|c| c.phone_get_volume(h, HANDSET));
    assert_eq!(
        dword(&r, 16),
        0x7FFF,
        "the handset's volume is untouched (mid level)"
    );
    let r = p.get(|c| c.phone_get_gain(h, HANDSET));
    assert_eq!(dword(&r, 16), 0x4321);
    // GetHookSwitch (2.2.4.1.6.6): the devices that are off hook.
    let r = p.get(|c| c.phone_get_hook_switch(h));
    assert_eq!(dword(&r, 12), HANDSET | SPEAKER);
    let out = p.client.phone_set_hook_switch(h, SPEAKER, ONHOOK).unwrap();
    p.issue(out);
    p.replies();
    let r = p.get(|c| c.phone_get_hook_switch(h));
    assert_eq!(dword(&r, 12), HANDSET);

    // GetDisplay (2.2.4.1.6.4): a VARSTRING of the 2 rows of 20 columns; "mstrp" at row 1,
    // column 3.
    let r = p.get(|c| c.phone_get_display(h));
    let reply = Reply::parse(FuncId::PhoneGetDisplay, &r).unwrap();
    let bytes = reply
        .output_named("lpDisplay")
        .unwrap()
        .data
        .unwrap()
        .unwrap();
    let display = VARSTRING::parse(bytes).unwrap();
    let text = display.string().unwrap().unwrap().to_string();
    let expected = format!("{}{}mstrp{}", " ".repeat(20), "   ", " ".repeat(12));
    assert_eq!(text, expected);
}

#[test]
fn with_on_close_completion_close_completes_the_phone_requests_with_a_failure() {
    let mut p = Phone::open(AsyncCompletion::OnClose, RequestIds::ServerAssigned, OWNER);
    let h = p.h_phone;
    let out = p.client.phone_set_ring(h, 2, 0x100).unwrap();
    let a = p.issue(out);
    let out = p.client.phone_set_display(h, 0, 0, "x").unwrap();
    let b = p.issue(out);
    assert!(p.replies().is_empty(), "nothing completes before Close");
    assert_eq!(p.server.outstanding_requests(), vec![a, b]);
    // Not completed, so not in effect.
    let r = p.get(|c| c.phone_get_ring(h));
    assert_eq!(dword(&r, 12), 0);
    let out = p.client.phone_close(h).unwrap();
    p.ok(out);
    assert_eq!(
        p.replies(),
        vec![(a, OPERATIONFAILED), (b, OPERATIONFAILED)],
        "Close forces every outstanding request of the phone to complete (issue 11)"
    );
    assert!(p.server.outstanding_requests().is_empty());
    assert_eq!(p.client.outstanding().count(), 0);
}

#[test]
fn with_on_close_completion_shutdown_completes_the_phone_requests() {
    let mut p = Phone::open(AsyncCompletion::OnClose, RequestIds::ServerAssigned, OWNER);
    let out = p.client.phone_set_gain(p.h_phone, SPEAKER, 1).unwrap();
    let id = p.issue(out);
    let out = p.client.phone_shutdown().unwrap();
    p.ok(out);
    // The client abandoned the request with its app; the server still completes it.
    let bytes = p.server.take_events(usize::MAX);
    assert_eq!(bytes.len(), 40);
    assert_eq!(dword(&bytes, 16), PHONE_REPLY);
    assert_eq!(
        (dword(&bytes, 24), dword(&bytes, 28)),
        (id, OPERATIONFAILED)
    );
    assert!(p.server.open_phones().is_empty());
    assert!(p.server.outstanding_requests().is_empty());
}

/// The reply to `out` fails synchronously with `code` and nothing is queued.
fn refused(p: &mut Phone, out: Outgoing, code: u32) {
    let reply = p.send(out);
    assert_eq!(dword(&reply, 0), code, "Ack_ReturnValue");
    assert!(!p.server.has_events());
    assert_eq!(p.client.outstanding().count(), 0);
}

#[test]
fn a_ring_mode_past_num_ring_modes_fails_with_invalringmode() {
    // 2.2.4.1.6.20: dwRingMode "MUST be within the range from zero through the value of the
    // dwNumRingModes member"; the simulated phone has 3.
    let mut p = immediate();
    let out = p.client.phone_set_ring(p.h_phone, 4, 0).unwrap();
    refused(&mut p, out, INVALRINGMODE);
}

#[test]
fn a_hookswitch_device_the_phone_lacks_fails_with_invalhookswitchdev() {
    let mut p = immediate();
    let h = p.h_phone;
    let out = p.client.phone_set_volume(h, HEADSET, 1).unwrap();
    refused(&mut p, out, INVALHOOKSWITCHDEV);
    let out = p.client.phone_set_gain(h, HEADSET, 1).unwrap();
    refused(&mut p, out, INVALHOOKSWITCHDEV);
    let out = p
        .client
        .phone_set_hook_switch(h, HANDSET | HEADSET, MIC)
        .unwrap();
    refused(&mut p, out, INVALHOOKSWITCHDEV);
    let out = p.client.phone_get_volume(h, HEADSET).unwrap();
    let reply = p.send(out);
    assert_eq!(dword(&reply, 0), INVALHOOKSWITCHDEV);
}

#[test]
fn a_mode_the_phone_cannot_set_fails_with_invalhookswitchmode() {
    // PHONEHOOKSWITCHMODE_UNKNOWN passes the 3.1.4.2 rule (one valid bit) but is not among
    // the phone's dwSettableHandsetHookSwitchModes.
    let mut p = immediate();
    let out = p
        .client
        .phone_set_hook_switch(p.h_phone, HANDSET, MODE_UNKNOWN)
        .unwrap();
    refused(&mut p, out, INVALHOOKSWITCHMODE);
}

#[test]
fn a_row_or_column_off_the_display_fails_with_invalparam() {
    // 2.2.4.1.6.16: dwRow in 0 to dwDisplayNumRows − 1, dwColumn in 0 to
    // dwDisplayNumColumns − 1 (2 and 20 here).
    let mut p = immediate();
    let out = p.client.phone_set_display(p.h_phone, 2, 0, "x").unwrap();
    refused(&mut p, out, INVALPARAM);
    let out = p.client.phone_set_display(p.h_phone, 0, 20, "x").unwrap();
    refused(&mut p, out, INVALPARAM);
}

#[test]
fn a_monitor_cannot_set_fails_with_notowner() {
    // 3.1.4.2, SetRing: "The server MUST fail if the client does not have privileges greater
    // than or equal to PHONEPRIVILEGE_OWNER."
    let mut p = Phone::open(
        AsyncCompletion::Immediate,
        RequestIds::ServerAssigned,
        MONITOR,
    );
    let out = p.client.phone_set_ring(p.h_phone, 1, 0).unwrap();
    refused(&mut p, out, NOTOWNER);
}

#[test]
fn the_client_refuses_a_set_request_on_a_closed_phone() {
    let mut p = immediate();
    let h = p.h_phone;
    let out = p.client.phone_close(h).unwrap();
    p.ok(out);
    let e = p.client.phone_set_ring(h, 1, 0).unwrap_err();
    assert!(e.to_string().contains("phone"), "{e}");
}

#[test]
fn phonecaps_describes_the_phone_model() {
    let mut p = immediate();
    let v = p.client.phone_device(0).api.unwrap();
    assert!(v.0 >= Version::TAPI_2_0.0, "negotiated {v}");
    let reply = p.get(|c| c.phone_get_dev_caps(0, v, Version(0)));
    let r = Reply::parse(FuncId::PhoneGetDevCaps, &reply).unwrap();
    let caps = r
        .output_named("lpPhoneCaps")
        .unwrap()
        .data
        .unwrap()
        .unwrap();
    // PHONECAPS (2.2.6.42) at its diagram's byte offsets.
    assert_eq!(dword(caps, 48), HANDSET | SPEAKER, "dwHookSwitchDevs");
    assert_eq!(dword(caps, 64), HANDSET | SPEAKER, "dwVolumeFlags");
    assert_eq!(dword(caps, 72), 2, "dwDisplayNumRows");
    assert_eq!(dword(caps, 76), 20, "dwDisplayNumColumns");
    assert_eq!(dword(caps, 80), 3, "dwNumRingModes");
    // dwPhoneFeatures (TAPI 2.0 and later): PHONEFEATURE_SETRING 0x01000000 and
    // PHONEFEATURE_GETRING 0x00000400 (2.2.3.2.5), no headset features (0x00080000).
    let features = dword(caps, 152);
    assert_eq!(features & 0x0100_0400, 0x0100_0400);
    assert_eq!(features & 0x0008_0000, 0);
}

#[test]
fn the_client_ignores_a_line_reply_for_a_phone_request() {
    // A phone request completes with PHONE_REPLY (2.2.4.1.6.20, "the corresponding
    // PHONE_REPLY packet"): a LINE_REPLY carrying its id is the wrong kind, ignored, and the
    // request stays outstanding.
    let mut p = Phone::open(AsyncCompletion::OnClose, RequestIds::ClientChosen, OWNER);
    let out = p.client.phone_set_ring(p.h_phone, 1, 0).unwrap();
    let id = p.issue(out);
    assert_eq!(
        p.client.outstanding().collect::<Vec<_>>(),
        vec![(RequestId(id), FuncId::PhoneSetRing)]
    );
    // A LINE_REPLY (Msg 0x0C) for the phone request.
    let mut e = Vec::new();
    for v in [40u32, 2, 0, p.h_phone.0, 0x0C, 0, id, 0, 0, 0] {
        e.extend_from_slice(&v.to_le_bytes());
    }
    let got = p.client.on_events(&e).unwrap();
    assert!(
        matches!(
            got.as_slice(),
            [ClientEvent::Ignored {
                msg: 0x0C,
                reason: SessionError::WrongReplyKind { .. },
                ..
            }]
        ),
        "{got:?}"
    );
    assert_eq!(p.client.outstanding().count(), 1);
}
