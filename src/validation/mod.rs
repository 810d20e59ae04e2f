//! The processing rules of 3.1.4.2 (ClientRequest), as a conforming server applies them.
//!
//! Section 3.1.4.2 lists, for each of the 132 functions, the checks a server MUST make before
//! it processes a request ("The server MUST fail if dwFriendlyNameOffset is not
//! WCHAR-aligned."), plus the checks on the ClientRequest call itself and the validity block of
//! LINECALLPARAMS. This module holds each of those sentences once, as a [`Rule`] in a table
//! ([`rules`]): the sentence's id and text, the field it is about (spec spelling), a [`Check`]
//! built from a small set of shapes, an optional [`Guard`] (the "If ... is not set to
//! 0xFFFFFFFF" and "If dwToneMode is LINETONEMODE_CUSTOM" conditions), and the error code a
//! conforming server returns.
//!
//! [`validate`] runs every rule of a request's function and returns every violation, not just
//! the first; [`validate_into`] does the same into a caller's sink without allocating. Checks
//! on offsets and strings go through [`crate::vardata`], the crate's one resolver. Checks that
//! need server state (is this handle valid, is this device id in range, is a proxy handler
//! registered) ask a [`ServerState`] the caller implements; without one they are skipped, so
//! stateless validation works on its own.
//!
//! Validation has one source of truth with the decoder: field names are the request
//! catalogue's (checked at compile time), structure sizes are the structure catalogue's
//! ([`struct_size`]), and the rules about an embedded structure (LINECALLPARAMS,
//! LINEFORWARDLIST, ...) read it through the catalogue's views, with the decoder's entry
//! strides and item resolution, so a structure the decoder accepts passes them and one it
//! rejects breaks at least one of them (the one deliberate difference: 3.1.4.2 wants item
//! offsets DWORD-aligned; see `spec-notes/validation.md`). [`Report`] holds each (rule, field)
//! once; [`Report::for_call`] checks a whole ClientRequest call.
//!
//! # The negotiated TAPI version
//!
//! Structures grow with the TAPI version (LINEDEVCAPS is 236, 240, 252, 268 or 292 bytes;
//! LINECALLPARAMS 112, 176 or 180; LINEFORWARD entries 24 or 32), and some rules exist only
//! for some versions (CP.3, CP.7, SetMediaMode 80.2). [`validate_with`],
//! [`validate_into_with`], [`is_valid_with`], [`Report::new_with`] and
//! [`Report::for_call_with`] take the negotiated version; the functions without `_with` are
//! the same with `None`. Each request is validated under one version, [`version_for`]'s: the
//! caller's; else Open's dwNegotiatedVersion; else what the [`ServerState`] knows for the
//! request's line, call or phone handle; else none. With a version, "the size of the X packet"
//! is X's fixed part in that version ([`crate::structures::StructDesc::fixed_size`]) and
//! embedded structures are read as that version lays them out
//! ([`crate::structures::Raw::parse_with`], [`crate::structures::decode_any_with`]); with none,
//! the oldest (TAPI 1.3) fixed part ([`crate::structures::StructDesc::min_size`]), the
//! decoder's guesses ([`crate::structures::Raw::parse`]), and the version-dependent rules are
//! skipped.
//!
//! ```
//! use mstrp::requests::{builders, Request};
//! use mstrp::validation::validate;
//!
//! // Initialize with a friendly name that is not NUL-terminated inside VarData.
//! let mut bytes = builders::LineInitialize::new()
//!     .dw_friendly_name_offset("tapi")
//!     .dw_module_name_offset("tapi")
//!     .dw_api_version(0x0002_0000)
//!     .to_bytes()
//!     .to_vec();
//! bytes.truncate(60 + 10); // "tapi" + NUL is 10 bytes; cut the padding and the module name
//! bytes[60 + 8..60 + 10].copy_from_slice(&[b'!', 0]); // overwrite the NUL
//! let request = Request::parse(&bytes)?;
//! let violations = validate(&request, None);
//! assert!(violations.iter().any(|v| v.rule.id == "47.3"
//!     && v.error().name() == "LINEERR_INVALPOINTER"));
//! # Ok::<(), mstrp::errors::DecodeError>(())
//! ```

use alloc::vec::Vec;
use core::fmt;

use crate::errors::{DecodeError, ErrorCode, LineErr, PhoneErr};
use crate::handles::{HCall, HLine, HPhone, HandleKind, Version};
use crate::header::{HEADER_DWORDS, HEADER_LEN};
use crate::requests::{FuncId, PacketDesc, Request};
use crate::structures::StructDesc;
use crate::vardata::{Origin, VarData};

mod callparams;
pub mod consts;
mod embedded;
mod engine;
pub mod rules;

pub use callparams::{CALLPARAMS_RULES, CpCheck};
pub use embedded::FwdCheck;
pub use rules::{NOT_APPLIED, all as all_rules};

