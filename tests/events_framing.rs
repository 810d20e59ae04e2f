//! Negative tests for every framing rule of 3.3.4.2, and the guarantee that the events before a
//! bad one are still returned with their index and offset.
//!
//! Buffers are laid out by hand, DWORD by DWORD.

use mstrp::errors::DecodeErrorKind;
use mstrp::events::{EventBuffer, EventError, RawEvent};

fn dw(d: &[u32]) -> Vec<u8> {
    d.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A well-formed LINE_CLOSE (2.2.4.2.1.9), `TotalSize` 40.
fn close() -> Vec<u8> {
    dw(&[40, 1, 0, 7, 0x3, 2, 0, 0, 0, 0])
}

fn split(buf: &[u8]) -> (Vec<RawEvent<'_>>, Option<EventError>) {
    EventBuffer::new(buf).split()
}

#[test]
fn whole_events_decode() {
    let mut buf = close();
    buf.extend(dw(&[44, 1, 0, 7, 0x3, 2, 0, 0, 0, 0, 0xAA]));
    buf.extend(close());
    let (events, err) = split(&buf);
    assert_eq!(err, None);
    let pos: Vec<_> = events
        .iter()
        .map(|e| (e.index, e.offset, e.total_size()))
        .collect();
    assert_eq!(pos, [(0, 0, 40), (1, 40, 44), (2, 84, 40)]);
    assert_eq!(events[1].var_data().as_bytes(), &0xAAu32.to_le_bytes());
}

#[test]
fn buffer_smaller_than_one_fixed_part_fails() {
    // "Fail if the lsize is ... less than the size of the fixed portion of ASYNCEVENTMSG."
    for len in [0usize, 4, 36, 39] {
        let buf = vec![0u8; len];
        let (events, err) = split(&buf);
        assert!(events.is_empty());
        let err = err.expect("error");
        assert_eq!((err.index, err.offset), (0, 0));
        assert_eq!(err.error.packet, "RemoteSPEventProc");
        assert_eq!(err.error.field, "lSize");
        assert_eq!(
            err.error.kind,
            DecodeErrorKind::BufferSize { len: len as i64 }
        );
    }
}

#[test]
fn negative_l_size_fails() {
    // "Fail if the lsize is a negative value".
    let buf = close();
    let err = EventBuffer::with_l_size(&buf, -4).unwrap_err();
    assert_eq!(err.error.kind, DecodeErrorKind::BufferSize { len: -4 });
    assert!(EventBuffer::with_l_size(&buf, 40).is_ok());
    // lSize smaller than the bytes present: only the first lSize bytes are the buffer.
    let short = EventBuffer::with_l_size(&buf, 36).unwrap();
    assert_eq!(short.as_bytes().len(), 36);
    assert!(short.split().1.is_some());
    // lSize larger than the bytes present.
    let err = EventBuffer::with_l_size(&buf, 44).unwrap_err();
    assert!(matches!(err.error.kind, DecodeErrorKind::Truncated { .. }));
}

#[test]
fn buffer_not_dword_aligned_fails_after_the_whole_events() {
    // "Fail if the lsize is ... not DWORD-aligned": two good events, then 2 stray bytes.
    let mut buf = close();
    buf.extend(close());
    buf.extend([0xEE, 0xEE]);
    let (events, err) = split(&buf);
    assert_eq!(events.len(), 2);
    let err = err.unwrap();
    assert_eq!((err.index, err.offset), (2, 80));
    assert_eq!(err.error.kind, DecodeErrorKind::BufferSize { len: 82 });
}

#[test]
fn total_size_below_the_fixed_part_fails() {
    // "TotalSize is invalid if it is less than the size of the fixed portion".
    for total in [0u32, 4, 36] {
        let mut buf = close();
        buf.extend(dw(&[total, 1, 0, 7, 0x3, 2, 0, 0, 0, 0]));
        let (events, err) = split(&buf);
        assert_eq!(events.len(), 1, "earlier event kept");
        let err = err.unwrap();
        assert_eq!((err.index, err.offset), (1, 40));
        assert_eq!(
            (err.error.packet, err.error.field, err.error.offset),
            ("ASYNCEVENTMSG", "TotalSize", 0)
        );
        assert_eq!(
            err.error.kind,
            DecodeErrorKind::TotalSizeTooSmall { total, min: 40 }
        );
    }
}

#[test]
fn total_size_not_dword_aligned_fails() {
    // "... it is not DWORD-aligned".
    let mut buf = close();
    buf.extend(dw(&[42, 1, 0, 7, 0x3, 2, 0, 0, 0, 0, 0]));
    let (events, err) = split(&buf);
    assert_eq!(events.len(), 1);
    let err = err.unwrap();
    assert_eq!((err.index, err.offset), (1, 40));
    assert_eq!(
        err.error.kind,
        DecodeErrorKind::TotalSizeMisaligned { total: 42 }
    );
}

#[test]
fn total_size_overflowing_the_buffer_fails() {
    // "... or it overflows the pBuffer", including values near u32::MAX.
    for total in [44u32, 0x7FFF_FFFC, 0xFFFF_FFFC] {
        let mut buf = close();
        buf.extend(close());
        buf.extend(dw(&[total, 1, 0, 7, 0x3, 2, 0, 0, 0, 0]));
        let (events, err) = split(&buf);
        assert_eq!(events.len(), 2);
        let err = err.unwrap();
        assert_eq!((err.index, err.offset), (2, 80));
        assert_eq!(
            err.error.kind,
            DecodeErrorKind::TotalSizeOverflow {
                total,
                available: 40
            }
        );
    }
}

#[test]
fn data_other_than_whole_events_fails() {
    // "Fail if the size of pBuffer has data other than a list of ASYNCEVENTMSG structures":
    // 8 aligned bytes after the last event are not an event.
    let mut buf = close();
    buf.extend(dw(&[0x11, 0x22]));
    let (events, err) = split(&buf);
    assert_eq!(events.len(), 1);
    let err = err.unwrap();
    assert_eq!((err.index, err.offset), (1, 40));
    assert_eq!(
        (err.error.packet, err.error.field),
        ("RemoteSPEventProc", "pBuffer")
    );
    assert_eq!(err.error.kind, DecodeErrorKind::TrailingData { len: 8 });
}

#[test]
fn iteration_stops_after_the_error() {
    let mut buf = close();
    buf.extend(dw(&[3, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    buf.extend(close());
    let items: Vec<_> = EventBuffer::new(&buf).iter().collect();
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(items[1].is_err());
    let mut it = EventBuffer::new(&buf).iter();
    it.by_ref().for_each(drop);
    assert!(it.next().is_none(), "fused");
}

#[test]
fn raw_event_parse_requires_exactly_one_event() {
    let one = close();
    assert_eq!(RawEvent::parse(&one).unwrap().total_size(), 40);
    let mut two = close();
    two.extend(close());
    let err = RawEvent::parse(&two).unwrap_err();
    assert_eq!((err.index, err.offset), (1, 40));
    assert_eq!(err.error.kind, DecodeErrorKind::TrailingData { len: 40 });
}

#[test]
fn pulled_events_come_from_get_async_events_var_data() {
    // 2.2.4.1.8.1: a reply whose VarData holds two events in its first dwUsedBufferSize bytes.
    let mut reply = dw(&[
        0,   // Ack_ReturnValue: success
        0,   // Reserved1
        128, // dwTotalBufferSize
        80,  // dwNeededBufferSize
        80,  // dwUsedBufferSize
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    reply.extend(close());
    reply.extend(close());
    reply.extend([0u8; 48]);
    let buf = EventBuffer::from_get_async_events_reply(&reply).unwrap();
    let (events, err) = buf.split();
    assert_eq!((events.len(), err), (2, None));
    // No events is fine when pulling.
    let empty = EventBuffer::pulled(&[], 0).unwrap();
    assert_eq!(empty.split(), (vec![], None));
    // dwUsedBufferSize larger than VarData.
    let err = EventBuffer::pulled(&[0; 8], 12).unwrap_err();
    assert_eq!(err.error.field, "dwUsedBufferSize");
}

#[test]
fn error_messages_name_index_and_offset() {
    let mut buf = close();
    buf.extend(dw(&[42, 1, 0, 7, 0x3, 2, 0, 0, 0, 0, 0]));
    let err = split(&buf).1.unwrap();
    assert_eq!(
        err.to_string(),
        "event 1 at byte 40: ASYNCEVENTMSG.TotalSize (byte 0): TotalSize 42 is not DWORD-aligned"
    );
    assert_eq!(err.error.kind_name(), "total_size_misaligned");
}
