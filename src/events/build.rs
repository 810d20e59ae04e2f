//! Builders: the exact bytes a server sends, for one event or a whole event buffer.
//!
//! [`EventBuilder`] holds the fixed DWORDs of one packet and its VarData area (data and
//! padding). `TotalSize` is computed when encoding (the fixed part plus the area) unless it was
//! set explicitly, e.g. to craft a hostile event. [`EventBuilder::set_var_data`] fills in the
//! size (and offset) fields the packet's VarData kind has and pads the packet to a whole number
//! of DWORDs, or of QWORDs for the completions that 2.2.4.2.2 requires to be QWORD-aligned.
//!
//! For any decoded event `e`, `e.to_builder().to_bytes() == e.raw().bytes()`.

use alloc::vec::Vec;

use bytes::{BufMut, BytesMut};

use super::frame::EVENT_FIXED_LEN;
use super::meta::{EventDesc, EventKey, EventRole, Padding, VarDataDesc};
use super::typed::TypedEvent;

impl TypedEvent<'_> {
    /// A builder holding this event's DWORDs and VarData area: it encodes to the same bytes.
    pub fn to_builder(&self) -> EventBuilder {
        EventBuilder::from_event(self)
    }
}

/// The most fixed DWORDs any event packet has (SetUpConference, 2.2.4.2.2.23).
pub const MAX_EVENT_DWORDS: usize = 18;

/// One event under construction (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBuilder {
    desc: &'static EventDesc,
    dwords: [u32; MAX_EVENT_DWORDS],
    var: Vec<u8>,
    total_size: Option<u32>,
}

impl EventBuilder {
    /// A builder for `desc` with `Msg` set and every other DWORD zero.
    pub fn new(desc: &'static EventDesc) -> Self {
        let mut dwords = [0; MAX_EVENT_DWORDS];
        if desc.key != EventKey::Template {
            dwords[4] = desc.msg;
        }
        EventBuilder {
            desc,
            dwords,
            var: Vec::new(),
            total_size: None,
        }
    }

