//! The union of LINEPROXYREQUEST (2.2.6.28), selected by `dwRequestType`
//! (LINEPROXYREQUEST_Constants, 2.2.3.1.48).
//!
//! The diagram of 2.2.6.28 draws every union member one after the other (and with the usual
//! 96-bit GUIDs and 64-bit variable members); they are in fact alternatives that all start
//! right after `dwRequestType`, at byte 28, as in the Windows SDK's `LINEPROXYREQUEST`
//! (see spec-notes/structures.md). Each alternative is described once in [`VARIANTS`]:
//! its DWORD/GUID members (spec names, offsets from byte 28), the structure it embeds
//! (whose own offsets are relative to its own start), its strings (offsets relative to the
//! alternative's first member, per the field text) and the AgentSpecific parameter block.

use zerocopy::FromBytes;
use zerocopy::byteorder::little_endian::U32;

use super::meta::FieldType;
use super::view::{MemberValue, Raw, Text};
use super::{AnyStructure, Guid, LINEPROXYREQUEST, decode_any};
use crate::errors::{DecodeError, DecodeErrorKind};
use crate::vardata::{Align, Origin, VarData};

/// Byte offset of the union in LINEPROXYREQUEST.
pub const UNION_OFFSET: usize = 28;

macro_rules! proxy_kinds {
    ($($k:ident = $v:literal, $n:literal;)*) => {
        /// `dwRequestType`: the LINEPROXYREQUEST_Constants of 2.2.3.1.48.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        #[repr(u32)]
        pub enum ProxyRequestKind {
            $( #[doc = concat!("`", $n, "`.")] $k = $v, )*
        }
        impl ProxyRequestKind {
            /// The kind with this value.
            pub const fn from_u32(v: u32) -> Option<Self> {
                match v {
                    $( $v => Some(ProxyRequestKind::$k), )*
                    _ => None,
                }
            }
            /// The constant's name, e.g. `LINEPROXYREQUEST_SETAGENTGROUP`.
            pub const fn name(self) -> &'static str {
                match self {
                    $( ProxyRequestKind::$k => $n, )*
                }
            }
        }
    };
}

proxy_kinds! {
    SetAgentGroup = 1, "LINEPROXYREQUEST_SETAGENTGROUP";
    SetAgentState = 2, "LINEPROXYREQUEST_SETAGENTSTATE";
    SetAgentActivity = 3, "LINEPROXYREQUEST_SETAGENTACTIVITY";
    GetAgentCaps = 4, "LINEPROXYREQUEST_GETAGENTCAPS";
    GetAgentStatus = 5, "LINEPROXYREQUEST_GETAGENTSTATUS";
    AgentSpecific = 6, "LINEPROXYREQUEST_AGENTSPECIFIC";
    GetAgentActivityList = 7, "LINEPROXYREQUEST_GETAGENTACTIVITYLIST";
    GetAgentGroupList = 8, "LINEPROXYREQUEST_GETAGENTGROUPLIST";
    CreateAgent = 9, "LINEPROXYREQUEST_CREATEAGENT";
    SetAgentMeasurementPeriod = 10, "LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD";
    GetAgentInfo = 11, "LINEPROXYREQUEST_GETAGENTINFO";
    CreateAgentSession = 12, "LINEPROXYREQUEST_CREATEAGENTSESSION";
    GetAgentSessionList = 13, "LINEPROXYREQUEST_GETAGENTSESSIONLIST";
    SetAgentSessionState = 14, "LINEPROXYREQUEST_SETAGENTSESSIONSTATE";
    GetAgentSessionInfo = 15, "LINEPROXYREQUEST_GETAGENTSESSIONINFO";
    GetQueueList = 16, "LINEPROXYREQUEST_GETQUEUELIST";
    SetQueueMeasurementPeriod = 17, "LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD";
    GetQueueInfo = 18, "LINEPROXYREQUEST_GETQUEUEINFO";
    GetGroupList = 19, "LINEPROXYREQUEST_GETGROUPLIST";
    SetAgentStateEx = 20, "LINEPROXYREQUEST_SETAGENTSTATEEX";
}

