//! The LINECALLPARAMS validity block of 3.1.4.2 ("LINECALLPARAMS packet is invalid if ..."),
//! applied by the Open, ConditionalMediaDetection, Forward, MakeCall, PrepareAddToConference,
//! SetUpConference and SetUpTransfer rules that say "the LINECALLPARAMS packet pointed by
//! ... is invalid".
//!
//! The structure is read through the structure catalogue's view, [`LINECALLPARAMS`]
//! (2.2.6.20), in the request's TAPI version ([`Ctx::version`]): with a version, its fixed size
//! is that version's fixed part ([`StructDesc::fixed_size`](crate::structures::StructDesc):
//! 112 bytes for TAPI 1.x, 176 for 2.x, 180 for 3.x) and it is read with
//! [`LINECALLPARAMS::parse_with`]; without one, the oldest fixed part (112,
//! [`StructDesc::min_size`](crate::structures::StructDesc)) and [`LINECALLPARAMS::parse`]'s
//! reading. Its members are the view's members (a member an older client left out, such as
//! the TAPI 2.0 ones or dwAddressType, reads as absent), and its
//! (size, offset) pairs are the catalogue's items, resolved by the view exactly as the
//! decoder resolves them (offsets from the start of the structure, never inside its fixed
//! part, inside its `dwTotalSize` bytes). Member and item names are Rust paths into the
//! catalogue, so a misspelt one does not compile:
//!
//! ```compile_fail
//! // `orig_adress` is not an item of LINECALLPARAMS.
//! let _ = &mstrp::structures::descs::LINECALLPARAMS::orig_adress;
//! ```
//!
//! ```
//! let item = &mstrp::structures::descs::LINECALLPARAMS::orig_address;
//! assert_eq!(item.offset_field, "dwOrigAddressOffset");
//! ```

use crate::errors::{DecodeError, DecodeErrorKind, ErrorCode, LineErr};
use crate::handles::Version;
use crate::structures::{FromRaw, LINECALLPARAMS, Raw, VarDesc, VarKind};
use crate::vardata::{ABSENT, Align};
use zerocopy::byteorder::little_endian::U32;

use super::engine::{Memo, bits_ok};
use super::{Bits, Block, Check, Ctx, FieldIndex, Guard, Rule, Violation, consts};

/// The catalogue item (size, offset pair) of LINECALLPARAMS called `$v` (accessor spelling).
macro_rules! item {
    ($v:ident) => {
        &crate::structures::descs::LINECALLPARAMS::$v
    };
}

/// The byte offset of LINECALLPARAMS member `$m` (accessor spelling) in the catalogue's layout.
macro_rules! member {
    ($m:ident) => {
        core::mem::offset_of!(crate::structures::fixed::LINECALLPARAMS, $m)
    };
}