/// Which device class a device identifier belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Device {
    /// A line device identifier (`dwDeviceID` of a line request).
    Line,
    /// A phone device identifier (`dwDeviceID` of a phone request).
    Phone,
}

/// A fact about the server's state that a rule depends on, other than handle and device
/// validity. [`ServerState::holds`] answers whether the fact is true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fact {
    /// `address_id` is a valid address of the line (`line` is an HLINE, or a device id when
    /// `by_device` is set).
    AddressId {
        /// The line handle or device id.
        line: u32,
        /// Whether `line` is a device identifier rather than an HLINE.
        by_device: bool,
        /// The address identifier.
        address_id: u32,
    },
    /// An agent is associated with `address_id` on `h_line`.
    AgentOnAddress {
        /// The line.
        h_line: HLine,
        /// The address identifier.
        address_id: u32,
    },
    /// `version` is a valid extension version for the device or handle `target` of `func`.
    ExtVersion {
        /// The request.
        func: FuncId,
        /// The device id or handle the request names.
        target: u32,
        /// The extension version.
        version: Version,
    },
    /// `feature` is a valid device-specific feature of `h_line` (DevSpecificFeature).
    Feature {
        /// The line.
        h_line: HLine,
        /// The feature (dwFeature).
        feature: u32,
    },
    /// The two calls are on the same line (CompleteTransfer).
    SameLine {
        /// The first call.
        a: HCall,
        /// The second call.
        b: HCall,
    },
    /// The call is currently conferenced (RemoveFromConference).
    Conferenced(HCall),
    /// At least one line is initialized on the server (GetCallIDs).
    LinesInitialized,
    /// The client holds at least `privilege` (PHONEPRIVILEGE_MONITOR or _OWNER) on `h_phone`.
    PhonePrivilege {
        /// The phone.
        h_phone: HPhone,
        /// The privilege required.
        privilege: u32,
    },
    /// The client has administrator privileges (MMC requests).
    Admin,
    /// `object_id` is valid for `object_type` (a TUISPIDLL_OBJECT constant).
    ObjectId {
        /// dwObjectType.
        object_type: u32,
        /// dwObjectID.
        object_id: u32,
    },
    /// The client installs or removes a provider and has administrator privileges, or does
    /// not install or remove one (GetUIDllName with TUISPIDLL_OBJECT_PROVIDERID).
    ProviderInstallAllowed,
    /// `provider_id` names an installed provider (GetDeviceFlags).
    ProviderId(u32),
    /// `ht_dlg_inst` is a dialog instance handle the server handed out (FreeDialogInstance).
    DialogInstance(u32),
    /// The device counts of NegotiateAPIVersionForAllDevices are valid.
    NumDevices {
        /// dwNumLineDevices.
        lines: u32,
        /// dwNumPhoneDevices.
        phones: u32,
    },
    /// `obj_type` is a valid object type of RSPSetEventFilterMasks.
    ObjectType(u32),
    /// `object_id` is a valid object of `obj_type` (RSPSetEventFilterMasks).
    EventObject {
        /// dwObjType.
        obj_type: u32,
        /// lObjectID.
        object_id: u32,
    },
    /// A proxy handler is registered for the line device `device_id` (and, with `func`,
    /// handles that request): GetAgentCaps names its line by device id.
    ProxyForDevice {
        /// The line device id.
        device_id: u32,
        /// The request the handler must handle, if any.
        func: Option<FuncId>,
    },
    /// The LINECALLHUBTRACKINGINFO.dwCurrentTracking value is valid for the line.
    Tracking {
        /// The line.
        h_line: HLine,
        /// dwCurrentTracking.
        value: u32,
    },
}

/// The server state the stateful rules consult: a handle/device table, the proxy
/// registrations, and other facts. Implement the first four; [`ServerState::holds`] and
/// [`ServerState::api_version`] default to "true" and "unknown".
pub trait ServerState {
    /// Whether `value` is a live handle of `kind` for this client.
    fn handle_valid(&self, kind: HandleKind, value: u32) -> bool;
    /// Whether `id` is an existing device identifier of `device`'s class.
    fn device_id_valid(&self, device: Device, id: u32) -> bool;
    /// Whether a proxy function handler is registered for the line.
    fn proxy_registered(&self, h_line: HLine) -> bool;
    /// Whether the proxy handler registered for the line handles `func`.
    fn proxy_handles(&self, h_line: HLine, func: FuncId) -> bool;
    /// Whether `fact` holds. The default says yes, so rules about facts a table does not
    /// track never fire.
    fn holds(&self, fact: Fact) -> bool {
        let _ = fact;
        true
    }
    /// The TAPI version negotiated for the handle (`kind`, `value`), if known. When the caller
    /// of [`validate_with`] gives no version, this is the request's version for a request
    /// about a line, call or phone handle ([`version_for`]): structure sizes, embedded
    /// structures' layout and the version-dependent rules (CP.3, CP.7, 80.2) follow it.
    /// `None`: unknown.
    fn api_version(&self, kind: HandleKind, value: u32) -> Option<Version> {
        let _ = (kind, value);
        None
    }
}