/// A member of a union alternative: spec name, offset from the union start, type.
pub type ProxyMember = (&'static str, usize, FieldType);

/// A string of a union alternative: spec names and offsets (from the union start) of its size
/// and offset members. Its offset counts from the alternative's first member (the union
/// start).
pub type ProxyString = (&'static str, &'static str, usize, &'static str, usize);

/// One alternative of the union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyVariant {
    /// `dwRequestType`.
    pub kind: ProxyRequestKind,
    /// The DWORD and GUID members.
    pub members: &'static [ProxyMember],
    /// The embedded structure: member name, offset from the union start, structure name.
    pub structure: Option<(&'static str, usize, &'static str)>,
    /// The strings.
    pub strings: &'static [ProxyString],
    /// Length of the alternative's members (its strings start at or after this).
    pub fixed_len: usize,
    /// The AgentSpecific parameter block: member name, offset of its size member and of the
    /// block.
    pub params: Option<(&'static str, usize, usize)>,
}

use FieldType::{Dword as D, Guid as G};
use ProxyRequestKind as K;

const fn v(
    kind: ProxyRequestKind,
    members: &'static [ProxyMember],
    structure: Option<(&'static str, usize, &'static str)>,
) -> ProxyVariant {
    let mut fixed_len = 0;
    let mut i = 0;
    while i < members.len() {
        fixed_len += if matches!(members[i].2, FieldType::Guid) {
            16
        } else {
            4
        };
        i += 1;
    }
    ProxyVariant {
        kind,
        members,
        structure,
        strings: &[],
        fixed_len,
        params: None,
    }
}

/// The union alternatives, in `dwRequestType` order.
pub const VARIANTS: &[ProxyVariant] = &[
    v(
        K::SetAgentGroup,
        &[("dwAddressIDSETAGENTGROUP", 0, D)],
        Some(("GroupListSETAGENTGROUP", 4, "LINEAGENTGROUPLIST")),
    ),
    v(
        K::SetAgentState,
        &[
            ("dwAddressIDSETAGENTSTATE", 0, D),
            ("dwAgentStateSETAGENTSTATE", 4, D),
            ("dwNextAgentStateSETAGENTSTATE", 8, D),
        ],
        None,
    ),
    v(
        K::SetAgentActivity,
        &[
            ("dwAddressIDSETAGENTACTIVITY", 0, D),
            ("dwActivityIDSETAGENTACTIVITY", 4, D),
        ],
        None,
    ),
    v(
        K::GetAgentCaps,
        &[("dwAddressIDGETAGENTCAPS", 0, D)],
        Some(("AgentCapsGETAGENTCAPS", 4, "LINEAGENTCAPS")),
    ),
    v(
        K::GetAgentStatus,
        &[("dwAddressIDGETAGENTSTATUS", 0, D)],
        Some(("AgentStatusGETAGENTSTATUS", 4, "LINEAGENTSTATUS")),
    ),
    ProxyVariant {
        params: Some(("ParamsAGENTSPECIFIC", 8, 12)),
        ..v(
            K::AgentSpecific,
            &[
                ("dwAddressIDAGENTSPECIFIC", 0, D),
                ("dwAgentExtensionIDIndexAGENTSPECIFIC", 4, D),
                ("dwSizeAGENTSPECIFIC", 8, D),
            ],
            None,
        )
    },
    v(
        K::GetAgentActivityList,
        &[("dwAddressIDGETAGENTACTIVITYLIST", 0, D)],
        Some((
            "ActivityListGETAGENTACTIVITYLIST",
            4,
            "LINEAGENTACTIVITYLIST",
        )),
    ),
    // The spec names this alternative's list "GroupListGETAGENTACTIVITYLIST" (sic).
    v(
        K::GetAgentGroupList,
        &[("dwAddressIDGETAGENTGROUPLIST", 0, D)],
        Some(("GroupListGETAGENTACTIVITYLIST", 4, "LINEAGENTGROUPLIST")),
    ),
    ProxyVariant {
        strings: &[
            (
                "AgentIDCREATEAGENT",
                "dwAgentIDSizeCREATEAGENT",
                4,
                "dwAgentIDOffsetCREATEAGENT",
                8,
            ),
            (
                "AgentPINCREATEAGENT",
                "dwAgentPINSizeCREATEAGENT",
                12,
                "dwAgentPINOffsetCREATEAGENT",
                16,
            ),
        ],
        ..v(
            K::CreateAgent,
            &[
                ("hAgentCREATEAGENT", 0, D),
                ("dwAgentIDSizeCREATEAGENT", 4, D),
                ("dwAgentIDOffsetCREATEAGENT", 8, D),
                ("dwAgentPINSizeCREATEAGENT", 12, D),
                ("dwAgentPINOffsetCREATEAGENT", 16, D),
            ],
            None,
        )
    },
    v(
        K::SetAgentMeasurementPeriod,
        &[
            ("hAgentSETAGENTMEASUREMENTPERIOD", 0, D),
            ("dwMeasurementPeriodSETAGENTMEASUREMENTPERIOD", 4, D),
        ],
        None,
    ),
    v(
        K::GetAgentInfo,
        &[("hAgentGETAGENTINFO", 0, D)],
        Some(("AgentInfoGETAGENTINFO", 4, "LINEAGENTINFO")),
    ),
    ProxyVariant {
        strings: &[(
            "AgentPINCREATEAGENTSESSION",
            "dwAgentPINSizeCREATEAGENTSESSION",
            4,
            "dwAgentPINOffsetCREATEAGENTSESSION",
            8,
        )],
        ..v(
            K::CreateAgentSession,
            &[
                ("hAgentSessionCREATEAGENTSESSION", 0, D),
                ("dwAgentPINSizeCREATEAGENTSESSION", 4, D),
                ("dwAgentPINOffsetCREATEAGENTSESSION", 8, D),
                ("hAgentCREATEAGENTSESSION", 12, D),
                ("GroupIDCREATEAGENTSESSION", 16, G),
                ("dwWorkingAddressIDCREATEAGENTSESSION", 32, D),
            ],
            None,
        )
    },
    v(
        K::GetAgentSessionList,
        &[("hAgentGETAGENTSESSIONLIST", 0, D)],
        Some(("SessionListGETAGENTSESSIONLIST", 4, "LINEAGENTSESSIONLIST")),
    ),
    v(
        K::SetAgentSessionState,
        &[
            ("hAgentSessionSETAGENTSESSIONSTATE", 0, D),
            ("dwAgentSessionStateSETAGENTSESSIONSTATE", 4, D),
            ("dwNextAgentSessionStateSETAGENTSESSIONSTATE", 8, D),
        ],
        None,
    ),
    v(
        K::GetAgentSessionInfo,
        &[("hAgentSessionGETAGENTSESSIONINFO", 0, D)],
        Some(("SessionInfoGETAGENTSESSIONINFO", 4, "LINEAGENTSESSIONINFO")),
    ),
    v(
        K::GetQueueList,
        &[("GroupIDGETQUEUELIST", 0, G)],
        Some(("QueueListGETQUEUELIST", 16, "LINEQUEUELIST")),
    ),
    v(
        K::SetQueueMeasurementPeriod,
        &[
            ("dwQueueIDSETQUEUEMEASUREMENTPERIOD", 0, D),
            ("dwMeasurementPeriodSETQUEUEMEASUREMENTPERIOD", 4, D),
        ],
        None,
    ),
    v(
        K::GetQueueInfo,
        &[("dwQueueIDGETQUEUEINFO", 0, D)],
        Some(("QueueInfoGETQUEUEINFO", 4, "LINEQUEUEINFO")),
    ),
    v(
        K::GetGroupList,
        &[],
        Some(("GroupListGETGROUPLIST", 0, "LINEAGENTGROUPLIST")),
    ),
    // 2.2.6.28 draws no members for SetAgentStateEx; [MS-TRP] names them in the diagram as
    // hAgentSETAGENTSTATEEX, dwAgentStateSETAGENTSTATEEX, dwNextAgentStateSETAGENTSTATEEX.
    v(
        K::SetAgentStateEx,
        &[
            ("hAgentSETAGENTSTATEEX", 0, D),
            ("dwAgentStateSETAGENTSTATEEX", 4, D),
            ("dwNextAgentStateSETAGENTSTATEEX", 8, D),
        ],
        None,
    ),
];

/// The union of a LINEPROXYREQUEST, read according to `dwRequestType`.
#[derive(Clone, Copy, Debug)]
pub struct ProxyRequest<'a> {
    raw: Raw<'a>,
    variant: Option<&'static ProxyVariant>,
}

impl<'a> LINEPROXYREQUEST<'a> {
    /// The union member selected by `dwRequestType`.
    pub fn request(&self) -> ProxyRequest<'a> {
        let t = self.dw_request_type();
        ProxyRequest {
            raw: self.raw(),
            variant: VARIANTS.iter().find(|v| v.kind as u32 == t),
        }
    }
}