/// A check of the LINECALLPARAMS block, over the structure's catalogue view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpCheck {
    /// dwTotalSize is at least the fixed part of LINECALLPARAMS in the request's version (the
    /// oldest one without a version).
    TotalSize,
    /// The DWORD member at this byte offset (from the catalogue layout) relates to the
    /// constant set as [`Bits`] says; a member absent from an older structure passes.
    Bits(usize, u32, Bits),
    /// (version-dependent) At most one bit in dwBearerMode for API versions up to 0x00020000.
    BearerOneBit,
    /// The item's offset is DWORD-aligned and lies within the structure's variable part
    /// (after its fixed part, not beyond dwTotalSize). An item of size 0 is absent.
    Offset(&'static VarDesc),
    /// offset + size lies within the structure, as the view resolves the item.
    Extent(&'static VarDesc),
    /// (version-dependent) offset + size lies within the structure, for API versions above
    /// 0x00020000.
    ExtentV2(&'static VarDesc),
}

impl CpCheck {
    /// Whether the check needs the API version.
    pub fn is_stateful(self) -> bool {
        matches!(self, CpCheck::BearerOneBit | CpCheck::ExtentV2(..))
    }

    /// Whether the check is about the structure's layout (sizes, offsets, extents) rather
    /// than the values of its members.
    pub const fn is_layout(self) -> bool {
        matches!(
            self,
            CpCheck::TotalSize | CpCheck::Offset(_) | CpCheck::Extent(_) | CpCheck::ExtentV2(_)
        )
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
        CpCheck::Bits(
            member!(dw_bearer_mode),
            consts::LINEBEARERMODE,
            Bits::Subset,
        ),
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
        CpCheck::Bits(member!(dw_media_mode), consts::LINEMEDIAMODE, Bits::Subset),
        L::INVALMEDIAMODE,
        "LINECALLPARAMS is invalid if dwMediaMode, dwCallParamFlags, dwAddressMode, dwPredictiveAutoTransferStates, or dwAddressType are invalid.",
    ),
    r(
        "CP.4b",
        "dwCallParamFlags",
        CpCheck::Bits(
            member!(dw_call_param_flags),
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
            member!(dw_address_mode),
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
            member!(dw_predictive_auto_transfer_states),
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
            member!(dw_address_type),
            consts::LINEADDRESSTYPE,
            Bits::ZeroOrOne,
        ),
        L::INVALCALLPARAMS,
        "LINECALLPARAMS is invalid if dwMediaMode, dwCallParamFlags, dwAddressMode, dwPredictiveAutoTransferStates, or dwAddressType are invalid.",
    ),
    r(
        "CP.5a",
        "dwOrigAddressOffset",
        CpCheck::Offset(item!(orig_address)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5b",
        "dwUserUserInfoOffset",
        CpCheck::Offset(item!(user_user_info)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5c",
        "dwHighLevelCompOffset",
        CpCheck::Offset(item!(high_level_comp)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5d",
        "dwLowLevelCompOffset",
        CpCheck::Offset(item!(low_level_comp)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5e",
        "dwDevSpecificOffset",
        CpCheck::Offset(item!(dev_specific)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5f",
        "dwDisplayableAddressOffset",
        CpCheck::Offset(item!(displayable_address)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5g",
        "dwCalledPartyOffset",
        CpCheck::Offset(item!(called_party)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5h",
        "dwCommentOffset",
        CpCheck::Offset(item!(comment)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5i",
        "dwTargetAddressOffset",
        CpCheck::Offset(item!(target_address)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5j",
        "dwSendingFlowspecOffset",
        CpCheck::Offset(item!(sending_flowspec)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5k",
        "dwReceivingFlowspecOffset",
        CpCheck::Offset(item!(receiving_flowspec)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5l",
        "dwDeviceClassOffset",
        CpCheck::Offset(item!(device_class)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5m",
        "dwDeviceConfigOffset",
        CpCheck::Offset(item!(device_config)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5n",
        "dwCallDataOffset",
        CpCheck::Offset(item!(call_data)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.5o",
        "dwCallingPartyIDOffset",
        CpCheck::Offset(item!(calling_party_id)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if dwOrigAddressOffset, dwUserUserInfoOffset, dwHighLevelCompOffset, dwLowLevelCompOffset, dwDevSpecificOffset, dwDisplayableAddressOffset, dwCalledPartyOffset, dwCommentOffset, dwTargetAddressOffset, dwSendingFlowspecOffset, dwReceivingFlowspecOffset, dwDeviceClassOffset, dwDeviceConfigOffset, dwCallDataOffset, dwCallingPartyIDOffset are not DWORD-aligned or do not lie within VarData.",
    ),
    r(
        "CP.6a",
        "dwOrigAddressOffset",
        CpCheck::Extent(item!(orig_address)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6b",
        "dwUserUserInfoOffset",
        CpCheck::Extent(item!(user_user_info)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6c",
        "dwHighLevelCompOffset",
        CpCheck::Extent(item!(high_level_comp)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6d",
        "dwLowLevelCompOffset",
        CpCheck::Extent(item!(low_level_comp)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6e",
        "dwDevSpecificOffset",
        CpCheck::Extent(item!(dev_specific)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6f",
        "dwTargetAddressOffset",
        CpCheck::Extent(item!(target_address)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6g",
        "dwSendingFlowspecOffset",
        CpCheck::Extent(item!(sending_flowspec)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6h",
        "dwReceivingFlowspecOffset",
        CpCheck::Extent(item!(receiving_flowspec)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6i",
        "dwDeviceClassOffset",
        CpCheck::Extent(item!(device_class)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6j",
        "dwDeviceConfigOffset",
        CpCheck::Extent(item!(device_config)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6k",
        "dwCallDataOffset",
        CpCheck::Extent(item!(call_data)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.6l",
        "dwCallingPartyIDOffset",
        CpCheck::Extent(item!(calling_party_id)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if the sum of dwOrigAddressSize and dwOrigAddressOffset, or sum of dwUserUserInfoSize and dwUserUserInfoOffset, or sum of dwHighLevelCompSize and dwHighLevelCompOffset, or sum of dwLowLevelCompSize and dwLowLevelCompOffset, or sum of dwDevSpecificSize and dwDevSpecificOffset, or sum of dwTargetAddressSize and dwTargetAddressOffset, or sum of dwSendingFlowspecSize and dwSendingFlowspecOffset, or sum of dwReceivingFlowspecSize and dwReceivingFlowspecOffset, or sum of dwDeviceClassSize and dwDeviceClassOffset, or sum of dwDeviceConfigSize and dwDeviceConfigOffset, or sum of dwCallDataSize and dwCallDataOffset, or sum of dwCallingPartyIDSize and dwCallingPartyIDOffset do not lie within varData.",
    ),
    r(
        "CP.7a",
        "dwDisplayableAddressOffset",
        CpCheck::ExtentV2(item!(displayable_address)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if, for API version greater than 0x00020000, the sum of dwDisplayableAddressSize and dwDisplayableAddressOffset or sum of dwCalledPartySize and dwCalledPartyOffset or sum of dwCommentSize and dwCommentOffset do not lie within varData.",
    ),
    r(
        "CP.7b",
        "dwCalledPartyOffset",
        CpCheck::ExtentV2(item!(called_party)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if, for API version greater than 0x00020000, the sum of dwDisplayableAddressSize and dwDisplayableAddressOffset or sum of dwCalledPartySize and dwCalledPartyOffset or sum of dwCommentSize and dwCommentOffset do not lie within varData.",
    ),
    r(
        "CP.7c",
        "dwCommentOffset",
        CpCheck::ExtentV2(item!(comment)),
        L::INVALPOINTER,
        "LINECALLPARAMS is invalid if, for API version greater than 0x00020000, the sum of dwDisplayableAddressSize and dwDisplayableAddressOffset or sum of dwCalledPartySize and dwCalledPartyOffset or sum of dwCommentSize and dwCommentOffset do not lie within varData.",
    ),
];

/// How many rules of [`CALLPARAMS_RULES`] are not about an item (Offset, Extent, ExtentV2).
const N_MEMBER_RULES: usize = {
    let mut n = 0;
    let mut k = 0;
    while k < CALLPARAMS_RULES.len() {
        if !is_item_rule(&CALLPARAMS_RULES[k]) {
            n += 1;
        }
        k += 1;
    }
    n
};

/// The indexes in [`CALLPARAMS_RULES`] of the rules that are not about an item, in order: the
/// only ones a structure without item data can fail.
const MEMBER_RULES: [usize; N_MEMBER_RULES] = {
    let mut out = [0; N_MEMBER_RULES];
    let (mut n, mut k) = (0, 0);
    while k < CALLPARAMS_RULES.len() {
        if !is_item_rule(&CALLPARAMS_RULES[k]) {
            out[n] = k;
            n += 1;
        }
        k += 1;
    }
    out
};

/// Runs `$body` once for each member rule of the block, in the block's order, with `$rule`
/// the rule (`&'static Rule`) as a constant (its index in [`MEMBER_RULES`] a literal):
/// unrolled, so that each rule's check is known when this is compiled.
macro_rules! each_member_rule {
    ($rule:ident => $body:block) => {
        each_member_rule!(@ $rule $body; 0 1 2 3 4 5 6 7)
    };
    (@ $rule:ident $body:block; $($k:literal)*) => {
        const _: () = assert!(
            [$($k),*].len() == N_MEMBER_RULES,
            "one index per member rule of the block"
        );
        $({
            const $rule: &Rule = &CALLPARAMS_RULES[MEMBER_RULES[$k]];
            $body
        })*
    };
}

/// Whether the rule checks an item's offset or extent.
const fn is_item_rule(rule: &Rule) -> bool {
    matches!(
        rule.check,
        Check::Cp(CpCheck::Offset(_) | CpCheck::Extent(_) | CpCheck::ExtentV2(_))
    )
}

/// Whether item `v` of a decoded structure (or entry) `raw` has an offset that is not
/// DWORD-aligned or does not lie in the variable part of its root: before `floor` (the root's
/// fixed part) or beyond the root's bytes. Items of size 0 are absent (2.2.6: the decoder does
/// not read their offset) and pass. Returns the error to report.
pub(super) fn offset_bad(raw: &Raw<'_>, v: &'static VarDesc, floor: usize) -> Option<DecodeError> {
    let (size, offset) = raw.pair(v)?;
    if size == 0 {
        return None;
    }
    let len = raw.root_bytes().len();
    let kind = if offset % 4 != 0 {
        DecodeErrorKind::Misaligned {
            value: offset,
            align: 4,
        }
    } else if (offset as usize) < floor {
        DecodeErrorKind::OverlapsFixedPart {
            value: offset,
            fixed: floor,
        }
    } else if offset as usize > len {
        DecodeErrorKind::OffsetOutOfBounds { value: offset, len }
    } else {
        return None;
    };
    // The origin, built only for a violation.
    let at = crate::vardata::Origin {
        packet: raw.desc().name,
        field: v.offset_field,
        offset: raw.base().saturating_add(v.offset_at),
    };
    Some(at.error(kind))
}

/// Whether item `v` of `raw` ends beyond its root, as the view resolves it.
pub(super) fn extent_bad(raw: &Raw<'_>, v: &'static VarDesc) -> Option<DecodeError> {
    match raw.var_bytes(v) {
        Err(e)
            if matches!(
                e.kind,
                DecodeErrorKind::Overflow { .. } | DecodeErrorKind::SizeOutOfBounds { .. }
            ) =>
        {
            Some(e)
        }
        _ => None,
    }
}

/// Evaluates one LINECALLPARAMS check (other than [`CpCheck::TotalSize`]) on the view:
/// `None` when it passes, `Some(detail)` when it fails.
#[inline(always)]
fn eval(
    check: CpCheck,
    view: &LINECALLPARAMS<'_>,
    raw: &Raw<'_>,
    floor: usize,
    version: Option<Version>,
) -> Option<Option<DecodeError>> {
    match check {
        CpCheck::TotalSize => None,
        CpCheck::Bits(at, mask, how) => match raw.dword(at) {
            Some(v) if !bits_ok(v, mask, how) => Some(None),
            _ => None,
        },
        CpCheck::BearerOneBit => (version.is_some_and(|v| v.0 <= 0x0002_0000)
            && view.dw_bearer_mode().count_ones() > 1)
            .then_some(None),
        CpCheck::Offset(v) => offset_bad(raw, v, floor).map(Some),
        CpCheck::Extent(v) => extent_bad(raw, v).map(Some),
        CpCheck::ExtentV2(v) => {
            if version.is_some_and(|ver| ver.0 > 0x0002_0000) {
                extent_bad(raw, v).map(Some)
            } else {
                None
            }
        }
    }
}

/// The LINECALLPARAMS view of the structure at field `field` of the request, read in the
/// request's version (`parse_with`) or, without one, as the decoder guesses (`parse`): `None`
/// when the field is 0xFFFFFFFF or the structure does not resolve (other rules report that),
/// `Some(Err)` when it is shorter than the fixed part (the version's, or the oldest).
pub(super) fn view<'a>(
    ctx: &Ctx<'a>,
    field: FieldIndex,
) -> Option<Result<LINECALLPARAMS<'a>, DecodeError>> {
    let raw = ctx.get(field);
    if raw == ABSENT {
        return None;
    }
    let bytes = ctx
        .var
        .structure(ctx.origin(field), raw, Align::Dword)
        .ok()??;
    Some(match ctx.version {
        Some(v) => LINECALLPARAMS::parse_with(bytes, v),
        None => LINECALLPARAMS::parse(bytes),
    })
}

/// The bit of item `v` in [`items_with_data`] ([`bit_at`] of its size member).
fn item_bit(v: &VarDesc) -> u64 {
    bit_at(v.size_at)
}

/// The bit of the item whose size member is at `size_at`: bit `size_at / 4` (its size
/// member's DWORD), or the last bit, shared by every item whose size member lies beyond the
/// 63rd DWORD.
const fn bit_at(size_at: usize) -> u64 {
    let dword = size_at / 4;
    1u64 << if dword > 63 { 63 } else { dword }
}

/// Whether item `v` may break an Offset or Extent check of the block, given `with_data`, the
/// items of the structure that hold data ([`items_with_data`]).
fn may_fail(with_data: u64, v: &VarDesc) -> bool {
    with_data & item_bit(v) != 0
}

/// The items of `raw` that hold data, one bit per item ([`item_bit`]): its (size, offset)
/// pair is present and its size is not 0, or it is an inline array with entries (one whose
/// count is absent, or 0 with the array inside the structure, reads as no entries without
/// an error: `Raw::inline_entries_empty`). Every other item passes
/// [`offset_bad`] and [`extent_bad`] (an item of size 0 is absent, 2.2.6: neither reads its
/// offset) and resolves to nothing in `Raw::validate`, so the block checks only these, and
/// 0 means no item has data.
///
/// The pairs are read straight from the fixed part present ([`Raw::fixed_bytes`]), as
/// [`Raw::pair`] reads them: a pair is present when both of its DWORDs lie inside it.
pub(super) fn items_with_data(raw: &Raw<'_>) -> u64 {
    let fixed = raw.fixed_bytes();
    let mut with_data = 0u64;
    for v in raw.desc().vars {
        let data = match v.kind {
            VarKind::InlineEntries { .. } => !raw.inline_entries_empty(v),
            _ => {
                // Both members present (the offset's DWORD inside the fixed part too) and
                // the size not 0.
                v.offset_at
                    .checked_add(4)
                    .is_some_and(|end| end <= fixed.len())
                    && dword(fixed, v.size_at).is_some_and(|size| size != 0)
            }
        };
        if data {
            with_data |= item_bit(v);
        }
    }
    with_data
}

/// How many items LINECALLPARAMS has.
const CP_ITEMS: usize = crate::structures::descs::LINECALLPARAMS::DESC.vars.len();

/// The (size, offset) member offsets of LINECALLPARAMS's items, in wire order, taken from
/// the catalogue at compile time: what the opening of one walks ([`Raw::parse_pairs`], a
/// test compares it with `Raw::parse`) instead of the catalogue's item descriptions (the
/// catalogue's items have no inline array, checked by [`CP_ITEM_AT`], from which this is
/// taken).
pub(super) const CP_OPEN: crate::structures::PairTable<CP_ITEMS> = {
    let mut out = [(0u16, 0u16); CP_ITEMS];
    let mut k = 0;
    while k < CP_ITEMS {
        out[k] = (CP_ITEM_AT[k].size_at, CP_ITEM_AT[k].offset_at);
        k += 1;
    }
    crate::structures::PairTable::new(out)
};

/// The end of the last DWORD of a pair of LINECALLPARAMS: a fixed part at least this long
/// holds every pair.
const CP_END: usize = {
    let mut end = 0;
    let mut k = 0;
    while k < CP_ITEMS {
        let item = CP_ITEM_AT[k];
        let (a, b) = (item.size_at as usize + 4, item.offset_at as usize + 4);
        if a > end {
            end = a;
        }
        if b > end {
            end = b;
        }
        k += 1;
    }
    end
};

/// [`items_with_data`] of a LINECALLPARAMS view, over the pairs of [`CP_ITEM_AT`] rather than
/// the catalogue's item descriptions (the same members, read the same way; a test compares
/// the two).
pub(super) fn callparams_with_data(raw: &Raw<'_>) -> u64 {
    let fixed = raw.fixed_bytes();
    let mut with_data = 0u64;
    if let Some(f) = fixed.first_chunk::<CP_END>() {
        // Every pair present (the usual case): each size read at a constant offset. Every
        // size 0 (no item holds data, the usual case): decided by their union alone.
        let mut any = 0u32;
        for item in &CP_ITEM_AT {
            let at = usize::from(item.size_at);
            if let Some(b) = f.get(at..at + 4) {
                any |= u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            }
        }
        if any == 0 {
            return 0;
        }
        for item in &CP_ITEM_AT {
            let at = usize::from(item.size_at);
            if let Some(b) = f.get(at..at + 4) {
                if b != [0; 4] {
                    with_data |= bit_at(at);
                }
            }
        }
        return with_data;
    }
    for item in &CP_ITEM_AT {
        let at = usize::from(item.size_at);
        if usize::from(item.offset_at) + 4 <= fixed.len()
            && dword(fixed, at).is_some_and(|size| size != 0)
        {
            with_data |= bit_at(at);
        }
    }
    with_data
}

/// The little-endian DWORD at `at` in `bytes`, if all four bytes lie inside.
#[inline(always)]
fn dword(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Applies the LINECALLPARAMS block to the structure field `field` of the request, on behalf
/// of the function rule `via`, in the request's version. Does nothing when the field is
/// 0xFFFFFFFF or the structure does not resolve (other rules report that).
///
/// The structure is read once per request ([`Memo::view`], shared with the field's `decodes`
/// rule) and the block in one pass over its (size, offset) pairs: the Offset and Extent rules
/// of an item without data pass without being evaluated ([`items_with_data`]). Violations
/// come in the block's order, each with the detail its rule alone gives.
pub(super) fn run<'a>(
    via: &'static Rule,
    ctx: &Ctx<'a>,
    memo: &mut Memo<'a>,
    field: FieldIndex,
    sink: &mut dyn FnMut(Violation),
) {
    // The view and the items with data (`callparams_with_data`), once for the whole block.
    let (raw, with_data) = match memo.view_with_data(ctx, field, callparams_with_data) {
        None => return,
        Some(Ok(viewed)) => viewed,
        Some(Err(e)) => {
            // Shorter than the fixed part (the only way a resolved LINECALLPARAMS fails to
            // parse): CP.1, and the members cannot be read.
            if let Some(rule) = CALLPARAMS_RULES
                .iter()
                .find(|r| matches!(r.check, Check::Cp(CpCheck::TotalSize)))
            {
                sink(Violation {
                    rule,
                    via: Some(via),
                    detail: Some(e),
                });
            }
            return;
        }
    };
    // The field's catalogue structure is LINECALLPARAMS (checked at compile time by
    // `rules::Compiled::new`), read as `view` reads it.
    let view = LINECALLPARAMS::from_raw(raw);
    // The request's version (`version_for`): the caller's, Open's dwNegotiatedVersion, or the
    // state's for the handle of the rule's `VersionSource`.
    let version = ctx.version;
    // The end of the fixed part, once for the whole block.
    let floor = raw.fixed_bytes().len();
    // One rule of the block, reported through `sink` when it fails.
    let on = On {
        via,
        view: &view,
        raw: &raw,
        floor,
        version,
    };
    if with_data == 0 || items_fit(&raw, floor).0 {
        // No item holds data, or every one that does passes its Offset and Extent rules
        // (`items_fit`): only the rules on members can fail. Each is run with its rule
        // a constant (its index in MEMBER_RULES a literal), so its check is known when this
        // is compiled.
        each_member_rule!(RULE => {
            on.report(RULE, sink);
        });
        return;
    }
    for rule in CALLPARAMS_RULES {
        if let Check::Cp(CpCheck::Offset(v) | CpCheck::Extent(v) | CpCheck::ExtentV2(v)) =
            rule.check
        {
            if !may_fail(with_data, v) {
                continue;
            }
        }
        on.report(rule, sink);
    }
}

/// One item of LINECALLPARAMS as [`items_fit`] reads it: where its (size, offset) pair lies
/// and what its kind asks of its size for the structure to decode.
#[derive(Clone, Copy)]
struct ItemAt {
    size_at: u16,
    offset_at: u16,
    /// The bits of the item's size that must be 0 for it to be a whole number of the units
    /// it must be made of to decode (`VarKind::whole_units`, as `Raw::validates_fast`
    /// requires; each unit a power of two): the unit less one, or every bit for a kind that
    /// does not decode from its pair alone (then only a size of 0 passes).
    unit_mask: u32,
}

impl ItemAt {
    /// What this item's pair says, read as `size` and `offset`, in a root of `len` bytes
    /// whose fixed part ends at `floor`: `.0`, it passes its Offset, Extent and ExtentV2
    /// rules (absent, size 0; or DWORD-aligned, at or after `floor`, and `offset + size`, in
    /// 64 bits, inside the root); `.1`, its size is a whole number of its units
    /// ([`ItemAt::unit_mask`]; a size of 0 is).
    #[inline(always)]
    fn fits(self, size: u32, offset: u32, floor: usize, len: u64) -> (bool, bool) {
        let fits = (size == 0)
            | ((offset % 4 == 0)
                & (offset as usize >= floor)
                & (u64::from(offset) + u64::from(size) <= len));
        (fits, size & self.unit_mask == 0)
    }
}

/// Runs `$body` once for each item of LINECALLPARAMS, in wire order, with `$item` the
/// item's [`ItemAt`] as a constant (its index in [`CP_ITEM_AT`] a literal): unrolled, so that
/// each member read at the item's offsets is known when this is compiled.
macro_rules! each_item {
    ($item:ident => $body:block) => {
        each_item!(@ $item $body; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14)
    };
    (@ $item:ident $body:block; $($k:literal)*) => {
        const _: () = assert!(
            [$($k),*].len() == CP_ITEMS,
            "one index per item of LINECALLPARAMS"
        );
        $({
            const $item: ItemAt = CP_ITEM_AT[$k];
            $body
        })*
    };
}

/// Every item of LINECALLPARAMS, taken from the catalogue at compile time: the one table of
/// its pairs, from which [`CP_OPEN`] and [`CP_END`] are derived (the catalogue's items have
/// no inline array, checked here).
const CP_ITEM_AT: [ItemAt; CP_ITEMS] = {
    let vars = crate::structures::descs::LINECALLPARAMS::DESC.vars;
    let mut out = [ItemAt {
        size_at: 0,
        offset_at: 0,
        unit_mask: 0,
    }; CP_ITEMS];
    let mut k = 0;
    while k < CP_ITEMS {
        let v = &vars[k];
        assert!(!matches!(v.kind, VarKind::InlineEntries { .. }));
        assert!(v.offset_at + 4 <= u16::MAX as usize && v.size_at <= u16::MAX as usize);
        assert!(
            v.size_at % 4 == 0 && v.offset_at % 4 == 0,
            "read as DWORDs: `words`"
        );
        out[k] = ItemAt {
            size_at: v.size_at as u16,
            offset_at: v.offset_at as u16,
            unit_mask: match v.kind.whole_units() {
                Some(unit) => {
                    assert!(unit.is_power_of_two());
                    unit - 1
                }
                None => u32::MAX,
            },
        };
        k += 1;
    }
    out
};

/// What the items of `raw` that hold data (both members of the pair inside the fixed part,
/// the size not 0: [`items_with_data`]) say, decided from their pairs alone, in one pass:
///
/// * `.0`: every one passes its Offset, Extent and ExtentV2 rules: the offset is
///   DWORD-aligned and at or after `floor`, and `offset + size` (in 64 bits) lies inside the
///   root. Such an item passes [`offset_bad`], and its `Raw::var_bytes` gives neither
///   `Overflow` nor `SizeOutOfBounds`, so [`extent_bad`] passes too.
/// * `.1`: in addition, every one is a whole number of its kind's units
///   (`VarKind::whole_units`: text of an even size, ASCII or bytes), so that the structure
///   passes `Raw::validate` (each item is then aligned for its kind, after the fixed part
///   and inside the root: `Raw::validates_fast`).
///
/// `false` leaves the items to the rules (or to `Raw::validate`), which find the failing one.
fn items_fit(raw: &Raw<'_>, floor: usize) -> (bool, bool) {
    let fixed = raw.fixed_bytes();
    let len = raw.root_bytes().len() as u64;
    let (mut fit, mut decodes) = (true, true);
    for item in &CP_ITEM_AT {
        let (Some(size), Some(offset)) = (
            dword(fixed, usize::from(item.size_at)),
            dword(fixed, usize::from(item.offset_at)),
        ) else {
            continue;
        };
        let (fits, whole) = item.fits(size, offset, floor, len);
        fit &= fits;
        decodes &= whole;
    }
    (fit, fit & decodes)
}

/// [`items_fit`] without the parse, for a LINECALLPARAMS that holds the newest fixed part:
/// `f`, the bytes of that part, and `len`, its dwTotalSize (at least [`CP_SIZE`], inside the
/// buffer: [`opens`]). It asks more of an item with data: its offset must also lie at or
/// after the newest fixed part ([`CP_SIZE`]). Then no pair places data inside that part, so
/// the guessed parse keeps the whole of it (`Raw::parse`), and a parse in a version keeps
/// that version's fixed part (no longer) and reads no pair beyond it: in either, every item
/// with data lies after the fixed part kept, and `.0` and `.1` mean what [`items_fit`] says
/// of the parsed structure (`.1` possibly `false` where it would say `true`: an item
/// beyond the version's fixed part, absent from the parse, is checked here too).
///
/// One pass over the 15 pairs, unrolled ([`each_item`]): each item's pair read at constant
/// offsets of `f` ([`words`]), with no branch per item.
#[inline(always)]
fn items_fit_beyond(f: &[u8; CP_SIZE], len: u64) -> (bool, bool) {
    let w = words(f);
    let (mut fit, mut decodes) = (true, true);
    each_item!(ITEM => {
        let size = w[ITEM.size_at as usize / 4].get();
        let offset = w[ITEM.offset_at as usize / 4].get();
        let (fits, whole) = ITEM.fits(size, offset, CP_SIZE, len);
        fit &= fits;
        decodes &= whole;
    });
    (fit, fit & decodes)
}

/// The newest fixed part of LINECALLPARAMS, which holds every version's (a test of
/// `engine` checks it over the catalogue) and every pair ([`CP_END`]).
const CP_SIZE: usize = {
    let size = crate::structures::descs::LINECALLPARAMS::DESC.size;
    assert!(CP_END <= size);
    size
};

/// The DWORDs of the newest fixed part of a LINECALLPARAMS ([`CP_SIZE`] bytes, a whole
/// number of DWORDs, or [`words`] would not compile).
type CpWords = [U32; CP_SIZE / 4];

/// `f`, the newest fixed part of a LINECALLPARAMS, as its DWORDs, in place: a member at a
/// constant offset is then one load, with no bound to check at run time.
#[inline(always)]
fn words(f: &[u8; CP_SIZE]) -> &CpWords {
    zerocopy::transmute_ref!(f)
}

/// [`super::engine::opens_empty`] for a LINECALLPARAMS, over [`CP_ITEM_AT`] (every size at a
/// constant offset, [`holds_no_data`]) rather than the catalogue's item descriptions: `bytes`,
/// a LINECALLPARAMS that resolved (its dwTotalSize bytes), opens in every version and as the
/// decoder guesses ([`opens`]), and every item's size is 0 (no item holds data:
/// [`callparams_with_data`] is 0). Gives the newest fixed part's bytes, where every member
/// lies.
#[inline(always)]
pub(super) fn opens_empty(bytes: &[u8]) -> Option<&[u8; CP_SIZE]> {
    let (f, _) = opens(bytes)?;
    holds_no_data(f).then_some(f)
}

/// Whether `bytes`, a LINECALLPARAMS that resolved (its dwTotalSize bytes), opens in every
/// version and as the decoder guesses: dwTotalSize covers the newest fixed part (CP.1 passes)
/// and lies inside the buffer. Gives the bytes of the newest fixed part, where every member
/// lies, and dwTotalSize.
#[inline(always)]
fn opens(bytes: &[u8]) -> Option<(&[u8; CP_SIZE], u32)> {
    let f = bytes.first_chunk::<CP_SIZE>()?;
    let total = u32::from_le_bytes([f[0], f[1], f[2], f[3]]);
    if (total as usize) < CP_SIZE || total as usize > bytes.len() {
        return None;
    }
    Some((f, total))
}

/// Whether every item's size in `f`, the newest fixed part, is 0 (no item holds data:
/// [`callparams_with_data`] is 0), decided by the union of the sizes alone.
#[inline(always)]
fn holds_no_data(f: &[u8; CP_SIZE]) -> bool {
    let w = words(f);
    let mut sizes = 0u32;
    each_item!(ITEM => {
        sizes |= w[ITEM.size_at as usize / 4].get();
    });
    sizes == 0
}

/// What [`passes_at_once`] finds out about a LINECALLPARAMS from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AtOnce {
    /// Nothing: the block's full rules ([`run`]) decide.
    Unknown,
    /// Every rule of the block passes ([`run`] reports nothing); whether the structure passes
    /// its `decodes` rule is left to that rule.
    RulesPass,
    /// Every rule of the block passes, and so does the field's `decodes` rule: the structure
    /// opens with no item holding data, or every item with data fits and decodes.
    Passes,
}

/// Whether the LINECALLPARAMS at `field` passes every rule of the block, decided from its
/// bytes alone where that is cheap: it resolves (`VarData::structure_fast`) and either
///
/// * holds the newest fixed part ([`opens`]), every item with data lies beyond it and fits
///   ([`items_fit_beyond`]; with no item holding data, [`holds_no_data`], every Offset and
///   Extent rule passes, as in [`run`] when [`callparams_with_data`] is 0), and every member
///   rule ([`MEMBER_RULES`], each with its rule a constant) passes on its member read from
///   these bytes (the view's fixed part is a prefix of them, and a member outside it
///   passes): no parse; or
/// * passes as [`passes_with_data`] decides, which parses (a structure shorter than the
///   newest fixed part, or with an item whose data lies inside it).
///
/// [`AtOnce::Unknown`] leaves the structure to the full rules, which then give every
/// violation.
#[inline(always)]
pub(super) fn passes_at_once(ctx: &Ctx<'_>, field: FieldIndex) -> AtOnce {
    match ctx.var.structure_fast(ctx.get(field), Align::Dword) {
        Some(Some(bytes)) => passes_in(bytes, ctx.version),
        _ => AtOnce::Unknown,
    }
}

/// [`passes_at_once`] for `bytes`, the LINECALLPARAMS that resolved (its dwTotalSize
/// bytes), in `version`.
#[inline(always)]
fn passes_in(bytes: &[u8], version: Option<Version>) -> AtOnce {
    match opens(bytes) {
        Some((f, _)) if holds_no_data(f) => match members_pass(f, version) {
            true => AtOnce::Passes,
            false => AtOnce::Unknown,
        },
        _ => passes_holding_data(bytes, version),
    }
}

/// [`passes_in`] for a LINECALLPARAMS that holds data (or does not open as [`opens`] asks):
/// without a parse when it holds the newest fixed part and every item with data lies beyond
/// it and fits ([`items_fit_beyond`]), else as [`passes_with_data`] decides. Out of line, so
/// that the unrolled pass over the pairs does not weigh on the runners' common path.
#[inline(never)]
fn passes_holding_data(bytes: &[u8], version: Option<Version>) -> AtOnce {
    if let Some((f, total)) = opens(bytes) {
        let (fit, decodes) = items_fit_beyond(f, u64::from(total));
        if fit {
            return match (members_pass(f, version), decodes) {
                (false, _) => AtOnce::Unknown,
                (true, false) => AtOnce::RulesPass,
                (true, true) => AtOnce::Passes,
            };
        }
    }
    passes_with_data(bytes, version)
}

/// Whether every member rule of the block ([`MEMBER_RULES`], each with its rule a constant)
/// passes on its member read from `f`, the bytes of the newest fixed part
/// ([`member_passes`]).
#[inline(always)]
fn members_pass(f: &[u8; CP_SIZE], version: Option<Version>) -> bool {
    let mut ok = true;
    each_member_rule!(RULE => {
        ok &= member_passes(RULE.check, f, version);
    });
    ok
}

/// [`passes_at_once`] for a LINECALLPARAMS some item of which holds data (`bytes`, the
/// structure the resolver's common case gives): it opens as [`run`] opens it (over
/// [`CP_OPEN`], in `version`), so CP.1 passes; every item with data passes its Offset and
/// Extent rules ([`items_fit`]); and every member rule passes ([`member_passes`] on the
/// newest fixed part's bytes, or [`eval`] on the view when the structure is shorter than
/// that). Then [`run`] reports nothing. When every item with data also decodes
/// ([`items_fit`]), the structure passes `Raw::validate`, so its `decodes` rule passes too
/// ([`AtOnce::Passes`]). Out of line: it parses.
///
/// [`member_passes`] reads a member from the bytes even where the view, cut at an older
/// fixed part, reads it as absent (and the rule passes): it may then say no where [`run`]
/// would pass, never the reverse, and no leaves the structure to [`run`].
#[inline(never)]
fn passes_with_data(bytes: &[u8], version: Option<Version>) -> AtOnce {
    let desc = &crate::structures::descs::LINECALLPARAMS::DESC;
    let Ok(raw) = Raw::parse_pairs(desc, bytes, version, &CP_OPEN) else {
        return AtOnce::Unknown;
    };
    let floor = raw.fixed_bytes().len();
    let (fit, decodes) = items_fit(&raw, floor);
    if !fit {
        return AtOnce::Unknown;
    }
    let members = match bytes.first_chunk::<CP_SIZE>() {
        Some(f) => members_pass(f, version),
        None => {
            let view = LINECALLPARAMS::from_raw(raw);
            MEMBER_RULES
                .iter()
                .all(|&k| match CALLPARAMS_RULES[k].check {
                    Check::Cp(check) => eval(check, &view, &raw, floor, version).is_none(),
                    _ => true,
                })
        }
    };
    match (members, decodes) {
        (false, _) => AtOnce::Unknown,
        (true, false) => AtOnce::RulesPass,
        (true, true) => AtOnce::Passes,
    }
}

/// Whether member rule `check` of the block passes on the members in `f` (the bytes of the
/// newest fixed part), as [`eval`] decides it on a view of them; `false` for any other check.
#[inline(always)]
fn member_passes(check: Check, f: &[u8; CP_SIZE], version: Option<Version>) -> bool {
    match check {
        Check::Cp(CpCheck::TotalSize) => true,
        Check::Cp(CpCheck::Bits(at, mask, how)) => {
            dword(f, at).is_none_or(|v| bits_ok(v, mask, how))
        }
        Check::Cp(CpCheck::BearerOneBit) => {
            version.is_none_or(|v| v.0 > 0x0002_0000)
                || dword(f, member!(dw_bearer_mode)).is_some_and(|b| b.count_ones() <= 1)
        }
        _ => false,
    }
}

/// What the rules of one LINECALLPARAMS block run on (see [`run`]).
struct On<'v, 'a> {
    /// The function rule that applies the block.
    via: &'static Rule,
    view: &'v LINECALLPARAMS<'a>,
    raw: &'v Raw<'a>,
    /// The end of the fixed part.
    floor: usize,
    version: Option<Version>,
}

impl On<'_, '_> {
    /// Evaluates `rule` of the block and reports it through `sink` when it fails.
    #[inline(always)]
    fn report(&self, rule: &'static Rule, sink: &mut dyn FnMut(Violation)) {
        let Check::Cp(check) = rule.check else {
            return;
        };
        if let Some(detail) = eval(check, self.view, self.raw, self.floor, self.version) {
            sink(Violation {
                rule,
                via: Some(self.via),
                detail,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handles::TAPI_VERSIONS;
    use crate::structures::descs;

    /// The compact pairs read every LINECALLPARAMS as the catalogue's items do: random fixed
    /// parts of every length around the three layouts, with sizes 0 or not, parsed without a
    /// version and in each TAPI version.
    #[test]
    fn callparams_with_data_is_items_with_data() {
        let mut next = crate::test_rng::xorshift(0x9E37_79B9_7F4A_7C15u64);
        let mut compared = 0;
        for round in 0..4000 {
            let total = 100 + (next() % 120) as usize;
            let mut bytes = vec![0u8; total];
            for k in (4..total - 3).step_by(4) {
                // Mostly zero, some small values (sizes and offsets inside the structure).
                let v = match next() % 4 {
                    0 => (next() % 256) as u32,
                    _ => 0,
                };
                bytes[k..k + 4].copy_from_slice(&v.to_le_bytes());
            }
            bytes[..4].copy_from_slice(&(total as u32).to_le_bytes());
            let version = match round % 8 {
                7 => None,
                k => Some(TAPI_VERSIONS[k]),
            };
            let raw = match version {
                Some(v) => Raw::parse_with(&descs::LINECALLPARAMS::DESC, &bytes, v),
                None => Raw::parse(&descs::LINECALLPARAMS::DESC, &bytes),
            };
            if let Ok(raw) = raw {
                assert_eq!(
                    callparams_with_data(&raw),
                    items_with_data(&raw),
                    "{bytes:?}"
                );
                compared += 1;
            }
        }
        assert!(compared > 1000, "{compared}");
    }

    /// A random LINECALLPARAMS whose items mostly hold data: half of the items get a size (0
    /// to 23 bytes, even three times in four) and an offset, usually DWORD-aligned after the
    /// fixed part, sometimes anywhere in the structure or near `u32::MAX`; the structure is 0
    /// to 95 bytes longer than the newest fixed part.
    fn random_with_data(next: &mut impl FnMut() -> u64) -> Vec<u8> {
        let desc = &descs::LINECALLPARAMS::DESC;
        let total = desc.size + (next() % 96) as usize;
        let mut bytes = vec![0u8; total];
        bytes[..4].copy_from_slice(&(total as u32).to_le_bytes());
        for v in desc.vars {
            if next() % 2 == 0 {
                continue;
            }
            let size = match next() % 4 {
                0 => (next() % 24) as u32,
                _ => 2 * (next() % 12) as u32,
            };
            let offset = match next() % 8 {
                0 => (next() % (total as u64 + 8)) as u32,
                1 => u32::MAX - (next() % 8) as u32,
                _ => (desc.size as u32 + (next() % 64) as u32) & !3,
            };
            bytes[v.size_at..v.size_at + 4].copy_from_slice(&size.to_le_bytes());
            bytes[v.offset_at..v.offset_at + 4].copy_from_slice(&offset.to_le_bytes());
        }
        bytes
    }

    /// Asserts that each of `rules` passes on `raw` (`eval`) in `version`.
    fn assert_rules_pass<'r>(
        rules: impl IntoIterator<Item = &'r Rule>,
        raw: &Raw<'_>,
        version: Option<Version>,
        bytes: &[u8],
    ) {
        let floor = raw.fixed_bytes().len();
        let view = LINECALLPARAMS::from_raw(*raw);
        for rule in rules {
            if let Check::Cp(check) = rule.check {
                let got = eval(check, &view, raw, floor, version);
                assert_eq!(got, None, "{} {version:?} {bytes:?}", rule.id);
            }
        }
    }

    /// Where `items_fit` says the items with data fit, every Offset, Extent and ExtentV2
    /// rule of the block passes, in each TAPI version and without one ([`random_with_data`]).
    /// Both answers are counted.
    #[test]
    fn items_fit_implies_the_item_rules_pass() {
        let desc = &descs::LINECALLPARAMS::DESC;
        let mut next = crate::test_rng::xorshift(0xD1B5_4A32_D192_ED03u64);
        let (mut passed, mut left) = (0u32, 0u32);
        for _ in 0..6000 {
            let bytes = random_with_data(&mut next);
            let versions = TAPI_VERSIONS.iter().map(|v| Some(*v)).chain([None]);
            for version in versions {
                let raw = match version {
                    Some(v) => Raw::parse_with(desc, &bytes, v),
                    None => Raw::parse(desc, &bytes),
                };
                let Ok(raw) = raw else { continue };
                if !items_fit(&raw, raw.fixed_bytes().len()).0 {
                    left += 1;
                    continue;
                }
                passed += 1;
                let item_rules = CALLPARAMS_RULES.iter().filter(|r| is_item_rule(r));
                assert_rules_pass(item_rules, &raw, version, &bytes);
            }
        }
        assert!(passed > 2000 && left > 2000, "passed {passed}, left {left}");
    }

    /// What `passes_with_data` says holds: `RulesPass` and `Passes` only where every rule of
    /// the block passes on the view (`eval`, CP.1 included: the structure opens), and
    /// `Passes` only where the structure also passes `Raw::validate` (its `decodes` rule), in
    /// each TAPI version and without one ([`random_with_data`]: some text items of odd size,
    /// some items beyond the structure). Every outcome is counted.
    #[test]
    fn passes_with_data_is_what_the_rules_say() {
        let desc = &descs::LINECALLPARAMS::DESC;
        let mut next = crate::test_rng::xorshift(0x6A09_E667_F3BC_C908u64);
        let mut seen = [0u32; 3];
        for _ in 0..6000 {
            let bytes = random_with_data(&mut next);
            let versions = TAPI_VERSIONS.iter().map(|v| Some(*v)).chain([None]);
            for version in versions {
                let said = passes_with_data(&bytes, version);
                seen[said as usize] += 1;
                if said == AtOnce::Unknown {
                    continue;
                }
                let raw = Raw::parse_pairs(desc, &bytes, version, &CP_OPEN).expect("opens");
                assert_rules_pass(CALLPARAMS_RULES.iter(), &raw, version, &bytes);
                if said == AtOnce::Passes {
                    assert_eq!(raw.validate(), Ok(()), "{version:?} {bytes:?}");
                }
            }
        }
        assert!(
            seen.iter().all(|n| *n > 500),
            "unknown, rules pass, passes: {seen:?}"
        );
    }

    /// What `passes_in` says without parsing (a structure that holds the newest fixed part,
    /// every item with data beyond it) holds: it says what `passes_with_data` says of the
    /// same bytes, except `RulesPass` where that says `Passes` (an item beyond a version's
    /// fixed part that does not decode), and every rule of the block passes where it says so
    /// (as in `passes_with_data_is_what_the_rules_say`); in each TAPI version and without one
    /// ([`random_with_data`], one in two with a random member). Each outcome of the
    /// unparsed path is counted.
    #[test]
    fn passes_in_without_a_parse_is_passes_with_data() {
        let desc = &descs::LINECALLPARAMS::DESC;
        let mut next = crate::test_rng::xorshift(0xBB67_AE85_84CA_A73Bu64);
        let (mut seen, mut parsed) = ([0u32; 3], 0u32);
        let pair_at = |at: usize| {
            desc.vars
                .iter()
                .any(|v| v.size_at == at || v.offset_at == at)
        };
        for _ in 0..6000 {
            let mut bytes = random_with_data(&mut next);
            // One structure in two with a random member (so that member rules fail).
            let at = 4 * (1 + next() as usize % (CP_SIZE / 4 - 1));
            if next() % 2 == 0 && !pair_at(at) {
                bytes[at..at + 4].copy_from_slice(&(next() as u32).to_le_bytes());
            }
            let versions = TAPI_VERSIONS.iter().map(|v| Some(*v)).chain([None]);
            for version in versions {
                let said = passes_in(&bytes, version);
                let with_parse = passes_with_data(&bytes, version);
                let unparsed =
                    opens(&bytes).is_some_and(|(f, total)| items_fit_beyond(f, u64::from(total)).0);
                if !unparsed {
                    assert_eq!(said, with_parse, "{version:?} {bytes:?}");
                    parsed += 1;
                    continue;
                }
                seen[said as usize] += 1;
                match (said, with_parse) {
                    (a, b) if a == b => {}
                    (AtOnce::RulesPass, AtOnce::Passes) => assert!(version.is_some()),
                    _ => panic!("{said:?} {with_parse:?} {version:?} {bytes:?}"),
                }
                if said == AtOnce::Unknown {
                    continue;
                }
                let raw = Raw::parse_pairs(desc, &bytes, version, &CP_OPEN).expect("opens");
                if version.is_none() {
                    assert_eq!(raw.fixed_bytes().len(), CP_SIZE);
                }
                assert_rules_pass(CALLPARAMS_RULES.iter(), &raw, version, &bytes);
                if said == AtOnce::Passes {
                    assert_eq!(raw.validate(), Ok(()), "{version:?} {bytes:?}");
                }
            }
        }
        assert!(
            seen.iter().all(|n| *n > 100) && parsed > 500,
            "unparsed: unknown, rules pass, passes {seen:?}; parsed {parsed}"
        );
    }

    /// Opening a LINECALLPARAMS over [`CP_OPEN`] gives what opening it over the catalogue's
    /// item descriptions gives (the view or the error), without a version and in each TAPI
    /// version: random structures whose sizes and offsets are often the boundaries of the
    /// layouts (a cut of the fixed part), of every length around them.
    #[test]
    fn opening_over_cp_open_is_parse() {
        let desc = &descs::LINECALLPARAMS::DESC;
        let mut next = crate::test_rng::xorshift(0x2545_F491_4F6C_DD1Du64);
        let (mut cut, mut ok, mut empty) = (0, 0, 0);
        for round in 0..20000 {
            let total = 100 + (next() % 120) as usize;
            let mut bytes = vec![0u8; total];
            // One round in three with few nonzero DWORDs (most items empty, as in requests).
            let spread = if round % 3 == 0 { 64 } else { 8 };
            for k in (4..total - 3).step_by(4) {
                let v: u32 = match next() % spread {
                    0 => (next() % 256) as u32,
                    1 => [112, 176, 177, 178, 179, 180, 184][(next() % 7) as usize],
                    2 => 4,
                    _ => 0,
                };
                bytes[k..k + 4].copy_from_slice(&v.to_le_bytes());
            }
            let stated = match next() % 4 {
                0 => (next() % 240) as u32,
                _ => total as u32,
            };
            bytes[..4].copy_from_slice(&stated.to_le_bytes());
            let version = match round % 8 {
                7 => None,
                k => Some(TAPI_VERSIONS[k]),
            };
            let walked = match version {
                Some(v) => Raw::parse_with(desc, &bytes, v),
                None => Raw::parse(desc, &bytes),
            };
            let opened = Raw::parse_pairs(desc, &bytes, version, &CP_OPEN);
            assert_eq!(opened, walked, "{version:?} {bytes:?}");
            if let Ok(raw) = walked {
                ok += 1;
                if items_with_data(&raw) == 0 {
                    empty += 1;
                }
                if raw.fixed_bytes().len() < desc.size.min(raw.root_bytes().len()) {
                    cut += 1;
                }
            }
        }
        assert!(ok > 5000 && cut > 100 && empty > 500, "{ok} {cut} {empty}");
    }
}
