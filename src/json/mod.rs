//! The JSON model of everything `trp` prints and reads (feature `serde`): requests
//! ([`RequestJson`]), replies ([`ReplyJson`]), event buffers ([`EventsJson`]), structures
//! ([`StructureJson`]), errors ([`ErrorJson`]), the stubs and PDUs of the RPC layer
//! ([`rpc`]) and the calls of a capture (`capture`, feature `pcap`). The binary only
//! serializes these.
//!
//! [`RequestJson::from_request`] describes a parsed request: its name, group, section, every
//! fixed DWORD with its spec name and byte offset, VarData as hex, and every reference
//! resolved (or its error). [`RequestJson::encode`] goes back to bytes from the fields and the
//! VarData hex alone, so decode → JSON → encode reproduces the input byte for byte.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use bytes::{BufMut, BytesMut};
use serde::{Deserialize, Serialize};

use crate::errors::DecodeError;
use crate::events::{Event, EventBuffer, EventError};
use crate::handles::Version;
use crate::header::{HEADER_DWORDS, HEADER_LEN};
use crate::replies::{Reply, ReplyRole};
use crate::requests::{FuncId, Request, Resolved, UNKNOWN_FIELD_NAMES};
use crate::structures::{MemberValue, Raw, VarKind, decode_any, decode_any_with};

#[cfg(feature = "pcap")]
pub mod capture;
pub mod detect;
pub mod explain;
pub mod replay;
pub mod rpc;
pub mod rules;
#[cfg(feature = "json-writer")]
pub mod writer;

/// One fixed DWORD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldJson {
    /// The field's name as the spec spells it.
    pub name: String,
    /// Byte offset in the packet.
    pub offset: usize,
    /// The DWORD.
    pub value: u32,
}

/// The VarData area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VarDataJson {
    /// Byte offset in the packet (always 60 for requests).
    pub offset: usize,
    /// Length in bytes.
    pub length: usize,
    /// Lower-case hex of the bytes.
    pub hex: String,
}

/// A decode error, as `trp` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorJson {
    /// Machine-readable kind, e.g. `misaligned`.
    pub kind: String,
    /// The packet.
    pub packet: String,
    /// The field.
    pub field: String,
    /// Byte offset of the field.
    pub offset: usize,
    /// Human-readable message.
    pub message: String,
}

impl From<&DecodeError> for ErrorJson {
    fn from(e: &DecodeError) -> Self {
        ErrorJson {
            kind: e.kind_name().into(),
            packet: e.packet.into(),
            field: e.field.into(),
            offset: e.offset,
            message: e.to_string(),
        }
    }
}

/// A reference from a fixed field into VarData.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferenceJson {
    /// The field holding the offset.
    pub field: String,
    /// The offset found in the field (relative to VarData).
    pub offset: u32,
    /// What it resolved to.
    #[serde(flatten)]
    pub outcome: ReferenceOutcome,
}

/// How a reference resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ReferenceOutcome {
    /// Resolved to bytes.
    Resolved {
        /// Length in bytes (for a string, without the terminator).
        size: usize,
        /// Lower-case hex.
        hex: String,
        /// The decoded string, for string references; `null` otherwise.
        text: Option<String>,
    },
    /// The field holds `0xFFFFFFFF`.
    Absent {
        /// Always `true`.
        absent: bool,
    },
    /// The reference does not resolve.
    Error {
        /// Why.
        error: ErrorJson,
    },
}

/// A request packet as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestJson {
    /// Always `"request"`.
    pub kind: String,
    /// The spec section title (e.g. `GetDevCaps`), or `Unknown`.
    pub name: String,
    /// The group title (e.g. `Line Device Requests`); `null` for an undocumented function.
    pub group: Option<String>,
    /// The section number; `null` for an undocumented function.
    pub section: Option<String>,
    /// `Req_Func`.
    pub req_func: u32,
    /// For an undocumented `Req_Func`, the name public research gives it (e.g.
    /// `TRequestMakeCall`); absent otherwise (ignored when encoding).
    #[serde(default, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub known_as: Option<String>,
    /// The fifteen fixed DWORDs in wire order.
    pub fields: Vec<FieldJson>,
    /// VarData.
    pub var_data: VarDataJson,
    /// Every reference, resolved (ignored when encoding).
    #[serde(default, skip_deserializing)]
    pub references: Vec<ReferenceJson>,
}