/// Where a rule's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Block {
    /// The checks on the ClientRequest call at the top of 3.1.4.2.
    ClientRequest,
    /// The block "When Req_Func is equal to N" of 3.1.4.2.
    Function(FuncId),
    /// The validity block of LINECALLPARAMS that follows the SetUpTransfer block.
    CallParams,
    /// A requirement of the packet's own section (2.2.4.1.x) that 3.1.4.2 leaves out but that
    /// decoding depends on (see `spec-notes/validation.md`).
    Packet(FuncId),
}

/// A field named by a rule: its index among the fifteen DWORDs (or, for LINECALLPARAMS
/// rules, among the structure's DWORDs).
pub type FieldIndex = u8;

impl Check {
    /// Whether the check is about the layout of a reference or an embedded structure
    /// (alignment, bounds, sizes, offsets, extents, decoding) rather than about values.
    pub const fn is_layout(&self) -> bool {
        match self {
            Check::StrAligned(_)
            | Check::StrWithin(_)
            | Check::StrTerminated(_)
            | Check::Str(_)
            | Check::AlignedWithin(_)
            | Check::Extent(..)
            | Check::Block(..)
            | Check::Fits(..)
            | Check::Resolves(_)
            | Check::MultipleOf(..)
            | Check::Decodes(_) => true,
            Check::Forward(_, f) => f.is_layout(),
            Check::Cp(c) => c.is_layout(),
            _ => false,
        }
    }

    /// Whether the check consults the [`ServerState`] and passes without one (handles,
    /// device ids, proxies, facts, predicates with state). Validation without a state does
    /// not run these (their outcome is known: pass).
    pub const fn needs_state(&self) -> bool {
        matches!(
            self,
            Check::Handle(..)
                | Check::DeviceId(..)
                | Check::ProxyRegistered(_)
                | Check::ProxyHandles(_)
                | Check::Fact(_)
                | Check::WithState(_)
        )
    }

    /// The field holding the embedded structure the check is about, if any.
    pub const fn structure_field(&self) -> Option<FieldIndex> {
        match self {
            Check::AlignedWithin(i)
            | Check::Fits(i, _)
            | Check::Resolves(i)
            | Check::MultipleOf(i, _)
            | Check::Decodes(i)
            | Check::Forward(i, _)
            | Check::CallParams(i, _) => Some(*i),
            _ => None,
        }
    }
}

/// A bound used by the size rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// A constant (sizes that do not depend on the TAPI version, e.g. 16 for a GUID).
    Const(u32),
    /// The value of a field.
    Field(FieldIndex),
    /// "The size of the X packet": the fixed part of structure X in the negotiated TAPI
    /// version ([`StructDesc::fixed_size`]), or its oldest fixed part
    /// ([`StructDesc::min_size`]) when the version is not known; see [`struct_size`].
    Struct(&'static StructDesc),
}

