//! Property tests: builder → bytes → decode → builder round trips for every event kind and for
//! whole buffers, byte-exact; framing never panics and never loses a well-formed event.

use mstrp::events::completions::SpecialCompletion;
use mstrp::events::{
    ASYNC_EVENT_MSG, Event, EventBuffer, EventBufferBuilder, EventBuilder, EventDesc, EventKey,
    Msg, Padding, RawEvent, TypedEvent, VarDataDesc, VarValue,
};
use proptest::prelude::*;

fn all_descs() -> Vec<&'static EventDesc> {
    let mut v: Vec<&'static EventDesc> = Msg::ALL.iter().map(|m| m.desc()).collect();
    v.extend(SpecialCompletion::ALL.iter().copied());
    v.push(&ASYNC_EVENT_MSG);
    v
}

/// Decodes `raw` the way its builder's description says.
fn decode<'a>(desc: &'static EventDesc, raw: RawEvent<'a>) -> TypedEvent<'a> {
    match desc.key {
        EventKey::Completion(f) => SpecialCompletion::parse(f, raw).unwrap().unwrap().typed(),
        _ => Event::parse(raw).unwrap().typed(),
    }
}

/// A builder for `desc` with every DWORD after `TotalSize` random (except `Msg`) and a random
/// DWORD-aligned VarData area.
fn builder(desc: &'static EventDesc, dwords: &[u32], area: &[u8]) -> EventBuilder {
    let mut b = EventBuilder::new(desc);
    for i in 1..desc.fields.len() {
        let v = dwords[i % dwords.len()];
        match (i, desc.key) {
            (4, EventKey::Template) => b.set(4, 0x1000 | (v & 0xFFF)),
            (4, _) => &mut b,
            _ => b.set(i, v),
        };
    }
    b.set_var_area(area[..area.len() / 4 * 4].to_vec());
    b
}

fn any_event() -> impl Strategy<Value = EventBuilder> {
    let descs = all_descs();
    (
        0..descs.len(),
        prop::collection::vec(any::<u32>(), 18),
        prop::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(move |(i, d, a)| builder(descs[i], &d, &a))
}

proptest! {
    #[test]
    fn every_kind_round_trips(b in any_event()) {
        let bytes = b.to_bytes();
        let raw = RawEvent::parse(&bytes).unwrap();
        let t = decode(b.desc(), raw);
        prop_assert_eq!(t.desc(), b.desc());
        for f in t.fields() {
            prop_assert_eq!(Some(f.value), b.get(f.index));
        }
        let again = t.to_builder();
        prop_assert_eq!(&again, &b);
        prop_assert_eq!(&again.to_bytes()[..], &bytes[..]);
    }

    #[test]
    fn buffers_round_trip(events in prop::collection::vec(any_event(), 1..8)) {
        let mut bb = EventBufferBuilder::new();
        for e in &events {
            bb.push(e.clone());
        }
        let bytes = bb.to_bytes();
        let (raws, err) = EventBuffer::new(&bytes).split();
        prop_assert_eq!(err, None);
        prop_assert_eq!(raws.len(), events.len());
        let decoded: EventBufferBuilder = raws
            .iter()
            .zip(&events)
            .map(|(r, e)| decode(e.desc(), *r))
            .collect();
        prop_assert_eq!(&decoded.to_bytes()[..], &bytes[..]);
        prop_assert_eq!(decoded, bb);
    }

    #[test]
    fn var_data_setter_fills_sizes_and_pads(i in 0usize..59, data in prop::collection::vec(any::<u8>(), 0..40)) {
        let desc = all_descs()[i];
        let mut b = EventBuilder::new(desc);
        b.set_var_data(&data);
        let bytes = b.to_bytes();
        let unit = if desc.padding == Padding::Qword { 8 } else { 4 };
        prop_assert_eq!(bytes.len() % unit, 0);
        let t = decode(desc, RawEvent::parse(&bytes).unwrap());
        match desc.var {
            VarDataDesc::Sized { .. } => {
                prop_assert_eq!(t.var_value().unwrap(), VarValue::Sized { structure: match desc.var { VarDataDesc::Sized { structure, .. } => structure, _ => None }, bytes: &data[..] });
            }
            VarDataDesc::Wchars { .. } => {
                let VarValue::Digits(d) = t.var_value().unwrap() else { panic!() };
                prop_assert_eq!(d.as_bytes(), &data[..data.len() / 2 * 2]);
            }
            VarDataDesc::StringAt { .. } if data.len() % 2 == 0 => {
                let VarValue::Text(s) = t.var_value().unwrap() else { panic!() };
                let units: Vec<u16> = data.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|u| *u != 0).collect();
                prop_assert_eq!(s.units().collect::<Vec<_>>(), units);
            }
            _ => {}
        }
    }

    #[test]
    fn framing_never_panics_and_keeps_prefix(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let (raws, err) = EventBuffer::new(&bytes).split();
        let mut pos = 0;
        for (i, r) in raws.iter().enumerate() {
            prop_assert_eq!((r.index, r.offset), (i, pos));
            prop_assert_eq!(r.bytes(), &bytes[pos..pos + r.total_size() as usize]);
            pos += r.bytes().len();
        }
        match err {
            None => prop_assert_eq!(pos, bytes.len()),
            Some(e) => prop_assert_eq!((e.index, e.offset), (raws.len(), pos)),
        }
        mstrp::events::exercise(&bytes);
    }

    #[test]
    fn truncation_keeps_the_whole_events(events in prop::collection::vec(any_event(), 1..6), cut in any::<prop::sample::Index>()) {
        let mut bb = EventBufferBuilder::new();
        for e in &events {
            bb.push(e.clone());
        }
        let bytes = bb.to_bytes();
        let cut = cut.index(bytes.len());
        let (raws, err) = EventBuffer::new(&bytes[..cut]).split();
        let mut ends = Vec::new();
        let mut end = 0;
        for e in &events {
            end += e.encoded_len();
            ends.push(end);
        }
        let whole = ends.iter().filter(|&&e| e <= cut).count();
        prop_assert_eq!(raws.len(), whole);
        prop_assert_eq!(err.is_some(), cut == 0 || !ends.contains(&cut));
    }
}
