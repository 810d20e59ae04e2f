//! Metadata derived from the structure catalogue: what each structure, member and variable
//! item is. Views, builders, the generic walk used for printing, and the layout tests all
//! read these descriptions.

use crate::handles::{TAPI_VERSIONS, Version};
use crate::vardata::Align;

/// How a structure states its own size (the first DWORDs of the fixed part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Header {
    /// `dwTotalSize`, `dwNeededSize`, `dwUsedSize`: a structure the server fills in.
    Full,
    /// `dwTotalSize` only (LINECALLPARAMS, LINEFORWARDLIST: structures the client fills in).
    Total,
    /// `dwSize` only (LINEPROXYREQUEST).
    Size,
    /// No size field: a fixed-size element of another structure (an entry, LINEDIALPARAMS, ...).
    Plain,
}

/// The wire type of a fixed member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum FieldType {
    /// A little-endian DWORD (also handles such as `hLine`).
    Dword,
    /// A 16-byte GUID (`PermanentLineGuid`, `ProtocolGuid`, `GroupID`, ...).
    Guid,
    /// A nested LINEDIALPARAMS (2.2.6.26), 16 bytes.
    DialParams,
    /// A SYSTEMTIME (`tStateEntryTime`), eight WORDs.
    SystemTime,
    /// A CURRENCY (`cy...`): a signed 64-bit integer scaled by 10,000 (see spec-notes).
    Currency,
    /// An OLE DATE (`date...`): a little-endian IEEE double (see spec-notes).
    Date,
}

/// One member of a fixed part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MemberDesc {
    /// The name as the spec spells it, e.g. `dwLineNameOffset`.
    pub name: &'static str,
    /// The accessor's name, e.g. `dw_line_name_offset`.
    pub ident: &'static str,
    /// Byte offset from the start of the structure (from the declared member sizes).
    pub offset: usize,
    /// Size in bytes.
    pub size: usize,
    /// The wire type.
    pub ty: FieldType,
    /// Whether the member is newer than TAPI 1.3 (`since > Version::TAPI_1_3`): an older
    /// server leaves it out, and it reads as absent.
    pub optional: bool,
    /// The TAPI version that introduced the member ([`Version::TAPI_1_3`] for the oldest fixed
    /// part): from the member's description or the section's range note ("available only if
    /// the negotiated TAPI version is 2.0 or higher"), else the SDK's version guard (see
    /// spec-notes/structures.md section 11).
    pub since: Version,
}

/// What a (size, offset) pair points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum VarKind {
    /// A NUL-terminated string in the structure's string format (`dwStringFormat` where the
    /// structure has one, 2.2.1.8; Unicode otherwise).
    Text,
    /// A NUL-terminated ASCII string (LINECALLPARAMS `DeviceClass`, `CallingPartyID`).
    Ascii,
    /// A list of NUL-terminated Unicode strings ended by an empty one (device classes,
    /// account lists).
    MultiText,
    /// A table of fixed-size strings in the structure's string format, one per entry, each
    /// NUL-padded to the entry size held by another member (LINEADDRESSCAPS
    /// `CompletionMsgText`, LINEDEVCAPS `TerminalText`).
    TextTable {
        /// The member that holds the entry size, e.g. `dwTerminalTextEntrySize`.
        entry_size_field: &'static str,
        /// Its byte offset.
        entry_size_at: usize,
    },
    /// Opaque bytes (device-specific data, user-user information, FLOWSPECs, ...).
    Bytes,
    /// An array of DWORDs (terminal modes, button modes, HCALLs, proxy request types, ...).
    Dwords,
    /// An array of fixed-size entries, each another structure of this catalogue.
    Entries {
        /// The entry structure.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_desc_name"))]
        entry: &'static StructDesc,
        /// The member that holds the number of entries, if any.
        count_field: Option<&'static str>,
        /// Its byte offset.
        count_at: Option<usize>,
    },
    /// An array of entries that follows the fixed part directly, with no offset (the
    /// `ForwardList` of LINEFORWARDLIST); the item's "size field" is the count.
    InlineEntries {
        /// The entry structure.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_desc_name"))]
        entry: &'static StructDesc,
    },
}

#[cfg(feature = "serde")]
fn ser_desc_name<S: serde::Serializer>(d: &&'static StructDesc, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(d.name)
}

impl VarKind {
    /// For the kinds an item of which decodes once it resolves and its size is a whole
    /// number of units (text and string lists: UTF-16 units; ASCII and bytes: bytes; DWORDs),
    /// that unit, which is also the kind's alignment ([`VarKind::align`]); `None` for tables
    /// and arrays, whose decode reads further. Text in a single-byte format also decodes at
    /// an odd size: this is a sufficient condition, what `Raw::validates_fast` decides from.
    pub(crate) const fn whole_units(self) -> Option<u32> {
        match self {
            VarKind::Text
            | VarKind::MultiText
            | VarKind::Ascii
            | VarKind::Bytes
            | VarKind::Dwords => Some(self.align() as u32),
            VarKind::TextTable { .. } | VarKind::Entries { .. } | VarKind::InlineEntries { .. } => {
                None
            }
        }
    }

