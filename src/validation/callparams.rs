//! The LINECALLPARAMS validity block of 3.1.4.2 ("LINECALLPARAMS packet is invalid if ..."),
//! applied by the Open, ConditionalMediaDetection, Forward, MakeCall, PrepareAddToConference,
//! SetUpConference and SetUpTransfer rules that say "the LINECALLPARAMS packet pointed by
//! ... is invalid".
//!
//! The structure is LINECALLPARAMS (2.2.6.20). Its `dw...Offset` members are offsets "from
//! the beginning of this packet", so they are resolved (with [`VarData`]) inside the
//! structure's own bytes, `dwTotalSize` long, which lie inside the request's VarData.

use crate::errors::{ErrorCode, LineErr};
use crate::handles::Version;
use crate::vardata::{ABSENT, Align, Origin, VarData};

use super::engine::bits_ok;
use super::{
    Bits, Block, Check, Ctx, FieldIndex, Guard, Rule, ServerState, VersionSource, Violation,
    consts, sizes,
};

/// A check of the LINECALLPARAMS block. Field arguments are DWORD indexes in LINECALLPARAMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpCheck {
    /// dwTotalSize is at least the fixed portion.
    TotalSize,
    /// The member relates to the constant set as [`Bits`] says.
    Bits(FieldIndex, u32, Bits),
    /// (version-dependent) At most one bit in dwBearerMode for API versions up to 0x00020000.
    BearerOneBit,
    /// The offset member is DWORD-aligned and lies within the structure.
    Offset(FieldIndex),
    /// offset + size lies within the structure.
    Extent(FieldIndex, FieldIndex),
    /// (version-dependent) offset + size lies within the structure, for API versions above
    /// 0x00020000.
    ExtentV2(FieldIndex, FieldIndex),
}

impl CpCheck {
    /// Whether the check needs the API version.
    pub fn is_stateful(self) -> bool {
        matches!(self, CpCheck::BearerOneBit | CpCheck::ExtentV2(..))
    }
}

/// Names of the LINECALLPARAMS DWORDs (2.2.6.20), by index.
pub const CALLPARAMS_FIELDS: [&str; 44] = [
    "dwTotalSize",
    "dwBearerMode",
    "dwMinRate",
    "dwMaxRate",
    "dwMediaMode",
    "dwCallParamFlags",
    "dwAddressMode",
    "dwAddressID",
    "DialParams",
    "DialParams",
    "DialParams",
    "DialParams",
    "dwOrigAddressSize",
    "dwOrigAddressOffset",
    "dwDisplayableAddressSize",
    "dwDisplayableAddressOffset",
    "dwCalledPartySize",
    "dwCalledPartyOffset",
    "dwCommentSize",
    "dwCommentOffset",
    "dwUserUserInfoSize",
    "dwUserUserInfoOffset",
    "dwHighLevelCompSize",
    "dwHighLevelCompOffset",
    "dwLowLevelCompSize",
    "dwLowLevelCompOffset",
    "dwDevSpecificSize",
    "dwDevSpecificOffset",
    "dwPredictiveAutoTransferStates",
    "dwTargetAddressSize",
    "dwTargetAddressOffset",
    "dwSendingFlowspecSize",
    "dwSendingFlowspecOffset",
    "dwReceivingFlowspecSize",
    "dwReceivingFlowspecOffset",
    "dwDeviceClassSize",
    "dwDeviceClassOffset",
    "dwDeviceConfigSize",
    "dwDeviceConfigOffset",
    "dwCallDataSize",
    "dwCallDataOffset",
    "dwNoAnswerTimeout",
    "dwCallingPartyIDSize",
    "dwCallingPartyIDOffset",
];

/// Index of dwAddressType, the optional last member (present when dwTotalSize >= 176).
pub const DW_ADDRESS_TYPE: FieldIndex = 44;

/// The DWORD index of the LINECALLPARAMS member `name` (const: a typo fails to compile).
pub const fn cp(name: &str) -> FieldIndex {
    let n = name.as_bytes();
    if eq(n, b"dwAddressType") {
        return DW_ADDRESS_TYPE;
    }
    let mut i = 0;
    while i < CALLPARAMS_FIELDS.len() {
        if eq(CALLPARAMS_FIELDS[i].as_bytes(), n) {
            return i as FieldIndex;
        }
        i += 1;
    }
    panic!("not a LINECALLPARAMS member")
}

const fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The name of LINECALLPARAMS member `i`.
pub fn member_name(i: FieldIndex) -> &'static str {
    if i == DW_ADDRESS_TYPE {
        "dwAddressType"
    } else {
        CALLPARAMS_FIELDS.get(i as usize).copied().unwrap_or("?")
    }
}

const fn r(
    id: &'static str,
    field: &'static str,
    check: CpCheck,
    error: LineErr,
    text: &'static str,
) -> Rule {
    Rule {
        id,
        block: Block::CallParams,
        field,
        check: Check::Cp(check),
        guard: Guard::Always,
        error: ErrorCode::Line(error),
        text,
        note: None,
    }
}

use LineErr as L;

/// The rules of the LINECALLPARAMS validity block, one per sentence and member (`"CP.5c"` is
/// the third member the fifth sentence lists). Error codes: LINEERR_INVALCALLPARAMS unless a
/// more specific code exists (spec-notes/validation.md).
pub static CALLPARAMS_RULES: &[Rule] = &[
    r(
        "CP.1",
        "dwTotalSize",
        CpCheck::TotalSize,
        L::STRUCTURETOOSMALL,
        "LINECALLPARAMS is invalid if dwTotalSize is less than size of fixed portion of LINECALLPARAMS.",
    ),
    r(
        "CP.2",
        "dwBearerMode",
        CpCheck::Bits(cp("dwBearerMode"), consts::LINEBEARERMODE, Bits::Subset),
        L::INVALBEARERMODE,
        "LINECALLPARAMS is invalid if dwBearerMode is invalid.",
    ),
    r(
        "CP.3",
        "dwBearerMode",
        CpCheck::BearerOneBit,
        L::INVALBEARERMODE,
        "LINECALLPARAMS is invalid if more than one bit is set for dwBearerMode; this is valid for API versions greater than 0x00020000.",
    ),
    r(
        "CP.4a",
        "dwMediaMode",
        CpCheck::Bits(cp("dwMediaMode"), consts::LINEMEDIAMODE, Bits::Subset),
        L::INVALMEDIAMODE,
        "LINECALLPARAMS is invalid if dwMediaMode, dwCallParamFlags, dwAddressMode, dwPredictiveAutoTransferStates, or dwAddressType are invalid.",
    ),
    r(
        "CP.4b",
        "dwCallParamFlags",
        CpCheck::Bits(
            cp("dwCallParamFlags"),
            consts::LINECALLPARAMFLAGS,
            Bits::Subset,
        ),
        L::INVALCALLPARAMS,
        "LINECALLPARAMS is invalid if dwMediaMode, dwCallParamFlags, dwAddressMode, dwPredictiveAutoTransferStates, or dwAddressType are invalid.",
    ),
    r(
        "CP.4c",
        "dwAddressMode",
        CpCheck::Bits(
            cp("dwAddressMode"),
            consts::LINEADDRESSMODE,
            Bits::ZeroOrOne,
        ),
        L::INVALADDRESSMODE,
        "LINECALLPARAMS is invalid if dwMediaMode, dwCallParamFlags, dwAddressMode, dwPredictiveAutoTransferStates, or dwAddressType are invalid.",
    ),
    r(
        "CP.4d",
        "dwPredictiveAutoTransferStates",
        CpCheck::Bits(
            cp("dwPredictiveAutoTransferStates"),
            consts::LINECALLSTATE,
            Bits::Subset,
        ),
        L::INVALCALLPARAMS,
        "LINECALLPARAMS is invalid if dwMediaMode, dwCallParamFlags, dwAddressMode, dwPredictiveAutoTransferStates, or dwAddressType are invalid.",
    ),
    r(
        "CP.4e",
        "dwAddressType",
        CpCheck::Bits(
            cp("dwAddressType"),
            consts::LINEADDRESSTYPE,
            Bits::ZeroOrOne,
        ),
        L::INVALCALLPARAMS,
        "LINECALLPARAMS is invalid if dwMediaMode, dwCallParamFlags, dwAddressMode, dwPredictiveAutoTransferStates, or dwAddressType are invalid.",
    ),
    r(
        "CP.5a",
        "dwOrigAddressOffset",
        CpCheck::Offset(cp("dwOrigAddressOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5b",
        "dwUserUserInfoOffset",
        CpCheck::Offset(cp("dwUserUserInfoOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5c",
        "dwHighLevelCompOffset",
        CpCheck::Offset(cp("dwHighLevelCompOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5d",
        "dwLowLevelCompOffset",
        CpCheck::Offset(cp("dwLowLevelCompOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5e",
        "dwDevSpecificOffset",
        CpCheck::Offset(cp("dwDevSpecificOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5f",
        "dwDisplayableAddressOffset",
        CpCheck::Offset(cp("dwDisplayableAddressOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5g",
        "dwCalledPartyOffset",
        CpCheck::Offset(cp("dwCalledPartyOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5h",
        "dwCommentOffset",
        CpCheck::Offset(cp("dwCommentOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5i",
        "dwTargetAddressOffset",
        CpCheck::Offset(cp("dwTargetAddressOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5j",
        "dwSendingFlowspecOffset",
        CpCheck::Offset(cp("dwSendingFlowspecOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5k",
        "dwReceivingFlowspecOffset",
        CpCheck::Offset(cp("dwReceivingFlowspecOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5l",
        "dwDeviceClassOffset",
        CpCheck::Offset(cp("dwDeviceClassOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5m",
        "dwDeviceConfigOffset",
        CpCheck::Offset(cp("dwDeviceConfigOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5n",
        "dwCallDataOffset",
        CpCheck::Offset(cp("dwCallDataOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5o",
        "dwCallingPartyIDOffset",
        CpCheck::Offset(cp("dwCallingPartyIDOffset")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.6a",
        "dwOrigAddressOffset",
        CpCheck::Extent(cp("dwOrigAddressOffset"), cp("dwOrigAddressSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6b",
        "dwUserUserInfoOffset",
        CpCheck::Extent(cp("dwUserUserInfoOffset"), cp("dwUserUserInfoSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6c",
        "dwHighLevelCompOffset",
        CpCheck::Extent(cp("dwHighLevelCompOffset"), cp("dwHighLevelCompSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6d",
        "dwLowLevelCompOffset",
        CpCheck::Extent(cp("dwLowLevelCompOffset"), cp("dwLowLevelCompSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6e",
        "dwDevSpecificOffset",
        CpCheck::Extent(cp("dwDevSpecificOffset"), cp("dwDevSpecificSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6f",
        "dwTargetAddressOffset",
        CpCheck::Extent(cp("dwTargetAddressOffset"), cp("dwTargetAddressSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6g",
        "dwSendingFlowspecOffset",
        CpCheck::Extent(cp("dwSendingFlowspecOffset"), cp("dwSendingFlowspecSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6h",
        "dwReceivingFlowspecOffset",
        CpCheck::Extent(
            cp("dwReceivingFlowspecOffset"),
            cp("dwReceivingFlowspecSize"),
        ),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6i",
        "dwDeviceClassOffset",
        CpCheck::Extent(cp("dwDeviceClassOffset"), cp("dwDeviceClassSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6j",
        "dwDeviceConfigOffset",
        CpCheck::Extent(cp("dwDeviceConfigOffset"), cp("dwDeviceConfigSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6k",
        "dwCallDataOffset",
        CpCheck::Extent(cp("dwCallDataOffset"), cp("dwCallDataSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6l",
        "dwCallingPartyIDOffset",
        CpCheck::Extent(cp("dwCallingPartyIDOffset"), cp("dwCallingPartyIDSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.7a",
        "dwDisplayableAddressOffset",
        CpCheck::ExtentV2(
            cp("dwDisplayableAddressOffset"),
            cp("dwDisplayableAddressSize"),
        ),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if, for API version greater than 0x00020000, the sum of dwDisplayableAddressSize and dwDisplayableAddressOffset or sum of dwCalledPartySize and dwCalledPartyOffset or sum of dwCommentSize and dwCommentOffset do not lie within varData.",
    ),
    r(
        "CP.7b",
        "dwCalledPartyOffset",
        CpCheck::ExtentV2(cp("dwCalledPartyOffset"), cp("dwCalledPartySize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if, for API version greater than 0x00020000, the sum of dwDisplayableAddressSize and dwDisplayableAddressOffset or sum of dwCalledPartySize and dwCalledPartyOffset or sum of dwCommentSize and dwCommentOffset do not lie within varData.",
    ),
    r(
        "CP.7c",
        "dwCommentOffset",
        CpCheck::ExtentV2(cp("dwCommentOffset"), cp("dwCommentSize")),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if, for API version greater than 0x00020000, the sum of dwDisplayableAddressSize and dwDisplayableAddressOffset or sum of dwCalledPartySize and dwCalledPartyOffset or sum of dwCommentSize and dwCommentOffset do not lie within varData.",
    ),
];

fn member(bytes: &[u8], j: FieldIndex) -> Option<u32> {
    let at = 4 * j as usize;
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn origin(j: FieldIndex) -> Origin {
    Origin {
        packet: "LINECALLPARAMS",
        field: member_name(j),
        offset: 4 * j as usize,
    }
}

/// Evaluates one LINECALLPARAMS check on the structure's bytes: `None` when it passes,
/// `Some(detail)` when it fails.
fn eval(
    check: CpCheck,
    bytes: &[u8],
    version: Option<Version>,
) -> Option<Option<crate::errors::DecodeError>> {
    let inner = VarData::new(bytes);
    let get = |j| member(bytes, j).unwrap_or(0);
    let fail = |b: bool| b.then_some(None);
    let extent = |o: FieldIndex, s: FieldIndex| -> Option<Option<crate::errors::DecodeError>> {
        match inner.bytes(origin(o), get(o), get(s), Align::Byte) {
            Err(e)
                if matches!(
                    e.kind,
                    crate::errors::DecodeErrorKind::Overflow { .. }
                        | crate::errors::DecodeErrorKind::SizeOutOfBounds { .. }
                ) =>
            {
                Some(Some(e))
            }
            _ => None,
        }
    };
    match check {
        CpCheck::TotalSize => fail((bytes.len() as u64) < u64::from(sizes::LINECALLPARAMS)),
        CpCheck::Bits(j, mask, how) => match member(bytes, j) {
            Some(v) => fail(!bits_ok(v, mask, how)),
            None => None,
        },
        CpCheck::BearerOneBit => {
            fail(version.is_some_and(|v| v.0 <= 0x0002_0000) && get(1).count_ones() > 1)
        }
        CpCheck::Offset(j) => match inner.bytes(origin(j), get(j), 0, Align::Dword) {
            Err(e) => Some(Some(e)),
            Ok(_) => None,
        },
        CpCheck::Extent(o, s) => extent(o, s),
        CpCheck::ExtentV2(o, s) => {
            if version.is_some_and(|v| v.0 > 0x0002_0000) {
                extent(o, s)
            } else {
                None
            }
        }
    }
}

/// Applies the LINECALLPARAMS block to the structure field `field` of the request, on behalf
/// of the function rule `via`. Does nothing when the field is 0xFFFFFFFF or the structure does
/// not resolve (other rules report that).
pub(super) fn run(
    via: &'static Rule,
    ctx: &Ctx<'_>,
    field: FieldIndex,
    source: VersionSource,
    state: Option<&dyn ServerState>,
    sink: &mut dyn FnMut(Violation),
) {
    let raw = ctx.get(field);
    if raw == ABSENT {
        return;
    }
    let Ok(Some(bytes)) = ctx.var.structure(ctx.origin(field), raw, Align::Dword) else {
        return;
    };
    let version = match source {
        VersionSource::Field(i) => Some(Version(ctx.get(i))),
        VersionSource::Handle(i, kind) => state.and_then(|s| s.api_version(kind, ctx.get(i))),
    };
    for rule in CALLPARAMS_RULES {
        let Check::Cp(check) = rule.check else {
            continue;
        };
        if let Some(detail) = eval(check, bytes, version) {
            sink(Violation {
                rule,
                via: Some(via),
                detail,
            });
            if check == CpCheck::TotalSize {
                // The members cannot be read.
                return;
            }
        }
    }
}