/// Why a JSON description cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeJsonError {
    /// `kind` is not `"request"`.
    #[error("kind {0:?} cannot be encoded as a request")]
    Kind(String),
    /// Not exactly fifteen fields.
    #[error("expected 15 fixed fields, found {0}")]
    FieldCount(usize),
    /// A field name differs from the spec's for that position.
    #[error("field {index} is named {found:?}, expected {expected:?}")]
    FieldName {
        /// Position.
        index: usize,
        /// Name expected at that position.
        expected: String,
        /// Name found.
        found: String,
    },
    /// `req_func` disagrees with the `Req_Func` field.
    #[error("req_func {req_func} disagrees with the Req_Func field {field}")]
    ReqFunc {
        /// The `req_func` member.
        req_func: u32,
        /// The first field's value.
        field: u32,
    },
    /// The hex is malformed or disagrees with `length`.
    #[error("var_data: {0}")]
    VarData(String),
}

/// The two lower-case hex digits of every byte value.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    t
};

/// Lower-case hex of `bytes`: one table look-up per byte into a buffer sized once.
fn hex(bytes: &[u8]) -> String {
    let mut digits = Vec::with_capacity(bytes.len().saturating_mul(2));
    for &b in bytes {
        digits.extend_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    // Every byte pushed is an ASCII hex digit.
    String::from_utf8(digits).unwrap_or_default()
}

/// Decodes hex (upper or lower case, ASCII white space ignored).
pub fn unhex(s: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return Err("odd number of hex digits".into());
    }
    digits
        .chunks_exact(2)
        .map(|p| {
            let v = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
            match (v(p[0]), v(p[1])) {
                (Some(h), Some(l)) => Ok(h << 4 | l),
                _ => Err(format!(
                    "invalid hex digit in {:?}",
                    core::str::from_utf8(p).unwrap_or("?")
                )),
            }
        })
        .collect()
}

impl RequestJson {
    /// Describes a parsed request.
    pub fn from_request(request: &Request<'_>) -> Self {
        let desc = request.desc();
        let dwords = request.dwords();
        let names = request.field_names();
        let var = request.var_data();
        let references = request
            .references()
            .map(|r| ReferenceJson {
                field: r.field.name.into(),
                offset: r.raw,
                outcome: match r.value {
                    Ok(None) => ReferenceOutcome::Absent { absent: true },
                    Ok(Some(v)) => ReferenceOutcome::Resolved {
                        size: v.as_bytes().len(),
                        hex: hex(v.as_bytes()),
                        text: match v {
                            Resolved::Str(s) => Some(s.to_string()),
                            _ => None,
                        },
                    },
                    Err(e) => ReferenceOutcome::Error { error: (&e).into() },
                },
            })
            .collect();
        RequestJson {
            kind: "request".into(),
            name: desc.map_or("Unknown", |d| d.name).into(),
            group: desc.map(|d| d.group.title().into()),
            section: desc.map(|d| d.section.into()),
            req_func: dwords[0],
            known_as: match request {
                Request::Unknown(u) => u.known_as().map(|k| k.name.into()),
                _ => None,
            },
            fields: names
                .iter()
                .zip(dwords)
                .enumerate()
                .map(|(i, (n, v))| FieldJson {
                    name: (*n).into(),
                    offset: 4 * i,
                    value: v,
                })
                .collect(),
            var_data: VarDataJson {
                offset: HEADER_LEN,
                length: var.len(),
                hex: hex(var.as_bytes()),
            },
            references,
        }
    }

    /// Writes the packet the description stands for: the fields in order, then VarData.
    /// Field names must be the spec's for the function named by `Req_Func`.
    pub fn encode(&self, out: &mut BytesMut) -> Result<(), EncodeJsonError> {
        if self.kind != "request" {
            return Err(EncodeJsonError::Kind(self.kind.clone()));
        }
        if self.fields.len() != HEADER_DWORDS {
            return Err(EncodeJsonError::FieldCount(self.fields.len()));
        }
        let req_func = self.fields[0].value;
        if req_func != self.req_func {
            return Err(EncodeJsonError::ReqFunc {
                req_func: self.req_func,
                field: req_func,
            });
        }
        let names = FuncId::from_u32(req_func)
            .map_or(UNKNOWN_FIELD_NAMES, |f| f.desc().fields.map(|f| f.name));
        for (index, (f, expected)) in self.fields.iter().zip(names).enumerate() {
            if f.name != expected {
                return Err(EncodeJsonError::FieldName {
                    index,
                    expected: expected.into(),
                    found: f.name.clone(),
                });
            }
        }
        let var = unhex(&self.var_data.hex).map_err(EncodeJsonError::VarData)?;
        if var.len() != self.var_data.length {
            return Err(EncodeJsonError::VarData(format!(
                "length is {} but hex holds {} bytes",
                self.var_data.length,
                var.len()
            )));
        }
        out.reserve(HEADER_LEN + var.len());
        for f in &self.fields {
            out.put_u32_le(f.value);
        }
        out.put_slice(&var);
        Ok(())
    }
}

