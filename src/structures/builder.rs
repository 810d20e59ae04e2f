//! Builders for the data structures: set members by their spec names, give each (size,
//! offset) pair its data, and [`StructBuilder::to_vec`] lays the variable part out after the
//! fixed part (each item DWORD-aligned, in catalogue order, entries' own items after all
//! top-level items) and fills the sizes, offsets, counts and `dwTotalSize`/`dwNeededSize`/
//! `dwUsedSize`.
//!
//! [`StructBuilder::from_raw`] reads a decoded structure back; for a buffer in this canonical
//! layout, `from_raw(parse(b)).to_vec() == b`.
//!
//! Prefer the typed builders of [`build`](super::build) (`LINEDEVCAPS::builder()
//! .dw_string_format(..)`), generated from the catalogue, where a misspelt member does not
//! compile; the string-keyed setters here are for generic code ([`StructBuilder::try_set`]
//! reports an unknown member instead of panicking).

use alloc::vec;
use alloc::vec::Vec;

use super::meta::{Header, MemberDesc, StructDesc, VarDesc, VarKind};
use super::types::Guid;
use super::view::Raw;
use crate::encoding::Payload;
use crate::errors::DecodeError;
use crate::handles::Version;

/// Why a string-keyed builder call was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// The structure has no member (or item) of that name.
    NoSuchMember {
        /// The structure.
        structure: &'static str,
        /// The name asked for.
        name: alloc::string::String,
    },
    /// The value's size is not the member's.
    WrongSize {
        /// The structure.
        structure: &'static str,
        /// The member.
        member: &'static str,
        /// The member's size in bytes.
        size: usize,
        /// The size given.
        given: usize,
    },
}

impl core::fmt::Display for BuildError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            BuildError::NoSuchMember { structure, name } => {
                write!(f, "{structure} has no member {name}")
            }
            BuildError::WrongSize {
                structure,
                member,
                size,
                given,
            } => write!(f, "{structure}.{member} is {size} bytes, not {given}"),
        }
    }
}

/// What an item holds before layout.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// Bytes (a string with its terminator, a block, an array of DWORDs).
    Bytes(Vec<u8>),
    /// Entries, each with its own items.
    Entries(Vec<StructBuilder>),
}

impl Item {
    /// Whether the item holds no data (laid out as size 0, offset 0).
    fn is_empty(&self) -> bool {
        match self {
            Item::Bytes(b) => b.is_empty(),
            Item::Entries(list) => list.is_empty(),
        }
    }
}

/// A data structure under construction (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructBuilder {
    desc: &'static StructDesc,
    fixed: Vec<u8>,
    items: Vec<Option<Item>>,
    extra: usize,
    needed: Option<u32>,
}

fn put(buf: &mut [u8], at: usize, v: u32) {
    if let Some(d) = buf.get_mut(at..at + 4) {
        d.copy_from_slice(&v.to_le_bytes());
    }
}

/// Writes "no data" into item `v`'s members of the structure at `base` (members at or past
/// `limit` bytes from `base` are not the structure's and are left alone).
fn clear_pair(out: &mut [u8], base: usize, v: &VarDesc, limit: usize) {
    let mut zero = |at: usize| {
        if at + 4 <= limit {
            put(out, base + at, 0);
        }
    };
    zero(v.size_at);
    match v.kind {
        VarKind::InlineEntries { .. } => {}
        VarKind::Entries { count_at, .. } => {
            zero(v.offset_at);
            if let Some(at) = count_at {
                zero(at);
            }
        }
        _ => zero(v.offset_at),
    }
}

