//! Names public research gives to `Req_Func` values that [MS-TRP] does not document.
//!
//! [MS-TRP] 2.2.4.1 documents 132 request packets; the Windows Telephony service accepts more
//! (public exploit code for its CVEs sends 61, 69 and 121, and the service processes them).
//! [`Request::parse`](super::Request::parse) reads such a packet as
//! [`Request::Unknown`](super::Request::Unknown); this table gives it the name public sources
//! use, with the source, so a tool can print "121 (TRequestMakeCall, undocumented)" instead of a
//! bare number. A name here says nothing about the packet's layout: none of these packets has a
//! documented diagram, so the crate decodes only their fixed part.
//!
//! How the values were established (details and every source in `spec-notes/public-sources.md`):
//!
//! * `kiwids0220/CVE-2024-26230`, file `CVE-2024-26230.h`, declares the function table as an
//!   enum (`GaFuncs`, 167 names, numbered from 0). Every value it shares with [MS-TRP] up to 119
//!   (`PShutdown`) matches the spec, so its names for the undocumented values 28 to 121 are taken
//!   as they are. From `LConditionalMediaDetection` on, its numbering is one less than the spec's
//!   (the spec has ConditionalMediaDetection = 127, SelectExtVersion = 128, ..., GetDeviceFlags =
//!   165): the enum lacks one name between 122 and 126. The values of 122 to 126 are therefore
//!   not listed. Names above 127 are listed at the enum position plus one, and each of them sits
//!   between two documented values with exactly as many slots as names, except 166 to 168,
//!   which follow the last documented value (165) in the enum's order.
//! * `Wa1nut4/CVE-2024-26230`, file `exp/exp.cpp`, names TRequestMakeCall as the table offset
//!   0x3C8 (an 8-byte table entry per function: 0x3C8 / 8 = 121), and sends it.
//! * The PT Security write-up of CVE-2026-20931 ("Who's on the line?"), as summarised by
//!   `HackTricks-wiki/hacktricks`, names `LRegisterRequestRecipient` (61), `LSetAppPriority` (69)
//!   and `TRequestMakeCall` (121), with the documented Initialize (47), GetAsyncEvents (0) and
//!   Shutdown (86).

/// One undocumented `Req_Func` value and the name public research gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct KnownAs {
    /// The `Req_Func` value; never one of the 132 values [MS-TRP] documents.
    pub req_func: u32,
    /// The name as the sources spell it (the Windows function-table spelling: an `L` prefix for
    /// line functions, `P` for phone, `T` for Assisted Telephony, `M` for management).
    pub name: &'static str,
    /// Where the name and the value come from.
    pub source: &'static str,
}

const GAFUNCS: &str = "kiwids0220/CVE-2024-26230 CVE-2024-26230.h, enum GaFuncs (position = value)";
const GAFUNCS_SHIFTED: &str = "kiwids0220/CVE-2024-26230 CVE-2024-26230.h, enum GaFuncs \
     (position + 1: the enum lacks one name between 122 and 126; value fixed by the documented neighbours)";
const GAFUNCS_TAIL: &str = "kiwids0220/CVE-2024-26230 CVE-2024-26230.h, enum GaFuncs \
     (position + 1, following GetDeviceFlags = 165; no documented value after it to confirm)";
const PT_SECURITY: &str = "PT Security, CVE-2026-20931 write-up, via HackTricks-wiki/hacktricks \
     telephony-tapsrv-arbitrary-dword-write-to-rce.md; kiwids0220/CVE-2024-26230 enum GaFuncs";
const MAKE_CALL: &str = "PT Security, CVE-2026-20931 write-up, via HackTricks-wiki/hacktricks; \
     Wa1nut4/CVE-2024-26230 exp/exp.cpp (table offset 0x3C8 / 8); kiwids0220/CVE-2024-26230 enum GaFuncs";