    /// The alignment an offset of this kind must have: WCHAR for Unicode strings, DWORD for
    /// arrays, none for bytes and ASCII.
    pub const fn align(self) -> Align {
        match self {
            VarKind::Text | VarKind::MultiText | VarKind::TextTable { .. } => Align::Wchar,
            VarKind::Ascii | VarKind::Bytes => Align::Byte,
            VarKind::Dwords | VarKind::Entries { .. } | VarKind::InlineEntries { .. } => {
                Align::Dword
            }
        }
    }

    /// A short name, as printed by `trp`.
    pub const fn name(self) -> &'static str {
        match self {
            VarKind::Text => "text",
            VarKind::Ascii => "ascii",
            VarKind::MultiText => "multi_text",
            VarKind::TextTable { .. } => "text_table",
            VarKind::Bytes => "bytes",
            VarKind::Dwords => "dwords",
            VarKind::Entries { .. } => "entries",
            VarKind::InlineEntries { .. } => "inline_entries",
        }
    }

    /// The entry structure of an array kind.
    pub const fn entry(self) -> Option<&'static StructDesc> {
        match self {
            VarKind::Entries { entry, .. } | VarKind::InlineEntries { entry } => Some(entry),
            _ => None,
        }
    }
}

/// One (size, offset) pair of a structure and what it points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VarDesc {
    /// The item's name: the pair's common stem, e.g. `LineName`.
    pub name: &'static str,
    /// The accessor's name, e.g. `line_name`.
    pub ident: &'static str,
    /// The size member, e.g. `dwLineNameSize` (for [`VarKind::InlineEntries`], the count).
    pub size_field: &'static str,
    /// Its byte offset.
    pub size_at: usize,
    /// The offset member, e.g. `dwLineNameOffset` (empty for [`VarKind::InlineEntries`]).
    pub offset_field: &'static str,
    /// Its byte offset (for [`VarKind::InlineEntries`], where the array starts).
    pub offset_at: usize,
    /// What the pair points at.
    pub kind: VarKind,
}

/// A data structure's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StructDesc {
    /// The name as the spec spells it, e.g. `LINEDEVCAPS`.
    pub name: &'static str,
    /// The section, e.g. `2.2.6.23`.
    pub section: &'static str,
    /// How the structure states its size.
    pub header: Header,
    /// Size of the newest fixed part, in bytes.
    pub size: usize,
    /// Size of the oldest fixed part (TAPI 1.3: the members not marked optional).
    pub min_size: usize,
    /// Byte offset of `dwStringFormat`, for structures whose strings follow it.
    pub string_format_at: Option<usize>,
    /// The fixed members in wire order.
    pub fields: &'static [MemberDesc],
    /// The (size, offset) pairs in wire order.
    pub vars: &'static [VarDesc],
}

impl StructDesc {
    /// The size of the fixed part that TAPI `version` defines: the end of the last member
    /// introduced in `version` or before (members are in version order). A version older than
    /// TAPI 1.3 gets the oldest fixed part, [`StructDesc::min_size`].
    pub fn fixed_size(&self, version: Version) -> usize {
        self.fields
            .iter()
            .filter(|f| f.since <= version)
            .map(|f| f.offset + f.size)
            .max()
            .unwrap_or(0)
            .max(self.min_size)
    }

    /// The TAPI versions whose fixed part is exactly `len` bytes long, as (oldest, newest);
    /// `None` when no version's fixed part has that length (a cut inside a version's
    /// members).
    pub fn versions_with_size(&self, len: usize) -> Option<(Version, Version)> {
        let fits = |v: &&Version| self.fixed_size(**v) == len;
        let oldest = *TAPI_VERSIONS.iter().find(fits)?;
        let newest = *TAPI_VERSIONS.iter().rev().find(fits)?;
        Some((oldest, newest))
    }

    /// The newest TAPI version whose whole fixed part fits in `len` bytes (`None` when not
    /// even the oldest does).
    pub fn newest_fitting(&self, len: usize) -> Option<Version> {
        TAPI_VERSIONS
            .iter()
            .rev()
            .copied()
            .find(|v| self.fixed_size(*v) <= len)
    }

    /// The distinct fixed-part sizes, oldest first, each with the oldest version that has it
    /// (LINEDEVCAPS: 236 for 1.3, 240 for 1.4, 252 for 2.0, 268 for 2.2, 292 for 3.0).
    pub fn layouts(&self) -> impl Iterator<Item = (Version, usize)> + '_ {
        let mut last = None;
        TAPI_VERSIONS.iter().filter_map(move |v| {
            let size = self.fixed_size(*v);
            (last != Some(size)).then(|| {
                last = Some(size);
                (*v, size)
            })
        })
    }

    /// The member called `name` (spec spelling).
    pub fn field(&self, name: &str) -> Option<&'static MemberDesc> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The variable item called `name` (its stem, e.g. `LineName`, or its size or offset
    /// member's name).
    pub fn var(&self, name: &str) -> Option<&'static VarDesc> {
        self.vars
            .iter()
            .find(|v| v.name == name || v.size_field == name || v.offset_field == name)
    }

    /// Whether the structure starts with its own size (any header but [`Header::Plain`]).
    pub const fn is_self_sized(&self) -> bool {
        !matches!(self.header, Header::Plain)
    }
}