fn pad4(out: &mut Vec<u8>) {
    while out.len() % 4 != 0 {
        out.push(0);
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl StructBuilder {
    /// A builder for `desc` with every member zero and no variable data.
    pub fn new(desc: &'static StructDesc) -> Self {
        StructBuilder {
            desc,
            fixed: vec![0; desc.size],
            items: vec![None; desc.vars.len()],
            extra: 0,
            needed: None,
        }
    }

    /// The description.
    pub fn desc(&self) -> &'static StructDesc {
        self.desc
    }

    fn field(&self, name: &str) -> &'static MemberDesc {
        match self.desc.field(name) {
            Some(f) => f,
            None => panic!("{} has no member {name}", self.desc.name),
        }
    }

    fn var_index(&self, name: &str) -> usize {
        match self.desc.vars.iter().position(|v| v.name == name) {
            Some(i) => i,
            None => panic!("{} has no variable item {name}", self.desc.name),
        }
    }

    /// Sets DWORD member `name` (spec spelling), or says why not: an unknown member or one
    /// that is not a DWORD.
    pub fn try_set(self, name: &str, value: u32) -> Result<Self, BuildError> {
        self.try_set_bytes(name, &value.to_le_bytes())
    }

    /// Sets member `name` to its wire bytes, or says why not.
    pub fn try_set_bytes(self, name: &str, bytes: &[u8]) -> Result<Self, BuildError> {
        let Some(f) = self.desc.field(name) else {
            return Err(BuildError::NoSuchMember {
                structure: self.desc.name,
                name: name.into(),
            });
        };
        if bytes.len() != f.size {
            return Err(BuildError::WrongSize {
                structure: self.desc.name,
                member: f.name,
                size: f.size,
                given: bytes.len(),
            });
        }
        Ok(self.put_at(f.offset, bytes))
    }

    /// Gives item `name` its data like [`StructBuilder::payload`], or says why not (no such
    /// item).
    pub fn try_payload(self, name: &str, payload: impl Into<Payload>) -> Result<Self, BuildError> {
        if self.desc.vars.iter().any(|v| v.name == name) {
            Ok(self.payload(name, payload))
        } else {
            Err(BuildError::NoSuchMember {
                structure: self.desc.name,
                name: name.into(),
            })
        }
    }

    /// Writes `bytes` at `offset` of the fixed part; bytes beyond the fixed part kept (an
    /// older version's, see [`StructBuilder::for_version`]) are dropped.
    pub(crate) fn put_at(mut self, offset: usize, bytes: &[u8]) -> Self {
        let end = offset.saturating_add(bytes.len()).min(self.fixed.len());
        if let Some(dst) = self.fixed.get_mut(offset..end) {
            dst.copy_from_slice(&bytes[..end - offset]);
        }
        self
    }

    /// Keeps the fixed part that TAPI `version` defines ([`StructDesc::fixed_size`]): the
    /// members introduced after it are not written, as a server that negotiated `version`
    /// lays the structure out. Entries given later keep their own size (build them with
    /// `for_version` too).
    pub fn for_version(self, version: Version) -> Self {
        let len = self.desc.fixed_size(version);
        self.fixed_len(len)
    }

    pub(crate) fn payload_of(self, v: &VarDesc, payload: impl Into<Payload>) -> Self {
        self.payload(v.name, payload)
    }

    pub(crate) fn dwords_of(self, v: &VarDesc, values: &[u32]) -> Self {
        self.dwords(v.name, values)
    }

    pub(crate) fn text_table_of(self, v: &VarDesc, entry_size: u32, texts: &[&str]) -> Self {
        self.text_table(v.name, entry_size, texts)
    }

    pub(crate) fn entries_of(self, v: &VarDesc, entries: Vec<StructBuilder>) -> Self {
        self.entries(v.name, entries)
    }

    /// Sets member `name` to its wire bytes (a GUID, LINEDIALPARAMS, SYSTEMTIME, CURRENCY, ...).
    ///
    /// # Panics
    /// If the structure has no such member or `bytes` is not its size.
    pub fn set_bytes(self, name: &str, bytes: &[u8]) -> Self {
        let f = self.field(name);
        assert_eq!(
            bytes.len(),
            f.size,
            "{}.{name} is {} bytes",
            self.desc.name,
            f.size
        );
        self.put_at(f.offset, bytes)
    }

    /// Sets a GUID member.
    pub fn set_guid(self, name: &str, guid: Guid) -> Self {
        self.set_bytes(name, zerocopy::IntoBytes::as_bytes(&guid))
    }

    /// The member `name` as currently set (DWORD members only).
    pub fn get(&self, name: &str) -> Option<u32> {
        let f = self.desc.field(name)?;
        let b = self.fixed.get(f.offset..f.offset + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Gives item `name` (its stem, e.g. `LineName`) its data. A [`Payload::Text`] is written
    /// as UTF-16LE with a NUL terminator (use [`Payload::Bytes`] with a trailing 0 for an
    /// ASCII string); [`Payload::Absent`] leaves the item empty (size 0, offset 0).
    ///
    /// # Panics
    /// If the structure has no such item.
    pub fn payload(mut self, name: &str, payload: impl Into<Payload>) -> Self {
        let i = self.var_index(name);
        self.items[i] = match payload.into() {
            Payload::Absent => None,
            Payload::Bytes(b) => Some(Item::Bytes(b)),
            Payload::Text(units) => Some(Item::Bytes(
                units
                    .iter()
                    .chain(core::iter::once(&0))
                    .flat_map(|u| u.to_le_bytes())
                    .collect(),
            )),
        };
        self
    }

    /// Gives a DWORD-array item its values.
    pub fn dwords(self, name: &str, values: &[u32]) -> Self {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.payload(name, bytes)
    }

    /// Gives a text-table item (LINEADDRESSCAPS `CompletionMsgText`, LINEDEVCAPS
    /// `TerminalText`) its entries: each text is written as UTF-16LE and NUL-padded to
    /// `entry_size` bytes, and the entry-size member is set to `entry_size`.
    ///
    /// # Panics
    /// If the structure has no such text-table item, `entry_size` is odd, or a text with its
    /// terminator does not fit in `entry_size` bytes.
    pub fn text_table(mut self, name: &str, entry_size: u32, texts: &[&str]) -> Self {
        let i = self.var_index(name);
        let VarKind::TextTable {
            entry_size_field, ..
        } = self.desc.vars[i].kind
        else {
            panic!("{}.{name} is not a table of texts", self.desc.name);
        };
        assert!(entry_size % 2 == 0, "a Unicode entry size is even");
        let mut bytes = Vec::with_capacity(entry_size as usize * texts.len());
        for t in texts {
            let start = bytes.len();
            bytes.extend(t.encode_utf16().flat_map(u16::to_le_bytes));
            assert!(
                bytes.len() - start < entry_size as usize,
                "{t:?} does not fit in {entry_size}-byte entries"
            );
            bytes.resize(start + entry_size as usize, 0);
        }
        self.items[i] = Some(Item::Bytes(bytes));
        let at = self.desc.field(entry_size_field).map(|f| f.offset);
        match at {
            Some(at) => self.put_at(at, &entry_size.to_le_bytes()),
            None => self,
        }
    }

    /// Gives an entry-array item its entries (builders of the entry structure). Their own
    /// items are laid out after the top-level ones, with offsets from the root's start; the
    /// count member, if any, is set.
    ///
    /// # Panics
    /// If the structure has no such item.
    pub fn entries(mut self, name: &str, entries: Vec<StructBuilder>) -> Self {
        let i = self.var_index(name);
        self.items[i] = Some(Item::Entries(entries));
        self
    }

    /// Keeps only the first `len` bytes of the fixed part, as a server that negotiated an older
    /// version does (items whose members are cut off are not laid out).
    pub fn fixed_len(mut self, len: usize) -> Self {
        self.fixed.truncate(len.min(self.desc.size));
        self
    }

    /// Adds `n` unused bytes after `dwUsedSize`, counted in `dwTotalSize`.
    pub fn spare(mut self, n: usize) -> Self {
        self.extra = n;
        self
    }

    /// Sets `dwNeededSize` (by default the used size), e.g. above `dwTotalSize` for a
    /// "buffer too small" answer.
    pub fn needed_size(mut self, n: u32) -> Self {
        self.needed = Some(n);
        self
    }

    /// Whether item `v`'s members lie in the fixed part as laid out (padded to a DWORD
    /// boundary: a member the padding completes is written too, as "no data" if the item has
    /// none).
    fn item_fits(&self, v: &VarDesc) -> bool {
        let len = self.fixed.len().next_multiple_of(4);
        let end = |at: usize| at + 4 <= len;
        match v.kind {
            VarKind::InlineEntries { .. } => end(v.size_at),
            _ => end(v.size_at) && end(v.offset_at),
        }
    }

    /// Lays the structure out.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = self.fixed.clone();
        pad4(&mut out);
        // Entry blocks placed so far: (block offset, stride, entries).
        let mut blocks: Vec<(usize, usize, &[StructBuilder])> = Vec::new();
        for (v, item) in self.desc.vars.iter().zip(&self.items) {
            if !self.item_fits(v) {
                continue;
            }
            // An item without data is written as size 0, offset 0 (and count 0), whatever
            // pair the fixed part was given: a stale pair would point at data that is not
            // there, or at another item's.
            let Some(item) = item.as_ref().filter(|i| !i.is_empty()) else {
                clear_pair(&mut out, 0, v, usize::MAX);
                continue;
            };
            pad4(&mut out);
            let offset = out.len();
            match item {
                Item::Bytes(b) => {
                    out.extend_from_slice(b);
                    put(&mut out, v.size_at, to_u32(b.len()));
                    put(&mut out, v.offset_at, to_u32(offset));
                }
                Item::Entries(list) => {
                    let entry = v.kind.entry().unwrap_or(self.desc);
                    let stride = list.first().map_or(entry.size, |e| e.fixed.len());
                    for e in list.iter() {
                        let mut f = e.fixed.clone();
                        f.resize(stride, 0);
                        out.extend_from_slice(&f);
                    }
                    let len = stride * list.len();
                    match v.kind {
                        VarKind::InlineEntries { .. } => {
                            put(&mut out, v.size_at, to_u32(list.len()));
                        }
                        VarKind::Entries { count_at, .. } => {
                            put(&mut out, v.size_at, to_u32(len));
                            put(&mut out, v.offset_at, to_u32(offset));
                            if let Some(at) = count_at {
                                put(&mut out, at, to_u32(list.len()));
                            }
                        }
                        _ => {}
                    }
                    blocks.push((offset, stride, list));
                }
            }
        }
        for (block, stride, list) in blocks {
            for (n, e) in list.iter().enumerate() {
                let base = block + n * stride;
                for (v, item) in e.desc.vars.iter().zip(&e.items) {
                    if v.size_at + 4 > stride || v.offset_at + 4 > stride {
                        continue;
                    }
                    let Some(Item::Bytes(b)) = item.as_ref().filter(|i| !i.is_empty()) else {
                        clear_pair(&mut out, base, v, stride);
                        continue;
                    };
                    pad4(&mut out);
                    let offset = out.len();
                    out.extend_from_slice(b);
                    put(&mut out, base + v.size_at, to_u32(b.len()));
                    put(&mut out, base + v.offset_at, to_u32(offset));
                }
            }
        }
        pad4(&mut out);
        let used = out.len();
        let total = used + self.extra;
        match self.desc.header {
            Header::Full => {
                put(&mut out, 0, to_u32(total));
                put(&mut out, 4, self.needed.unwrap_or(to_u32(used)));
                put(&mut out, 8, to_u32(used));
            }
            Header::Total | Header::Size => put(&mut out, 0, to_u32(total)),
            Header::Plain => {}
        }
        out.resize(total, 0);
        out
    }

    /// Reads a decoded structure back into a builder: the fixed part present, every item that
    /// resolves (as bytes; entries with their own items), the spare bytes and `dwNeededSize`.
    /// Fails on the first item that does not resolve.
    pub fn from_raw(raw: &Raw<'_>) -> Result<Self, DecodeError> {
        let desc = raw.desc();
        let mut b = StructBuilder {
            desc,
            fixed: raw.fixed_bytes().to_vec(),
            items: vec![None; desc.vars.len()],
            extra: 0,
            needed: None,
        };
        for (i, v) in desc.vars.iter().enumerate() {
            b.items[i] = match v.kind {
                VarKind::Entries { .. } | VarKind::InlineEntries { .. } => {
                    let list = raw.entries_of::<Raw<'_>>(v)?;
                    if list.len() == 0 && raw.var_bytes(v)?.is_none() {
                        None
                    } else {
                        let mut out = Vec::with_capacity(list.len());
                        for e in list {
                            out.push(StructBuilder::from_raw(&e)?);
                        }
                        Some(Item::Entries(out))
                    }
                }
                _ => raw.var_bytes(v)?.map(|x| Item::Bytes(x.to_vec())),
            };
        }
        if desc.is_self_sized() && raw.base() == 0 {
            let total = u32::from_le_bytes(
                raw.root_bytes()
                    .get(..4)
                    .and_then(|b| b.try_into().ok())
                    .unwrap_or([0; 4]),
            );
            // The root is bounded by dwUsedSize; what dwTotalSize adds is spare.
            b.extra = (total as usize).saturating_sub(raw.root_bytes().len());
            if desc.header == Header::Full {
                let needed = raw
                    .root_bytes()
                    .get(4..8)
                    .and_then(|b| b.try_into().ok())
                    .map_or(0, u32::from_le_bytes);
                if needed as usize != raw.root_bytes().len() {
                    b.needed = Some(needed);
                }
            }
        }
        Ok(b)
    }
}
