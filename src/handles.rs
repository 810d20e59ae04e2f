//! Typed DWORD values: handles (2.2.1), request ids and TAPI versions.
//!
//! Every handle is a 32-bit opaque value on the wire; the newtypes keep an `HCALL` from being
//! passed where an `HLINE` is expected. Conversion from and to `u32` is lossless.

use core::fmt;

macro_rules! dword_newtypes {
    ($( $(#[$doc:meta])* $name:ident, $spec:literal; )*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(transparent))]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub struct $name(pub u32);

        impl $name {
            /// The spec's name of the type.
            pub const SPEC_NAME: &'static str = $spec;
            /// The raw DWORD.
            pub const fn get(self) -> u32 {
                self.0
            }
        }

        impl From<u32> for $name {
            fn from(v: u32) -> Self {
                $name(v)
            }
        }

        impl From<$name> for u32 {
            fn from(v: $name) -> u32 {
                v.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:#010x})", $spec, self.0)
            }
        }
    )*};
}

dword_newtypes! {
    /// `HLINEAPP` (2.2.1.3): a client's usage handle for TAPI line requests.
    HLineApp, "HLINEAPP";
    /// `HLINE` (2.2.1.2): a handle to an open line device.
    HLine, "HLINE";
    /// `HCALL` (2.2.1.1): a handle to a call.
    HCall, "HCALL";
    /// `HPHONEAPP` (2.2.1.5): a client's usage handle for TAPI phone requests.
    HPhoneApp, "HPHONEAPP";
    /// `HPHONE` (2.2.1.4): a handle to an open phone device.
    HPhone, "HPHONE";
    /// `HAGENT` (2.2.1.11): an agent handle.
    HAgent, "HAGENT";
    /// `HAGENTSESSION` (2.2.1.10): an agent session handle.
    HAgentSession, "HAGENTSESSION";
    /// `dwRequestID`: the identifier of an asynchronous request. Zero asks the server to
    /// generate one; 1 to 0x7FFFFFFF are used by the server as given.
    RequestId, "RequestID";
    /// A version DWORD: the major version in the high word, the minor in the low word
    /// (TAPI versions 0x00010003 ... 0x00030001, and provider extension versions).
    Version, "Version";
}

/// Which handle type a field holds (see [`crate::requests::Role::Handle`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum HandleKind {
    /// [`HLineApp`]
    HLineApp,
    /// [`HLine`]
    HLine,
    /// [`HCall`]
    HCall,
    /// [`HPhoneApp`]
    HPhoneApp,
    /// [`HPhone`]
    HPhone,
    /// [`HAgent`]
    HAgent,
    /// [`HAgentSession`]
    HAgentSession,
}

impl HandleKind {
    /// The spec's type name, e.g. `HLINEAPP`.
    pub const fn spec_name(self) -> &'static str {
        match self {
            HandleKind::HLineApp => HLineApp::SPEC_NAME,
            HandleKind::HLine => HLine::SPEC_NAME,
            HandleKind::HCall => HCall::SPEC_NAME,
            HandleKind::HPhoneApp => HPhoneApp::SPEC_NAME,
            HandleKind::HPhone => HPhone::SPEC_NAME,
            HandleKind::HAgent => HAgent::SPEC_NAME,
            HandleKind::HAgentSession => HAgentSession::SPEC_NAME,
        }
    }
}

/// The TAPI versions a conforming server accepts (3.1.4.2: "The valid values are
/// 0x00010003, 0x00010004, 0x00020000, 0x00020001, 0x00020002, 0x00030000 and 0x00030001").
pub const TAPI_VERSIONS: [Version; 7] = [
    Version(0x0001_0003),
    Version(0x0001_0004),
    Version(0x0002_0000),
    Version(0x0002_0001),
    Version(0x0002_0002),
    Version(0x0003_0000),
    Version(0x0003_0001),
];

impl Version {
    /// TAPI 1.3 (`TAPI_VERSION1_0` in the spec's words).
    pub const TAPI_1_3: Version = Version(0x0001_0003);
    /// TAPI 1.4.
    pub const TAPI_1_4: Version = Version(0x0001_0004);
    /// TAPI 2.0.
    pub const TAPI_2_0: Version = Version(0x0002_0000);
    /// TAPI 2.1.
    pub const TAPI_2_1: Version = Version(0x0002_0001);
    /// TAPI 2.2.
    pub const TAPI_2_2: Version = Version(0x0002_0002);
    /// TAPI 3.0.
    pub const TAPI_3_0: Version = Version(0x0003_0000);
    /// TAPI 3.1, the highest version [MS-TRP] knows.
    pub const TAPI_3_1: Version = Version(0x0003_0001);

    /// The major version (high word).
    pub const fn major(self) -> u16 {
        (self.0 >> 16) as u16
    }

    /// The minor version (low word).
    pub const fn minor(self) -> u16 {
        self.0 as u16
    }

    /// Whether this is one of the seven TAPI versions of [`TAPI_VERSIONS`].
    pub fn is_tapi_version(self) -> bool {
        TAPI_VERSIONS.contains(&self)
    }
}

/// Why a text is not a [`Version`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected a version such as 0x00020000, 131072 or 2.0")]
#[non_exhaustive]
pub struct ParseVersionError;

impl core::str::FromStr for Version {
    type Err = ParseVersionError;

    /// Reads `0x00020000` (hex), `131072` (decimal) or `2.0` (major.minor).
    ///
    /// ```
    /// use mstrp::handles::Version;
    /// assert_eq!("0x00020000".parse(), Ok(Version::TAPI_2_0));
    /// assert_eq!("3.1".parse(), Ok(Version::TAPI_3_1));
    /// assert_eq!("65540".parse(), Ok(Version::TAPI_1_4));
    /// assert!("2.x".parse::<Version>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, ParseVersionError> {
        let s = s.trim();
        if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            return u32::from_str_radix(hex, 16)
                .map(Version)
                .map_err(|_| ParseVersionError);
        }
        if let Some((major, minor)) = s.split_once('.') {
            let major: u16 = major.parse().map_err(|_| ParseVersionError)?;
            let minor: u16 = minor.parse().map_err(|_| ParseVersionError)?;
            return Ok(Version(u32::from(major) << 16 | u32::from(minor)));
        }
        s.parse().map(Version).map_err(|_| ParseVersionError)
    }
}
