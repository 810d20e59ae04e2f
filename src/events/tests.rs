//! Unit tests of the fast field paths (`for_each_field`, `Event::parse_fields`): they yield
//! what the generic `TypedEvent::fields` yields, for every packet of both catalogues.

use alloc::vec::Vec;

use proptest::prelude::*;

use super::completions::SpecialCompletion;
use super::constants::{
    ConstKind, LineCallPrivilege, LineCallState, LineMediaMode, LineOfferingMode,
};
use super::{
    ASYNC_EVENT_MSG, CallStateDetail, Event, EventDesc, EventField, EventFieldValue, EventKey,
    EventRole, Meaning, Msg, Padding, RawEvent, RemoteCheck, TypedEvent, VarDataDesc,
};
use crate::errors::DecodeErrorKind;
use crate::handles::HandleKind;

fn all_descs() -> Vec<&'static EventDesc> {
    let mut v: Vec<&'static EventDesc> = Msg::ALL.iter().map(|m| m.desc()).collect();
    v.extend(SpecialCompletion::ALL.iter().copied());
    v.push(&ASYNC_EVENT_MSG);
    v
}

/// The fixed part of `desc` with `TotalSize` and `Msg` right and every other DWORD from
/// `dwords`, written by hand (not by the builders under test).
fn event_bytes(desc: &EventDesc, dwords: &[u32]) -> Vec<u8> {
    let msg = match desc.key {
        EventKey::Template => 0x1000 | (dwords[4] & 0xFFF), // not a documented Msg
        _ => desc.msg,
    };
    let mut out = Vec::new();
    for i in 0..desc.fields.len() {
        let v = match i {
            0 => u32::try_from(desc.fixed_len()).unwrap(),
            4 => msg,
            _ => dwords[i % dwords.len()],
        };
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

fn collect(visit: impl FnOnce(&mut dyn FnMut(EventFieldValue))) -> Vec<EventFieldValue> {
    let mut out = Vec::new();
    visit(&mut |f| out.push(f));
    out
}

proptest! {
    #[test]
    fn fast_paths_yield_the_generic_fields(
        which in any::<prop::sample::Index>(),
        dwords in prop::collection::vec(any::<u32>(), 12),
    ) {
        let descs = all_descs();
        let desc = descs[which.index(descs.len())];
        let bytes = event_bytes(desc, &dwords);
        let raw = RawEvent::parse(&bytes).unwrap();
        let (generic, fast): (Vec<_>, Vec<_>) = match desc.key {
            EventKey::Completion(func) => {
                let c = SpecialCompletion::parse(func, raw).unwrap().unwrap();
                (c.typed().fields().collect(), collect(|f| c.for_each_field(f)))
            }
            _ => {
                let e = Event::parse(raw).unwrap();
                let mut seen = Vec::new();
                let again = Event::parse_fields(raw, |f| seen.push(f)).unwrap();
                prop_assert_eq!(again, e);
                prop_assert_eq!(&seen, &collect(|f| e.for_each_field(f)));
                (e.typed().fields().collect(), seen)
            }
        };
        prop_assert_eq!(generic.len(), desc.fields.len());
        prop_assert_eq!(&fast, &generic);
        for (i, f) in fast.iter().enumerate() {
            prop_assert_eq!(f.index, i);
            prop_assert!(core::ptr::eq(f.field, &desc.fields[i]));
            prop_assert_eq!(f.value, u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap()));
        }
    }
}

/// LINE_CALLSTATE (2.2.4.2.1.8, Msg 2) offering a call: Param1 LINECALLSTATE_OFFERING
/// (0x00000002, 2.2.3.1.29), so fnPostProcessProcHandle is a LINEOFFERINGMODE (table of
/// 2.2.4.2.1.8), here LINEOFFERINGMODE_ACTIVE (0x00000001, 2.2.3.1.45); Param2
/// LINECALLPRIVILEGE_OWNER (0x00000004, 2.2.3.1.26); Param3 LINEMEDIAMODE_INTERACTIVEVOICE
/// (0x00000004, 2.2.3.1.44).
const OFFERING: [u32; 10] = [40, 0x11, 0x0000_0001, 0x1234, 2, 0x22, 0x0000_0002, 4, 4, 7];

#[test]
fn line_callstate_fields_have_their_spec_meaning() {
    let bytes: Vec<u8> = OFFERING.iter().flat_map(|d| d.to_le_bytes()).collect();
    let raw = RawEvent::parse(&bytes).unwrap();
    let mut seen = Vec::new();
    let e = Event::parse_fields(raw, |f| seen.push((f.field.name, f.value, f.meaning))).unwrap();
    assert_eq!(e.msg(), Some(Msg::LineCallState));
    assert_eq!(
        seen,
        [
            ("TotalSize", 40, Meaning::None),
            ("InitContext", 0x11, Meaning::None),
            (
                "fnPostProcessProcHandle",
                1,
                Meaning::CallStateDetail(CallStateDetail::Offering(LineOfferingMode::ACTIVE)),
            ),
            ("hCall", 0x1234, Meaning::Handle(HandleKind::HCall)),
            ("Msg", 2, Meaning::None),
            ("OpenContext", 0x22, Meaning::None),
            ("Param1", 2, Meaning::Constant(ConstKind::LineCallState, 2)),
            (
                "Param2",
                4,
                Meaning::Constant(ConstKind::LineCallPrivilege, 4)
            ),
            ("Param3", 4, Meaning::Constant(ConstKind::LineMediaMode, 4)),
            ("hRemoteLine", 7, Meaning::Handle(HandleKind::HLine)),
        ]
    );
    assert_eq!(LineCallState::OFFERING.get(), 2);
    assert_eq!(LineCallPrivilege::OWNER.get(), 4);
    assert_eq!(LineMediaMode::INTERACTIVEVOICE.get(), 4);
}

#[test]
fn parse_fields_calls_nothing_for_an_event_that_does_not_decode() {
    // LINE_GATHERDIGITS (Msg 6, 2.2.4.2.1.14) has a 12-DWORD fixed part; TotalSize 40 is short.
    let mut dwords = [0u32; 10];
    dwords[0] = 40;
    dwords[4] = 6;
    let bytes: Vec<u8> = dwords.iter().flat_map(|d| d.to_le_bytes()).collect();
    let raw = RawEvent::parse(&bytes).unwrap();
    let mut calls = 0;
    let err = Event::parse_fields(raw, |_| calls += 1).unwrap_err();
    assert_eq!(calls, 0);
    assert_eq!(err.packet, "LINE_GATHERDIGITS");
    assert!(matches!(
        err.kind,
        DecodeErrorKind::TotalSizeTooSmall { total: 40, min: 48 }
    ));
}

/// A description whose `Param1` is not at DWORD 6: the call state is found by name.
static MOVED_PARAM1: EventDesc = EventDesc {
    ident: "Moved",
    name: "MOVED",
    section: "test",
    msg: 2,
    key: EventKey::Msg,
    fields: &[
        field("TotalSize", 0, EventRole::TotalSize),
        field("InitContext", 1, EventRole::InitContext),
        field("Param1", 2, EventRole::Value),
        field("hCall", 3, EventRole::Handle(HandleKind::HCall)),
        field("Msg", 4, EventRole::Msg),
        field("OpenContext", 5, EventRole::OpenContext),
        field("fnPostProcessProcHandle", 6, EventRole::CallStateDetail),
        field("Param2", 7, EventRole::Value),
        field("Param3", 8, EventRole::Value),
        field("Param4", 9, EventRole::Value),
    ],
    var: VarDataDesc::None,
    padding: Padding::Dword,
    check: RemoteCheck::None,
};

const fn field(name: &'static str, i: usize, role: EventRole) -> EventField {
    EventField {
        name,
        ident: name,
        offset: 4 * i,
        role,
    }
}

#[test]
fn call_state_detail_reads_param1_wherever_it_is() {
    // Param1 (DWORD 2) LINECALLSTATE_OFFERING, the detail (DWORD 6) LINEOFFERINGMODE_ACTIVE.
    let dwords = [40u32, 0, 0x0000_0002, 0, 2, 0, 0x0000_0001, 0, 0, 0];
    let bytes: Vec<u8> = dwords.iter().flat_map(|d| d.to_le_bytes()).collect();
    let t = TypedEvent::new(&MOVED_PARAM1, RawEvent::parse(&bytes).unwrap()).unwrap();
    let detail = t.fields().nth(6).unwrap().meaning;
    assert_eq!(
        detail,
        Meaning::CallStateDetail(CallStateDetail::Offering(LineOfferingMode::ACTIVE))
    );
    assert_eq!(t.field("fnPostProcessProcHandle").unwrap().meaning, detail);
}
