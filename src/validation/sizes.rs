//! Sizes of the fixed portions of the structures (2.2.6) that the rules of 3.1.4.2 compare
//! against ("less than the size of the LINEDEVCAPS packet").
//!
//! Each value is the byte length of the structure's diagram up to (not including) its first
//! field that is `VarData (variable)` or marked `(optional)`: the smallest fixed portion a
//! conforming client can send (the optional fields were added by later TAPI versions). Where a
//! diagram's bit range disagrees with its own label ("DialParams (16 bytes)" drawn over 96
//! bits in LINECALLPARAMS, LINECALLINFO and LINEDEVCAPS), the label wins: LINEDIALPARAMS is 16
//! bytes (2.2.6.26). Computed by `tools/gen_rules.py sizes`, checked by hand; see
//! `spec-notes/validation.md`.

/// AVAILABLEPROVIDERLIST (2.2.6.2).
pub const AVAILABLEPROVIDERLIST: u32 = 24;
/// DEVICEINFOLIST (2.2.6.4).
pub const DEVICEINFOLIST: u32 = 24;
/// TAPISERVERCONFIG (2.2.6.5).
pub const TAPISERVERCONFIG: u32 = 48;
/// LINEADDRESSCAPS (2.2.6.6), without the optional TAPI 2.0+ members.
pub const LINEADDRESSCAPS: u32 = 180;
/// LINEADDRESSSTATUS (2.2.6.7).
pub const LINEADDRESSSTATUS: u32 = 64;
/// LINEAGENTSTATUS (2.2.6.8).
pub const LINEAGENTSTATUS: u32 = 56;
/// LINEAGENTACTIVITYLIST (2.2.6.10).
pub const LINEAGENTACTIVITYLIST: u32 = 24;
/// LINEAGENTGROUPLIST (2.2.6.11).
pub const LINEAGENTGROUPLIST: u32 = 24;
/// LINEAGENTCAPS (2.2.6.13), without the optional ProxyGUID.
pub const LINEAGENTCAPS: u32 = 56;
/// LINEAGENTSESSIONLIST (2.2.6.15).
pub const LINEAGENTSESSIONLIST: u32 = 20;
/// LINEAGENTSESSIONINFO (2.2.6.16).
pub const LINEAGENTSESSIONINFO: u32 = 68;
/// LINECALLSTATUS (2.2.6.17), without the optional dwCallFeatures2 and tStateEntryTime.
pub const LINECALLSTATUS: u32 = 36;
/// LINECALLHUBTRACKINGINFO (2.2.6.18).
pub const LINECALLHUBTRACKINGINFO: u32 = 20;
/// LINECALLINFO (2.2.6.19), without the optional TAPI 2.0+ members.
pub const LINECALLINFO: u32 = 296;
/// LINECALLPARAMS (2.2.6.20), without the optional dwAddressType.
pub const LINECALLPARAMS: u32 = 176;
/// LINECALLLIST (2.2.6.21).
pub const LINECALLLIST: u32 = 24;
/// LINEDEVCAPS (2.2.6.23), without the optional TAPI 2.0+ members.
pub const LINEDEVCAPS: u32 = 240;
/// LINEDEVSTATUS (2.2.6.24), without the optional TAPI 2.0+ members.
pub const LINEDEVSTATUS: u32 = 76;
/// LINEGENERATETONE (2.2.6.27).
pub const LINEGENERATETONE: u32 = 16;
/// LINEQUEUEINFO (2.2.6.29).
pub const LINEQUEUEINFO: u32 = 52;
/// LINEFORWARDLIST (2.2.6.31): dwTotalSize and dwNumEntries.
pub const LINEFORWARDLIST: u32 = 8;
/// LINEFORWARD (2.2.6.30), the entries of LINEFORWARDLIST.
pub const LINEFORWARD: u32 = 32;
/// LINEPROVIDERLIST (2.2.6.32).
pub const LINEPROVIDERLIST: u32 = 24;
/// LINEPROXYREQUESTLIST (2.2.6.34).
pub const LINEPROXYREQUESTLIST: u32 = 24;
/// LINEQUEUELIST (2.2.6.35).
pub const LINEQUEUELIST: u32 = 24;
/// PHONEBUTTONINFO (2.2.6.41).
pub const PHONEBUTTONINFO: u32 = 40;
/// PHONECAPS (2.2.6.42), without the optional members.
pub const PHONECAPS: u32 = 144;
/// PHONEEXTENSIONID (2.2.6.43).
pub const PHONEEXTENSIONID: u32 = 16;
/// LINEEXTENSIONID (2.2.6.45).
pub const LINEEXTENSIONID: u32 = 16;
/// VARSTRING (2.2.6.46).
pub const VARSTRING: u32 = 24;
/// LINEAGENTINFO (2.2.6.47).
pub const LINEAGENTINFO: u32 = 52;
/// PHONESTATUS (2.2.6.48), without the optional dwPhoneFeatures.
pub const PHONESTATUS: u32 = 100;
/// A GUID ([MS-DTYP] 2.3.4).
pub const GUID: u32 = 16;
/// The largest buffer the agent requests accept (3.1.4.2: "greater than 0x40000").
pub const AGENT_BUFFER_MAX: u32 = 0x40000;