/// The size "the size of the X packet" means for a request validated under `version` (the
/// version [`version_for`] resolves): X's fixed part in that version
/// ([`StructDesc::fixed_size`]: LINEDEVCAPS 236, 240, 252, 268, 292 for TAPI 1.3, 1.4,
/// 2.0-2.1, 2.2, 3.x), or, with no version, its oldest (TAPI 1.3) fixed part
/// ([`StructDesc::min_size`]), which every version's structure holds.
pub fn struct_size(desc: &StructDesc, version: Option<Version>) -> u32 {
    let n = match version {
        Some(v) => desc.fixed_size(v),
        None => desc.min_size,
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How a value must relate to a constant set of 2.2.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bits {
    /// Exactly one bit set, and it is one of the set ("has more than one bit set or its value
    /// is not one among ...").
    One,
    /// Zero, or exactly one bit of the set ("If the value ... is nonzero, ... more than one
    /// bit set or not one among").
    ZeroOrOne,
    /// Any combination of the set's bits, zero included ("not one among valid ...").
    Subset,
    /// A nonzero combination of the set's bits ("is zero or does not have a value among").
    NonZeroSubset,
}

/// The shape of a rule: what is checked. Field arguments are indexes into the fixed DWORDs.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// String offset is WCHAR-aligned.
    StrAligned(FieldIndex),
    /// String offset lies within VarData.
    StrWithin(FieldIndex),
    /// String is NUL-terminated within VarData.
    StrTerminated(FieldIndex),
    /// The three string checks at once ("not WCHAR-aligned, not NULL-terminated, or lies
    /// outside VarData").
    Str(FieldIndex),
    /// Offset is DWORD-aligned and lies within VarData.
    AlignedWithin(FieldIndex),
    /// `offset + size` lies within VarData (size from the second field).
    Extent(FieldIndex, FieldIndex),
    /// Offset is DWORD-aligned and `offset + size` lies within VarData.
    Block(FieldIndex, FieldIndex),
    /// VarData holds the structure at the offset: `offset + max(dwTotalSize, fixed size)`
    /// lies within VarData, the fixed size being [`struct_size`] of the structure in the
    /// request's version.
    Fits(FieldIndex, &'static StructDesc),
    /// The reference resolves as the catalogue's role says (string, block or structure),
    /// with every check of [`crate::vardata`].
    Resolves(FieldIndex),
    /// VarData is at least this long.
    VarDataAtLeast(Bound),
    /// Field is at least the bound.
    AtLeast(FieldIndex, Bound),
    /// Field is at most the constant.
    AtMost(FieldIndex, u32),
    /// Field is a multiple of the constant.
    MultipleOf(FieldIndex, u32),
    /// Field is nonzero.
    NonZero(FieldIndex),
    /// Field equals the constant.
    Equals(FieldIndex, u32),
    /// Field relates to the constant set `mask` as [`Bits`] says.
    Bits(FieldIndex, u32, Bits),
    /// Field is one of the versions.
    Version(FieldIndex, &'static [u32]),
    /// First field is not greater than the second.
    NotGreater(FieldIndex, FieldIndex),
    /// Some version of [`consts::TAPI_VERSIONS`] lies between the two fields, inclusive.
    VersionBetween(FieldIndex, FieldIndex),
    /// (stateful) Field is a valid handle of the kind. With `optional`, zero means "not
    /// specified" and passes.
    Handle(FieldIndex, HandleKind, bool),
    /// (stateful) Field is a valid device identifier.
    DeviceId(FieldIndex, Device),
    /// (stateful) A proxy handler is registered for the line in the field.
    ProxyRegistered(FieldIndex),
    /// (stateful) The registered proxy handler handles this request.
    ProxyHandles(FieldIndex),
    /// (stateful) A fact built from the request holds.
    Fact(fn(&Ctx<'_>) -> Option<Fact>),
    /// The LINECALLPARAMS structure at the offset is valid (the rules of [`CALLPARAMS_RULES`]),
    /// read in the request's version ([`Ctx::version`]). Without a version given by the caller,
    /// [`VersionSource`] says where the request's version comes from (see [`version_for`]).
    CallParams(FieldIndex, VersionSource),
    /// A predicate particular to one rule: `true` when the request violates it.
    Custom(fn(&Ctx<'_>) -> bool),
    /// (stateful) A predicate that also consults the server state: `true` when violated.
    WithState(fn(&Ctx<'_>, &dyn ServerState) -> bool),
    /// A LINECALLPARAMS rule (only in [`CALLPARAMS_RULES`]).
    Cp(callparams::CpCheck),
    /// A rule over the LINEFORWARDLIST at the field, over its catalogue view and entries.
    Forward(FieldIndex, FwdCheck),
    /// The structure at the field decodes as its catalogue structure, every item resolved
    /// (what [`crate::requests::StructRef::decode`] and the view's `validate` accept). Run last
    /// in a block, and only when no earlier layout rule failed on the same field, so a
    /// structure that breaks a 3.1.4.2 rule is reported once, by that rule.
    Decodes(FieldIndex),
    /// A ClientRequest-level rule (only in [`CLIENT_REQUEST_RULES`]).
    Call(CallCheck),
}

/// Where a request that embeds a LINECALLPARAMS finds its TAPI version when the caller gives
/// none (see [`version_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSource {
    /// A version field of the request (Open's dwNegotiatedVersion), when it holds one of the
    /// TAPI versions.
    Field(FieldIndex),
    /// The version negotiated for the handle in the field (asks [`ServerState::api_version`]).
    Handle(FieldIndex, HandleKind),
}

/// When a rule applies.
#[derive(Debug, Clone, Copy)]
pub enum Guard {
    /// Always.
    Always,
    /// Unless the field holds 0xFFFFFFFF (TAPI_NO_DATA).
    Present(FieldIndex),
    /// When the field equals the value.
    Eq(FieldIndex, u32),
    /// When the field has any of the bits.
    Any(FieldIndex, u32),
    /// When the field is nonzero.
    NonZero(FieldIndex),
    /// When the predicate holds.
    If(fn(&Ctx<'_>) -> bool),
}

/// One sentence of 3.1.4.2.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// `"<Req_Func>.<n>"`: the n-th bullet of the function's block (bullets counted as they
    /// appear, "On success" ones included); `"CP.<n>"` for the LINECALLPARAMS block,
    /// `"CR.<n>"` for the ClientRequest checks, `"<Req_Func>.P<n>"` for packet-section
    /// requirements.
    pub id: &'static str,
    /// The block the sentence belongs to.
    pub block: Block,
    /// The field the rule is about, spelled as in the packet diagram.
    pub field: &'static str,
    /// What is checked.
    pub check: Check,
    /// When it is checked.
    pub guard: Guard,
    /// What a conforming server returns when the check fails.
    pub error: ErrorCode,
    /// The sentence (lightly normalized) as the spec writes it.
    pub text: &'static str,
    /// Why the rule deviates from the sentence, if it does (see spec-notes/validation.md).
    pub note: Option<&'static str>,
}

impl Rule {
    /// The spec section the sentence is in: 3.1.4.2, or the packet's section for
    /// [`Block::Packet`] rules.
    pub fn section(&self) -> &'static str {
        match self.block {
            Block::Packet(f) => f.desc().section,
            _ => "3.1.4.2",
        }
    }

    /// Whether the rule is about layout (see [`Check::is_layout`]).
    pub const fn is_layout(&self) -> bool {
        self.check.is_layout()
    }

    /// Whether the rule needs a [`ServerState`].
    pub fn is_stateful(&self) -> bool {
        self.check.needs_state() || matches!(self.check, Check::Cp(c) if c.is_stateful())
    }
}

/// A failed rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Violation {
    /// The rule.
    pub rule: &'static Rule,
    /// For a LINECALLPARAMS rule, the function rule that applied the LINECALLPARAMS block.
    pub via: Option<&'static Rule>,
    /// The resolver's error, for rules about references.
    pub detail: Option<DecodeError>,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.block == other.block
    }
}

impl Eq for Rule {}

impl Violation {
    /// The rule's id, e.g. `"47.1"`.
    pub fn id(&self) -> &'static str {
        self.rule.id
    }

    /// The field, spec spelling.
    pub fn field(&self) -> &'static str {
        self.rule.field
    }

    /// The spec section.
    pub fn section(&self) -> &'static str {
        self.rule.section()
    }

    /// The error code a conforming server returns.
    pub fn error(&self) -> ErrorCode {
        self.rule.error
    }

    /// For a layout violation about an embedded structure, the field that holds it.
    fn layout_field(&self) -> Option<FieldIndex> {
        if !self.rule.is_layout() {
            return None;
        }
        self.via.unwrap_or(self.rule).check.structure_field()
    }

    /// Whether `self` and `other` report the same rule about the same field.
    pub fn same_rule(&self, other: &Violation) -> bool {
        self.rule == other.rule
            && self.rule.field == other.rule.field
            && self.via.map(|r| r.id) == other.via.map(|r| r.id)
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{} {}] {}",
            self.section(),
            self.rule.id,
            self.rule.text
        )?;
        if let Some(via) = self.via {
            write!(f, " (LINECALLPARAMS of rule {})", via.id)?;
        }
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        write!(f, " -> {}", self.error().name())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Violation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use alloc::string::ToString;
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Violation", 5)?;
        st.serialize_field("rule", self.rule.id)?;
        st.serialize_field("field", self.rule.field)?;
        st.serialize_field("section", self.section())?;
        st.serialize_field("error", self.error().name())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

/// The outcome of validating one request, as `trp validate --json` prints it:
/// `{"valid":false,"violations":[...]}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Report {
    /// Whether no rule failed.
    pub valid: bool,
    /// Every violation, in rule order.
    pub violations: Vec<Violation>,
}

impl Report {
    /// Validates `request` (see [`validate`]).
    pub fn new(request: &Request<'_>, state: Option<&dyn ServerState>) -> Report {
        Report::new_with(request, state, None)
    }

    /// Validates `request` under the negotiated TAPI version `api_version` (see
    /// [`validate_with`]).
    pub fn new_with(
        request: &Request<'_>,
        state: Option<&dyn ServerState>,
        api_version: Option<Version>,
    ) -> Report {
        Report::from_violations(validate_with(request, state, api_version))
    }

    /// A report of `violations`, in order, each (rule, field) once: a later violation of a
    /// rule already reported about the same field is dropped.
    pub fn from_violations(violations: impl IntoIterator<Item = Violation>) -> Report {
        let mut out: Vec<Violation> = Vec::new();
        for v in violations {
            if !out.iter().any(|w| w.same_rule(&v)) {
                out.push(v);
            }
        }
        Report {
            valid: out.is_empty(),
            violations: out,
        }
    }

    /// Validates a whole ClientRequest call, as `trp validate` does: the ClientRequest checks
    /// on `buffer`, `l_needed_size` and `pl_used_size` ([`check_client_request`]) and, when
    /// the buffer holds a TAPI32_MSG, the rules of its function ([`validate`]). Each (rule,
    /// field) is reported once (an undocumented `Req_Func` gives one CR.4).
    pub fn for_call(
        buffer: &[u8],
        l_needed_size: i32,
        pl_used_size: i32,
        state: Option<&dyn ServerState>,
    ) -> Report {
        Report::for_call_with(buffer, l_needed_size, pl_used_size, state, None)
    }

    /// [`Report::for_call`] under the negotiated TAPI version `api_version` (see
    /// [`validate_with`]).
    pub fn for_call_with(
        buffer: &[u8],
        l_needed_size: i32,
        pl_used_size: i32,
        state: Option<&dyn ServerState>,
        api_version: Option<Version>,
    ) -> Report {
        let mut violations = check_client_request(buffer, l_needed_size, pl_used_size);
        if let Ok(request) = Request::parse(buffer) {
            let capacity = u64::try_from(l_needed_size)
                .ok()
                .and_then(|n| n.checked_sub(HEADER_LEN as u64));
            validate_call_into(&request, state, api_version, capacity, &mut |v| {
                violations.push(v)
            });
        }
        Report::from_violations(violations)
    }
}

/// What a check sees: the packet's description, its fifteen DWORDs, VarData, and the TAPI
/// version the request is validated under.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The packet's description.
    pub desc: &'static PacketDesc,
    /// The fixed DWORDs in wire order.
    pub dwords: [u32; HEADER_DWORDS],
    /// VarData: the bytes the client sent after the fixed part.
    pub var: VarData<'a>,
    /// The size of VarData that the "size of VarData is less than" rules compare with: the
    /// capacity of the server's buffer, `lNeededSize` − 60, for a whole ClientRequest call
    /// ([`Report::for_call`]; 3.1.4.2 calls lNeededSize "the size of a valid pBuffer" and only
    /// `*plUsedSize` bytes of it travel), else the length of [`Ctx::var`]
    /// (spec-notes/rpc-ndr.md, "VarData").
    pub capacity: u64,
    /// The negotiated TAPI version every version-dependent rule of the request uses (see
    /// [`version_for`]): structure sizes ([`Bound::Struct`], [`Check::Fits`]), the layout of
    /// embedded structures (`parse_with`), CP.3, CP.7 and SetMediaMode 80.2. `None`: unknown
    /// (oldest fixed parts, the decoder's guesses, version-dependent rules skipped).
    pub version: Option<Version>,
}

impl<'a> Ctx<'a> {
    /// DWORD `i`.
    pub fn get(&self, i: FieldIndex) -> u32 {
        self.dwords.get(i as usize).copied().unwrap_or(0)
    }

    /// The origin of field `i`, for resolver calls.
    pub fn origin(&self, i: FieldIndex) -> Origin {
        let f = &self.desc.fields[(i as usize).min(HEADER_DWORDS - 1)];
        Origin {
            packet: self.desc.ident,
            field: f.name,
            offset: f.offset,
        }
    }

    /// The value of the field called `name` (spec spelling); 0 when absent.
    pub fn field(&self, name: &str) -> u32 {
        self.desc.field(name).map_or(0, |(i, _)| self.dwords[i])
    }
}

/// The rules of `func`'s block (and its packet-section rules), in order.
pub fn rules_for(func: FuncId) -> &'static [Rule] {
    rules::block(func)
}