impl<'a> ProxyRequest<'a> {
    /// The alternative's description, `None` for an undocumented `dwRequestType`.
    pub fn variant(&self) -> Option<&'static ProxyVariant> {
        self.variant
    }

    /// `dwRequestType` as a kind.
    pub fn kind(&self) -> Option<ProxyRequestKind> {
        self.variant.map(|v| v.kind)
    }

    /// The union's bytes (from byte 28 to `dwSize`).
    fn union(&self) -> &'a [u8] {
        self.raw.root_bytes().get(UNION_OFFSET..).unwrap_or(&[])
    }

    fn origin(&self, field: &'static str, rel: usize) -> Origin {
        Origin {
            packet: "LINEPROXYREQUEST",
            field,
            offset: UNION_OFFSET + rel,
        }
    }

    /// The alternative's DWORD and GUID members with their offsets in LINEPROXYREQUEST; a
    /// member beyond `dwSize` reads as `None`.
    pub fn members(&self) -> impl Iterator<Item = (&'static str, usize, Option<MemberValue>)> + 'a {
        let union = self.union();
        self.variant
            .map_or(&[][..], |v| v.members)
            .iter()
            .map(move |(name, rel, ty)| {
                let tail = union.get(*rel..).unwrap_or(&[]);
                let value = match ty {
                    FieldType::Guid => Guid::read_from_prefix(tail)
                        .ok()
                        .map(|(g, _)| MemberValue::Guid(g)),
                    _ => U32::read_from_prefix(tail)
                        .ok()
                        .map(|(d, _)| MemberValue::Dword(d.get())),
                };
                (*name, UNION_OFFSET + rel, value)
            })
    }

    /// The DWORD member called `name`, if the alternative has it and it is present.
    pub fn member(&self, name: &str) -> Option<u32> {
        self.members()
            .find(|m| m.0 == name)
            .and_then(|m| match m.2 {
                Some(MemberValue::Dword(d)) => Some(d),
                _ => None,
            })
    }

    /// The embedded structure (LINEAGENTCAPS, LINEAGENTGROUPLIST, ...), decoded from its
    /// position in the union; its offsets are relative to its own start.
    pub fn structure(&self) -> Option<(&'static str, Result<AnyStructure<'a>, DecodeError>)> {
        let (member, rel, name) = self.variant?.structure?;
        let bytes = match self.union().get(rel..) {
            Some(b) => b,
            None => {
                return Some((
                    member,
                    Err(self.origin(member, rel).error(DecodeErrorKind::Truncated {
                        needed: UNION_OFFSET + rel,
                        actual: self.raw.root_bytes().len(),
                    })),
                ));
            }
        };
        decode_any(name, bytes).map(|r| (member, r))
    }

    /// The alternative's strings (CreateAgent's agent ID and PIN, CreateAgentSession's PIN),
    /// with offsets relative to the alternative's first member, as 2.2.6.28 says.
    pub fn strings(
        &self,
    ) -> impl Iterator<Item = (&'static str, Result<Option<Text<'a>>, DecodeError>)> + 'a {
        let this = *self;
        let union = self.union();
        let fixed_len = self.variant.map_or(0, |v| v.fixed_len);
        self.variant.map_or(&[][..], |v| v.strings).iter().map(
            move |(name, _size_name, size_at, off_name, off_at)| {
                let read = |at: usize| {
                    union
                        .get(at..)
                        .and_then(|b| U32::read_from_prefix(b).ok())
                        .map(|(d, _)| d.get())
                };
                let r = match (read(*size_at), read(*off_at)) {
                    (Some(size), Some(offset)) => VarData::new(union)
                        .item(
                            this.origin(off_name, *off_at),
                            offset,
                            size,
                            Align::Wchar,
                            fixed_len,
                        )
                        .and_then(|b| match b {
                            None => Ok(None),
                            Some(b) => Text::decode(super::STRINGFORMAT_UNICODE, b)
                                .map(Some)
                                .map_err(|size| {
                                    this.origin(off_name, *off_at)
                                        .error(DecodeErrorKind::OddStringSize { size })
                                }),
                        }),
                    _ => Ok(None),
                };
                (*name, r)
            },
        )
    }

    /// AgentSpecific's parameter block (`dwSizeAGENTSPECIFIC` bytes at byte 40).
    pub fn params(&self) -> Result<Option<&'a [u8]>, DecodeError> {
        let Some((name, size_at, at)) = self.variant.and_then(|v| v.params) else {
            return Ok(None);
        };
        let union = self.union();
        let Some(size) = union
            .get(size_at..)
            .and_then(|b| U32::read_from_prefix(b).ok())
            .map(|(d, _)| d.get())
        else {
            return Ok(None);
        };
        VarData::new(union).item(self.origin(name, at), at as u32, size, Align::Byte, at)
    }
}