/// Every undocumented `Req_Func` value public sources name, in ascending order.
pub const KNOWN_AS: &[KnownAs] = &[
    KnownAs {
        req_func: 28,
        name: "LGetAppPriority",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 29,
        name: "LGetCallAddressID",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 32,
        name: "LGetConfRelatedCalls",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 33,
        name: "LGetCountry",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 36,
        name: "LGetIcon",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 41,
        name: "LGetNumRings",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 43,
        name: "LGetRequest",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 44,
        name: "LGetStatusMessages",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 45,
        name: "LHandoff",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 58,
        name: "LProxyMessage",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 59,
        name: "LProxyResponse",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 61,
        name: "LRegisterRequestRecipient",
        source: PT_SECURITY,
    },
    KnownAs {
        req_func: 69,
        name: "LSetAppPriority",
        source: PT_SECURITY,
    },
    KnownAs {
        req_func: 73,
        name: "LSetCallPrivilege",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 81,
        name: "LSetNumRings",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 100,
        name: "PGetIcon",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 104,
        name: "PGetStatusMessages",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 120,
        name: "TRequestDrop",
        source: GAFUNCS,
    },
    KnownAs {
        req_func: 121,
        name: "TRequestMakeCall",
        source: MAKE_CALL,
    },
    KnownAs {
        req_func: 138,
        name: "LMSPIdentify",
        source: GAFUNCS_SHIFTED,
    },
    KnownAs {
        req_func: 139,
        name: "LReceiveMSPData",
        source: GAFUNCS_SHIFTED,
    },
    KnownAs {
        req_func: 142,
        name: "LGetHubRelatedCalls",
        source: GAFUNCS_SHIFTED,
    },
    KnownAs {
        req_func: 144,
        name: "PrivateFactoryIdentify",
        source: GAFUNCS_SHIFTED,
    },
    KnownAs {
        req_func: 145,
        name: "LDevSpecificEx",
        source: GAFUNCS_SHIFTED,
    },
    KnownAs {
        req_func: 159,
        name: "LCreateMSPInstance",
        source: GAFUNCS_SHIFTED,
    },
    KnownAs {
        req_func: 160,
        name: "LCloseMSPInstance",
        source: GAFUNCS_SHIFTED,
    },
    KnownAs {
        req_func: 162,
        name: "TGetEventMasksOrSubMasks",
        source: GAFUNCS_SHIFTED,
    },
    KnownAs {
        req_func: 163,
        name: "TSetPermissibleMasks",
        source: GAFUNCS_SHIFTED,
    },
    KnownAs {
        req_func: 164,
        name: "TGetPermissibleMasks",
        source: GAFUNCS_SHIFTED,
    },
    KnownAs {
        req_func: 166,
        name: "LGetCountryGroups",
        source: GAFUNCS_TAIL,
    },
    KnownAs {
        req_func: 167,
        name: "LGetIDEx",
        source: GAFUNCS_TAIL,
    },
    KnownAs {
        req_func: 168,
        name: "PGetIDEx",
        source: GAFUNCS_TAIL,
    },
];

/// The public name of an undocumented `Req_Func` value, if a source names it.
///
/// Returns `None` for the 132 documented values (use [`FuncId`](super::FuncId)) and for values
/// no source names.
///
/// ```
/// use mstrp::requests::known_as::known_as;
///
/// assert_eq!(known_as(121).map(|k| k.name), Some("TRequestMakeCall"));
/// assert!(known_as(47).is_none()); // Initialize is documented
/// ```
pub fn known_as(req_func: u32) -> Option<&'static KnownAs> {
    KNOWN_AS
        .binary_search_by_key(&req_func, |k| k.req_func)
        .ok()
        .map(|i| &KNOWN_AS[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::FuncId;

    #[test]
    fn sorted_unique_and_undocumented() {
        assert!(KNOWN_AS.windows(2).all(|w| w[0].req_func < w[1].req_func));
        for k in KNOWN_AS {
            assert!(
                FuncId::from_u32(k.req_func).is_none(),
                "{} is documented",
                k.req_func
            );
            assert_eq!(known_as(k.req_func), Some(k));
        }
    }
}