/// Validates a request: runs every rule of its function and returns every violation.
/// Stateful rules run only when `state` is given. An undocumented `Req_Func` gives the
/// ClientRequest rule "Req_Func is not a valid value". No negotiated version is given: see
/// [`validate_with`].
pub fn validate(request: &Request<'_>, state: Option<&dyn ServerState>) -> Vec<Violation> {
    validate_with(request, state, None)
}

/// [`validate`] under the negotiated TAPI version `api_version` (`None`: not known, the same
/// as [`validate`]). The version the request is validated under is [`version_for`]'s: with
/// `api_version`, every "size of the X packet" rule compares with X's fixed part in that
/// version, embedded structures (LINECALLPARAMS, LINEFORWARDLIST and its entries, ...) are
/// read with that version's layout (`parse_with`, `decode_any_with`), and the rules that exist
/// only for some versions (CP.3, CP.7, SetMediaMode 80.2) follow it.
///
/// ```
/// use mstrp::handles::Version;
/// use mstrp::requests::{FuncId, Request};
/// use mstrp::validation::validate_with;
///
/// // GetDevCaps with a 252-byte buffer for LINEDEVCAPS: enough for TAPI 2.0, not for 3.0.
/// let mut d = [0u32; 15];
/// d[0] = FuncId::LineGetDevCaps as u32;
/// let (i, _) = FuncId::LineGetDevCaps.desc().field("lpLineDevCaps").unwrap();
/// d[i] = 252;
/// let mut bytes: Vec<u8> = d.iter().flat_map(|v| v.to_le_bytes()).collect();
/// bytes.resize(60 + 300, 0);
/// let request = Request::parse(&bytes)?;
/// let fails = |v| validate_with(&request, None, v).iter().any(|x| x.id() == "34.2");
/// assert!(!fails(Some(Version::TAPI_2_0)));
/// assert!(fails(Some(Version::TAPI_3_0)));
/// assert!(!fails(None)); // the oldest fixed part, 236 bytes
/// # Ok::<(), mstrp::errors::DecodeError>(())
/// ```
pub fn validate_with(
    request: &Request<'_>,
    state: Option<&dyn ServerState>,
    api_version: Option<Version>,
) -> Vec<Violation> {
    let mut out = Vec::new();
    validate_into_with(request, state, api_version, &mut |v| out.push(v));
    out
}