/// A fixed member's value in [`StructureJson`]: a number, or text for GUIDs and the nested
/// records (LINEDIALPARAMS, SYSTEMTIME).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MemberValueJson {
    /// A DWORD.
    Dword(u32),
    /// A CURRENCY, scaled by 10,000.
    Currency(i64),
    /// An OLE DATE.
    Date(f64),
    /// A GUID as `{xxxxxxxx-...}`, or a nested record in Rust debug notation.
    Text(String),
}

impl From<MemberValue> for MemberValueJson {
    fn from(v: MemberValue) -> Self {
        match v {
            MemberValue::Dword(d) => MemberValueJson::Dword(d),
            MemberValue::Currency(c) => MemberValueJson::Currency(c),
            MemberValue::Date(d) => MemberValueJson::Date(d),
            MemberValue::Guid(g) => MemberValueJson::Text(g.to_string()),
            other => MemberValueJson::Text(format!("{other:?}")),
        }
    }
}

/// A fixed member of a structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberJson {
    /// The member's name as the spec spells it.
    pub name: String,
    /// Byte offset in the structure.
    pub offset: usize,
    /// Its value; `null` when the structure's version does not have the member.
    pub value: Option<MemberValueJson>,
}

/// Text found behind a (size, offset) pair: one string, or a list (text tables and
/// multi-strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TextJson {
    /// One string.
    One(String),
    /// Several strings.
    Many(Vec<String>),
}

/// One (size, offset) pair of a structure and what it points at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VarItemJson {
    /// The item's name (the members' common stem).
    pub name: String,
    /// The size member's name.
    pub size_field: String,
    /// The offset member's name.
    pub offset_field: String,
    /// The offset found; `null` when the structure's version lacks the pair.
    pub offset: Option<u32>,
    /// The size found; `null` when the structure's version lacks the pair.
    pub size: Option<u32>,
    /// The bytes as lower-case hex (`null` when empty or absent); not present on error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hex: Option<Option<String>>,
    /// The text, for textual items; not present on error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Option<TextJson>>,
    /// Why the item does not resolve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorJson>,
}

/// One entry of an array of structures inside a structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryJson {
    /// The item holding the array.
    pub item: String,
    /// The entry's index; not present on error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The entry; not present on error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<StructureJson>,
    /// Why the array does not decode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorJson>,
}

/// A decoded 2.2.6 structure, entries included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructureJson {
    /// Always `"structure"`.
    pub kind: String,
    /// The structure's name, e.g. `LINEDEVCAPS`.
    pub name: String,
    /// Its section, e.g. `2.2.6.23`.
    pub section: String,
    /// How the structure was read: at the negotiated version, or guessed from its sizes
    /// (e.g. `LINEDEVCAPS read as the TAPI 2.0-2.1 fixed part (252 bytes), guessed`).
    pub reading: String,
    /// `dwNeededSize` when the server's answer did not fit (`dwNeededSize > dwTotalSize`).
    pub buffer_too_small: Option<u32>,
    /// The fixed members.
    pub fields: Vec<MemberJson>,
    /// The (size, offset) pairs.
    pub var_items: Vec<VarItemJson>,
    /// The entries of the arrays of structures it holds.
    pub entries: Vec<EntryJson>,
}

