//! The JSON model of packets printed and read by `trp` (feature `serde`).
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
use crate::header::{HEADER_DWORDS, HEADER_LEN};
use crate::requests::{FuncId, Request, Resolved, UNKNOWN_FIELD_NAMES};

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

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
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