/// Like [`validate`], but hands each violation to `sink` and allocates nothing.
///
/// Inlined into the caller (the look-up of the block's runner and the call, with what the
/// caller knows folded in: no state, no version), so that no frame of its own is paid for.
#[inline]
pub fn validate_into(
    request: &Request<'_>,
    state: Option<&dyn ServerState>,
    sink: &mut dyn FnMut(Violation),
) {
    validate_call_into(request, state, None, None, sink)
}

/// The TAPI version `request` is validated under: one version for all of its rules.
///
/// 1. `api_version`, when the caller gives it: the version negotiated for the line, call or
///    phone (or device) the request is about, as the caller knows it. It wins over what the
///    request or the state say.
/// 2. Otherwise, for a request that carries the version it negotiates (Open's
///    dwNegotiatedVersion, the [`VersionSource::Field`] of its LINECALLPARAMS rule), that
///    field when it holds one of the seven TAPI versions.
/// 3. Otherwise, with a `state`, the version it knows for the request's handle
///    ([`ServerState::api_version`]): the [`VersionSource::Handle`] of its LINECALLPARAMS rule,
///    else its first HLINE, HCALL or HPHONE field.
/// 4. Otherwise `None`: structures are taken at their oldest (TAPI 1.3) fixed part and read
///    as the decoder guesses; CP.3, CP.7 and 80.2 are skipped.
///
/// Version fields that the client sets for a query (GetDevCaps' and GetAddressCaps'
/// dwTSPIVersion, ...) are not used: only Open negotiates (spec-notes/validation.md).
pub fn version_for(
    request: &Request<'_>,
    state: Option<&dyn ServerState>,
    api_version: Option<Version>,
) -> Option<Version> {
    let desc = request.desc()?;
    resolve_version(
        rules::compiled(desc.func).version,
        &request.dwords(),
        state,
        api_version,
    )
}