impl StructureJson {
    /// Describes a decoded structure.
    pub fn from_raw(raw: &Raw<'_>) -> Self {
        let desc = raw.desc();
        let fields = raw
            .fields()
            .map(|(f, v)| MemberJson {
                name: f.name.into(),
                offset: f.offset,
                value: v.map(Into::into),
            })
            .collect();
        let mut var_items = Vec::new();
        let mut entries = Vec::new();
        for item in raw.var_items() {
            let (size, offset) = item.pair.map_or((None, None), |(s, o)| (Some(s), Some(o)));
            let mut v = VarItemJson {
                name: item.desc.name.into(),
                size_field: item.desc.size_field.into(),
                offset_field: item.desc.offset_field.into(),
                offset,
                size,
                hex: None,
                text: None,
                error: None,
            };
            match item.bytes() {
                Ok(b) => {
                    v.hex = Some(b.map(hex));
                    v.text = Some(match (item.text_table(), item.text(), item.multi_text()) {
                        (Ok(Some(t)), _, _) => {
                            Some(TextJson::Many(t.iter().map(|s| s.to_string()).collect()))
                        }
                        (Err(e), _, _) => {
                            v.error = Some((&e).into());
                            None
                        }
                        (_, Ok(Some(t)), _) => Some(TextJson::One(t.to_string())),
                        (_, _, Ok(Some(m))) => {
                            Some(TextJson::Many(m.iter().map(|s| s.to_string()).collect()))
                        }
                        _ => None,
                    });
                }
                Err(e) => v.error = Some((&e).into()),
            }
            if matches!(
                item.desc.kind,
                VarKind::Entries { .. } | VarKind::InlineEntries { .. }
            ) {
                match item.entries() {
                    Ok(list) => entries.extend(list.enumerate().map(|(index, entry)| EntryJson {
                        item: item.desc.name.into(),
                        index: Some(index),
                        structure: Some(StructureJson::from_raw(&entry)),
                        error: None,
                    })),
                    Err(e) => entries.push(EntryJson {
                        item: item.desc.name.into(),
                        index: None,
                        structure: None,
                        error: Some((&e).into()),
                    }),
                }
            }
            var_items.push(v);
        }
        StructureJson {
            kind: "structure".into(),
            name: desc.name.into(),
            section: desc.section.into(),
            reading: raw.reading().to_string(),
            buffer_too_small: raw.buffer_too_small(),
            fields,
            var_items,
            entries,
        }
    }
}

/// One fixed DWORD of a reply, with its reply role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplyFieldJson {
    /// The field's name as the spec spells it.
    pub name: String,
    /// Byte offset in the packet.
    pub offset: usize,
    /// The DWORD.
    pub value: u32,
    /// `return_value`, `structure`, `data`, `filled` or `echo`.
    pub role: String,
}

/// A structure the reply returns, decoded, or why it does not decode.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ReplyStructureJson {
    /// The structure.
    Decoded(StructureJson),
    /// Why it does not decode.
    Error {
        /// The decode error.
        error: ErrorJson,
    },
}

/// An output of a reply (a returned structure or data block).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplyOutputJson {
    /// The field that points at it.
    pub field: String,
    /// The offset in that field.
    pub offset: u32,
    /// `true` when the field holds 0xFFFFFFFF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absent: Option<bool>,
    /// Its size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<usize>,
    /// Its bytes as hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hex: Option<String>,
    /// The structure, for structure outputs (`null` for an unknown structure name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<Option<ReplyStructureJson>>,
    /// Why the output does not resolve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorJson>,
}

/// A reply (the request buffer after the server wrote `Ack_ReturnValue` and its outputs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplyJson {
    /// Always `"reply"`.
    pub kind: String,
    /// The spec section title of the function answered.
    pub name: String,
    /// The group title.
    pub group: String,
    /// The section number.
    pub section: String,
    /// The function's `Req_Func`.
    pub req_func: u32,
    /// `Ack_ReturnValue`.
    pub return_value: u32,
    /// Its name: `TAPI_SUCCESS`, a `LINEERR_*`/`PHONEERR_*` name, or `request id`.
    pub result: String,
    /// The fifteen fixed DWORDs with their reply roles.
    pub fields: Vec<ReplyFieldJson>,
    /// VarData.
    pub var_data: VarDataJson,
    /// The returned structures and data.
    pub outputs: Vec<ReplyOutputJson>,
}

impl ReplyJson {
    /// Describes a parsed reply, guessing the version of the structures it returns.
    pub fn from_reply(reply: &Reply<'_>) -> Self {
        Self::from_reply_with(reply, None)
    }

