//! `Req_Func` and the packet descriptions, derived from the [catalogue](super::catalogue).
//!
//! Catalogue layer: [`FuncId`] and one [`PacketDesc`] per packet, with nothing above them.

use crate::header::HEADER_DWORDS;

use super::catalogue::for_each_request;
use super::meta::{self, Completion, FieldDesc, Group, PacketDesc, RefPlan, Role};

/// Derives [`FuncId`] and the packet descriptions from the catalogue.
macro_rules! define_ids {
    ($(
        $(#[$doc:meta])*
        $name:ident = $func:literal, $title:literal, $section:literal, $group:ident, $completion:ident {
            $( $f:ident $spec:literal : $role:ident $(($($arg:tt)*))? ),* $(,)?
        }
    )*) => {
        /// `Req_Func`: the 132 functions of 2.2.4.1.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[repr(u32)]
        pub enum FuncId {
            $( $(#[$doc])* $name = $func, )*
        }

        impl FuncId {
            /// Every documented function, in catalogue (spec) order.
            pub const ALL: &'static [FuncId] = &[$(FuncId::$name),*];

            /// The function with `Req_Func` = `value`, if documented.
            #[inline]
            pub const fn from_u32(value: u32) -> Option<FuncId> {
                if value < BY_VALUE.len() as u32 {
                    BY_VALUE[value as usize]
                } else {
                    None
                }
            }

            /// The packet's description.
            pub const fn desc(self) -> &'static $crate::requests::PacketDesc {
                match self {
                    $( FuncId::$name => &descs::$name, )*
                }
            }
        }

        /// `FuncId` by `Req_Func` value (the documented values are all below 256).
        const BY_VALUE: [Option<FuncId>; 256] = {
            let mut t = [None; 256];
            $( t[$func] = Some(FuncId::$name); )*
            t
        };

        /// Packet descriptions by `Req_Func` value, for the decode path.
        pub(crate) static DESC_BY_VALUE: [Option<&'static PacketDesc>; 256] = {
            let mut t: [Option<&'static PacketDesc>; 256] = [None; 256];
            $( t[$func] = Some(&descs::$name); )*
            t
        };

        /// Reference plans by `Req_Func` value ([`RefPlan`]: one word per packet, 0 for an
        /// undocumented value, so that the decode path does not walk the 1 KB descriptions).
        pub(crate) static REFS_BY_VALUE: [u64; 256] = {
            let mut t = [0u64; 256];
            $( t[$func] = RefPlan::of(&consts::$name); )*
            t
        };

        #[allow(non_upper_case_globals)]
        pub(crate) mod descs {
            $(
                pub(crate) static $name: super::PacketDesc = super::consts::$name;
            )*
        }

        #[allow(non_upper_case_globals)]
        mod consts {
            use super::*;
            $(
                pub(crate) const $name: PacketDesc = {
                    const IDENTS: [&str; HEADER_DWORDS] = ["req_func", "reserved1", $(stringify!($f)),*];
                    const FIELDS: [FieldDesc; HEADER_DWORDS] = meta::fields(
                        ["Req_Func", "Reserved1", $($spec),*],
                        IDENTS,
                        [Role::ReqFunc, Role::Reserved, $( $crate::requests::meta::request_role!(IDENTS; $role $(($($arg)*))?) ),*],
                    );
                    PacketDesc {
                        func: FuncId::$name,
                        ident: stringify!($name),
                        name: $title,
                        section: $section,
                        group: Group::$group,
                        completion: Completion::$completion,
                        fields: FIELDS,
                        references: meta::reference_mask(&FIELDS),
                    }
                };
            )*
        }

    };
}

for_each_request!(define_ids);

/// Why [`FuncId::lookup`] found no single function.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LookupError {
    /// A number that is not a documented `Req_Func`.
    #[error("Req_Func {0} is not documented by [MS-TRP] 2.2.4.1")]
    Undocumented(u32),
    /// No function has this name.
    #[error("{0:?} is not a request function")]
    NotFound(alloc::string::String),
    /// The spec name is shared by several functions (line and phone packets share titles).
    #[error("{name:?} is ambiguous: {}", candidates.iter().map(|f| f.desc().ident).collect::<alloc::vec::Vec<_>>().join(", "))]
    Ambiguous {
        /// The name looked up.
        name: alloc::string::String,
        /// The functions it names, in catalogue order.
        candidates: alloc::vec::Vec<FuncId>,
    },
}

impl FuncId {
    /// Finds a function by its Rust name (`LineMakeCall`), its `Req_Func` number (`48`, or
    /// `0x30`) or, when it is unique, its spec name (`MakeCall`); names are compared without
    /// regard to ASCII case.
    ///
    /// ```
    /// use mstrp::requests::{FuncId, LookupError};
    /// assert_eq!(FuncId::lookup("MakeCall"), Ok(FuncId::LineMakeCall));
    /// assert_eq!(FuncId::lookup("48"), Ok(FuncId::LineMakeCall));
    /// assert_eq!(FuncId::lookup("phonegetdevcaps"), Ok(FuncId::PhoneGetDevCaps));
    /// assert!(matches!(FuncId::lookup("GetDevCaps"), Err(LookupError::Ambiguous { .. })));
    /// assert_eq!(FuncId::lookup("121"), Err(LookupError::Undocumented(121)));
    /// ```
    pub fn lookup(s: &str) -> Result<FuncId, LookupError> {
        let number = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => s.parse::<u32>().ok(),
        };
        if let Some(n) = number {
            return FuncId::from_u32(n).ok_or(LookupError::Undocumented(n));
        }
        if let Some(f) = FuncId::ALL
            .iter()
            .find(|f| f.desc().ident.eq_ignore_ascii_case(s))
        {
            return Ok(*f);
        }
        let mut by_name = FuncId::ALL
            .iter()
            .copied()
            .filter(|f| f.desc().name.eq_ignore_ascii_case(s));
        match (by_name.next(), by_name.next()) {
            (Some(f), None) => Ok(f),
            (None, _) => Err(LookupError::NotFound(s.into())),
            (Some(a), Some(b)) => Err(LookupError::Ambiguous {
                name: s.into(),
                candidates: [a, b].into_iter().chain(by_name).collect(),
            }),
        }
    }
}