/// [`version_for`] of a request whose block finds its version as `from` says.
#[inline(always)]
fn resolve_version(
    from: rules::VersionFrom,
    dwords: &[u32; HEADER_DWORDS],
    state: Option<&dyn ServerState>,
    api_version: Option<Version>,
) -> Option<Version> {
    if api_version.is_some() {
        return api_version;
    }
    let get = |i: FieldIndex| dwords.get(i as usize).copied().unwrap_or(0);
    // Worked out once per function at compile time (`rules::Compiled`).
    match from {
        rules::VersionFrom::Field(i) => Some(Version(get(i))).filter(|v| v.is_tapi_version()),
        rules::VersionFrom::Handle(i, kind) => state?.api_version(kind, get(i)),
        rules::VersionFrom::Nowhere => None,
    }
}

/// [`validate_into`] under the negotiated TAPI version `api_version` (see [`validate_with`]).
#[inline]
pub fn validate_into_with(
    request: &Request<'_>,
    state: Option<&dyn ServerState>,
    api_version: Option<Version>,
    sink: &mut dyn FnMut(Violation),
) {
    validate_call_into(request, state, api_version, None, sink)
}

/// [`validate_into_with`] with the VarData capacity of the call (`lNeededSize` − 60), when
/// the request came in a ClientRequest whose lNeededSize is known ([`Ctx::capacity`]).
#[inline(always)]
fn validate_call_into(
    request: &Request<'_>,
    state: Option<&dyn ServerState>,
    api_version: Option<Version>,
    capacity: Option<u64>,
    sink: &mut dyn FnMut(Violation),
) {
    // A runner exactly for the documented functions (`rules::runner`). The block's compiled
    // runner builds the context (the DWORDs copied once, into it; the version resolved as the
    // block says, known at compile time) and runs its rules in order (one `engine::step` per
    // rule).
    let req_func = request.req_func();
    let capacity = capacity.unwrap_or(request.var_data().len() as u64);
    match state {
        // Without a state, the runner compiled for none (the same rules, the stateful ones
        // left out at compile time instead of skipped at run time).
        None => {
            if let Some(run) = rules::stateless_runner(req_func) {
                return run(request, capacity, api_version, sink);
            }
        }
        Some(_) => {
            if let Some(run) = rules::runner(req_func) {
                return run(request, capacity, state, api_version, sink);
            }
        }
    }
    undocumented(sink)
}