    /// The packet's description.
    pub fn desc(&self) -> &'static EventDesc {
        self.desc
    }

    /// Sets DWORD `index`. Index 0 (`TotalSize`) overrides the computed size; indices past the
    /// fixed part are ignored.
    pub fn set(&mut self, index: usize, value: u32) -> &mut Self {
        if index == 0 {
            self.total_size = Some(value);
        } else if index < self.desc.fields.len() {
            self.dwords[index] = value;
        }
        self
    }

    /// DWORD `index` as it will be encoded.
    pub fn get(&self, index: usize) -> Option<u32> {
        match index {
            0 => Some(self.total_size()),
            i if i < self.desc.fields.len() => Some(self.dwords[i]),
            _ => None,
        }
    }

    /// Sets VarData to `data`, fills the packet's size and offset fields (`dwSize`,
    /// `dwNumDigits` as a WCHAR count, LINE_CREATEDIALOGINSTANCE's `Param1`..`Param3`), and pads
    /// the packet as its section requires.
    pub fn set_var_data(&mut self, data: &[u8]) -> &mut Self {
        let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let fixed = self.desc.fixed_len();
        match self.desc.var {
            VarDataDesc::None | VarDataDesc::Structure(_) => {}
            VarDataDesc::Wchars { count } => self.dwords[count] = len / 2,
            VarDataDesc::Sized { size, .. } => self.dwords[size] = len,
            VarDataDesc::StringAt { offset, size } => {
                self.dwords[offset] = fixed as u32;
                self.dwords[size] = len;
                for (i, f) in self.desc.fields.iter().enumerate() {
                    if f.role == EventRole::FixedSize {
                        self.dwords[i] = EVENT_FIXED_LEN as u32;
                    }
                }
            }
        }
        let unit = match self.desc.padding {
            Padding::Dword => 4,
            Padding::Qword => 8,
        };
        let total = fixed.saturating_add(data.len());
        let padded = total.div_ceil(unit).saturating_mul(unit);
        self.var = Vec::with_capacity(padded - fixed);
        self.var.extend_from_slice(data);
        self.var.resize(padded - fixed, 0);
        self
    }

    /// Sets VarData to a string as UTF-16LE: without a terminator for LINE_GATHERDIGITS's
    /// digits, with one otherwise.
    pub fn set_var_text(&mut self, text: &str) -> &mut Self {
        let mut bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        if !matches!(self.desc.var, VarDataDesc::Wchars { .. }) {
            bytes.extend_from_slice(&[0, 0]);
        }
        self.set_var_data(&bytes)
    }

    /// Sets the VarData area exactly (data and padding), without touching any field.
    pub fn set_var_area(&mut self, area: Vec<u8>) -> &mut Self {
        self.var = area;
        self
    }

    /// The VarData area (data and padding).
    pub fn var_area(&self) -> &[u8] {
        &self.var
    }

    /// The encoded length in bytes.
    pub fn encoded_len(&self) -> usize {
        self.desc.fixed_len() + self.var.len()
    }

    fn total_size(&self) -> u32 {
        self.total_size
            .unwrap_or_else(|| u32::try_from(self.encoded_len()).unwrap_or(u32::MAX))
    }

    /// Appends the encoded packet to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        out.reserve(self.encoded_len());
        out.put_u32_le(self.total_size());
        for d in &self.dwords[1..self.desc.fields.len()] {
            out.put_u32_le(*d);
        }
        out.put_slice(&self.var);
    }

    /// The encoded packet.
    pub fn to_bytes(&self) -> BytesMut {
        let mut out = BytesMut::new();
        self.encode(&mut out);
        out
    }

    /// A builder that re-encodes `event` byte for byte.
    pub fn from_event(event: &TypedEvent<'_>) -> Self {
        let desc = event.desc();
        let mut dwords = [0; MAX_EVENT_DWORDS];
        // DWORD 0 (TotalSize) is kept apart, as in `new`.
        for (i, d) in dwords
            .iter_mut()
            .enumerate()
            .take(desc.fields.len())
            .skip(1)
        {
            *d = event.dword(i);
        }
        let var = event.var_area().to_vec();
        let natural = desc.fixed_len() + var.len();
        let total = event.raw().total_size();
        EventBuilder {
            desc,
            dwords,
            var,
            total_size: (total as usize != natural).then_some(total),
        }
    }
}

/// A whole event buffer under construction: the `pBuffer` of RemoteSPEventProc, or the
/// VarData of a GetAsyncEvents reply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventBufferBuilder {
    events: Vec<EventBuilder>,
}

impl EventBufferBuilder {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an event.
    pub fn push(&mut self, event: impl Into<EventBuilder>) -> &mut Self {
        self.events.push(event.into());
        self
    }

    /// Appends an event (by value).
    pub fn with(mut self, event: impl Into<EventBuilder>) -> Self {
        self.push(event);
        self
    }

    /// The events.
    pub fn events(&self) -> &[EventBuilder] {
        &self.events
    }

    /// The encoded length in bytes.
    pub fn encoded_len(&self) -> usize {
        self.events.iter().map(EventBuilder::encoded_len).sum()
    }

    /// Appends the encoded buffer to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        out.reserve(self.encoded_len());
        for e in &self.events {
            e.encode(out);
        }
    }

    /// The encoded buffer.
    pub fn to_bytes(&self) -> BytesMut {
        let mut out = BytesMut::new();
        self.encode(&mut out);
        out
    }
}

impl<'a> FromIterator<TypedEvent<'a>> for EventBufferBuilder {
    fn from_iter<I: IntoIterator<Item = TypedEvent<'a>>>(iter: I) -> Self {
        EventBufferBuilder {
            events: iter.into_iter().map(|e| e.to_builder()).collect(),
        }
    }
}