    /// Describes a parsed reply, reading the structures it returns at the negotiated
    /// `version` (`None`: guessed from their sizes).
    pub fn from_reply_with(reply: &Reply<'_>, version: Option<Version>) -> Self {
        let desc = reply.desc();
        let dwords = reply.dwords();
        let fields = reply
            .outputs()
            .map(|o| ReplyFieldJson {
                name: o.field.name.into(),
                offset: o.field.offset,
                value: o.raw,
                role: match o.role {
                    ReplyRole::ReturnValue => "return_value",
                    ReplyRole::Structure { .. } => "structure",
                    ReplyRole::Data { .. } => "data",
                    ReplyRole::Filled => "filled",
                    ReplyRole::Echo => "echo",
                }
                .into(),
            })
            .collect();
        let outputs = reply
            .outputs()
            .filter(|o| matches!(o.role, ReplyRole::Structure { .. } | ReplyRole::Data { .. }))
            .map(|o| {
                let mut v = ReplyOutputJson {
                    field: o.field.name.into(),
                    offset: o.raw,
                    absent: None,
                    size: None,
                    hex: None,
                    structure: None,
                    error: None,
                };
                match o.data {
                    Ok(None) => v.absent = Some(true),
                    Ok(Some(b)) => {
                        v.size = Some(b.len());
                        v.hex = Some(hex(b));
                        if let ReplyRole::Structure { name } = o.role {
                            let decoded = match version {
                                Some(version) => decode_any_with(name, b, version),
                                None => decode_any(name, b),
                            };
                            v.structure = Some(match decoded {
                                Some(Ok(s)) => Some(ReplyStructureJson::Decoded(
                                    StructureJson::from_raw(&s.raw()),
                                )),
                                Some(Err(e)) => {
                                    Some(ReplyStructureJson::Error { error: (&e).into() })
                                }
                                None => None,
                            });
                        }
                    }
                    Err(e) => v.error = Some((&e).into()),
                }
                v
            })
            .collect();
        ReplyJson {
            kind: "reply".into(),
            name: desc.name.into(),
            group: desc.group.title().into(),
            section: desc.section.into(),
            req_func: desc.func as u32,
            return_value: dwords[0],
            result: reply.return_value().result_name().into(),
            fields,
            var_data: VarDataJson {
                offset: HEADER_LEN,
                length: reply.var_data().len(),
                hex: hex(reply.var_data().as_bytes()),
            },
            outputs,
        }
    }
}

/// One fixed DWORD of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventFieldJson {
    /// The field's name as the spec spells it.
    pub name: String,
    /// Byte offset in the event.
    pub offset: usize,
    /// The DWORD.
    pub value: u32,
    /// What the value means (a constant's name, a result code, a handle type), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
}

/// One event of an ASYNCEVENTMSG buffer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventJson {
    /// Its index in the buffer.
    pub index: usize,
    /// Its byte offset in the buffer.
    pub offset: usize,
    /// The event's name, e.g. `LINE_REPLY`.
    pub name: String,
    /// `Msg`.
    pub msg: u32,
    /// The section describing it.
    pub section: String,
    /// The fixed DWORDs.
    pub fields: Vec<EventFieldJson>,
    /// The variable part, if any.
    pub var_data: Option<VarDataJson>,
}

/// Where and why an event buffer stopped decoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventErrorJson {
    /// The index of the event at fault.
    pub index: usize,
    /// Its byte offset in the buffer.
    pub offset: usize,
    /// The decode error.
    pub error: ErrorJson,
}

/// An ASYNCEVENTMSG buffer: the events before the first bad one, and that one's error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventsJson {
    /// Always `"events"`.
    pub kind: String,
    /// The events decoded, in order.
    pub events: Vec<EventJson>,
    /// The first failure, `null` when the whole buffer decoded.
    pub error: Option<EventErrorJson>,
}

impl EventsJson {
    /// Describes an event buffer (framed as the whole of `bytes`, 3.3.4.2).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let mut events = Vec::new();
        let mut error = None;
        for item in EventBuffer::new(bytes).iter() {
            let raw = match item {
                Ok(raw) => raw,
                Err(e) => {
                    error = Some(EventErrorJson::from(&e));
                    break;
                }
            };
            let typed = match Event::parse(raw) {
                Ok(ev) => ev.typed(),
                Err(e) => {
                    error = Some(EventErrorJson::from(&EventError::at(&raw, e)));
                    break;
                }
            };
            let desc = typed.desc();
            let fields = typed
                .fields()
                .map(|f| {
                    let meaning = f.meaning.to_string();
                    EventFieldJson {
                        name: f.field.name.into(),
                        offset: f.field.offset,
                        value: f.value,
                        meaning: (!meaning.is_empty()).then_some(meaning),
                    }
                })
                .collect();
            let var = typed.var_area();
            events.push(EventJson {
                index: raw.index,
                offset: raw.offset,
                name: desc.name.into(),
                msg: raw.msg(),
                section: desc.section.into(),
                fields,
                var_data: (!var.is_empty()).then(|| VarDataJson {
                    offset: typed.var_offset(),
                    length: var.len(),
                    hex: hex(var),
                }),
            });
        }
        EventsJson {
            kind: "events".into(),
            events,
            error,
        }
    }
}

impl From<&EventError> for EventErrorJson {
    fn from(e: &EventError) -> Self {
        EventErrorJson {
            index: e.index,
            offset: e.offset,
            error: (&e.error).into(),
        }
    }
}