/// The violation of an undocumented `Req_Func` (CR.4), out of the way of the runners' call.
#[cold]
#[inline(never)]
fn undocumented(sink: &mut dyn FnMut(Violation)) {
    sink(Violation {
        rule: &CLIENT_REQUEST_RULES[2],
        via: None,
        detail: None,
    })
}

/// The bit of field `i` in a 15-field mask.
const fn bit(i: FieldIndex) -> u16 {
    match 1u16.checked_shl(i as u32) {
        Some(b) => b,
        None => 0,
    }
}

/// Whether the request passes every rule (stateful ones only with `state`).
pub fn is_valid(request: &Request<'_>, state: Option<&dyn ServerState>) -> bool {
    is_valid_with(request, state, None)
}

/// [`is_valid`] under the negotiated TAPI version `api_version` (see [`validate_with`]).
pub fn is_valid_with(
    request: &Request<'_>,
    state: Option<&dyn ServerState>,
    api_version: Option<Version>,
) -> bool {
    let mut ok = true;
    validate_into_with(request, state, api_version, &mut |_| ok = false);
    ok
}

/// The size of a ULONG_PTR the ClientRequest check compares plUsedSize against. [MS-DTYP]
/// 2.2.51 makes it 4 or 8 bytes depending on the platform; the smaller is taken so a 32-bit
/// peer is not rejected (spec-notes/validation.md).
pub const ULONG_PTR_SIZE: i32 = 4;

/// A ClientRequest-level check (the list at the top of 3.1.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallCheck {
    /// lNeededSize is at least the size of TAPI32_MSG.
    NeededSize,
    /// plUsedSize is at least the size of a ULONG_PTR.
    UsedSize,
    /// Req_Func is one of the documented functions.
    ReqFunc,
}

macro_rules! call_rule {
    ($id:literal, $field:literal, $check:ident, $err:ident, $text:literal, $note:expr) => {
        Rule {
            id: $id,
            block: Block::ClientRequest,
            field: $field,
            check: Check::Call(CallCheck::$check),
            guard: Guard::Always,
            error: ErrorCode::Line(LineErr::$err),
            text: $text,
            note: $note,
        }
    };
}

/// The ClientRequest rules of 3.1.4.2 that a buffer can be checked against (the phContext
/// rule needs the RPC context and is not modelled). The spec names no error code; the
/// choices are recorded in spec-notes/validation.md.
pub static CLIENT_REQUEST_RULES: [Rule; 3] = [
    call_rule!(
        "CR.1",
        "lNeededSize",
        NeededSize,
        STRUCTURETOOSMALL,
        "Fail the request if lNeededSize is less than the size of the structure TAPI32_MSG.",
        None
    ),
    call_rule!(
        "CR.2",
        "plUsedSize",
        UsedSize,
        INVALPARAM,
        "Fail the request if the value in plUsedSize is less than the size of a ULONG_PTR.",
        Some("ULONG_PTR taken as 4 bytes")
    ),
    call_rule!(
        "CR.4",
        "Req_Func",
        ReqFunc,
        OPERATIONUNAVAIL,
        "Fail the request if Req_Func in pBuffer is not a valid value.",
        None
    ),
];

/// The ClientRequest-level checks of 3.1.4.2 over the call's arguments: `buffer` (pBuffer),
/// `l_needed_size` and `pl_used_size`. Returns every violation; when the buffer holds a
/// whole TAPI32_MSG the request's own rules are not run (use [`validate`] for those, or
/// [`Report::for_call`] for both).
///
/// The two are complementary, so that running both reports each rule once: [`validate`]
/// reports an undocumented `Req_Func` of a whole TAPI32_MSG (CR.4), and this function checks
/// `Req_Func` only when the buffer is too short to be one.
pub fn check_client_request(
    buffer: &[u8],
    l_needed_size: i32,
    pl_used_size: i32,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut push = |i: usize| {
        out.push(Violation {
            rule: &CLIENT_REQUEST_RULES[i],
            via: None,
            detail: None,
        })
    };
    if l_needed_size < HEADER_LEN as i32 {
        push(0);
    }
    if pl_used_size < ULONG_PTR_SIZE {
        push(1);
    }
    if buffer.len() < HEADER_LEN {
        let req_func = buffer
            .get(..4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        if req_func.and_then(FuncId::from_u32).is_none() {
            push(2);
        }
    }
    out
}

/// The error-code set of a function's group: LINEERR for line, MMC and generic requests,
/// PHONEERR for phone requests.
pub fn pointer_error(func: FuncId) -> ErrorCode {
    if func.desc().group.is_phone() {
        ErrorCode::Phone(PhoneErr::INVALPOINTER)
    } else {
        ErrorCode::Line(LineErr::INVALPOINTER)
    }
}
