//! Version negotiation: pure functions and the per-device state that brackets it.
//!
//! # API version ([MS-TRP] 3.1.4.2, Req_Func 52/108/130; seeds 000-002)
//!
//! The client offers a range `[dwVersion, dwVersionCurrent]`; the device supports a range
//! `[lowest, highest]` (the server configuration). The answer is the **highest** of the seven
//! valid TAPI versions ([`TAPI_VERSIONS`]: 0x00010003, 0x00010004, 0x00020000, 0x00020001,
//! 0x00020002, 0x00030000, 0x00030001, 3.1.4.2 "When Req_Func is equal to 52") that lies in
//! both ranges ("The Service Provider returns the highest version number where these ranges
//! overlap", seed 001, TSPI 2.3.13.2). No overlap fails with `LINEERR_INCOMPATIBLEAPIVERSION`
//! (`PHONEERR_INCOMPATIBLEAPIVERSION` for a phone).
//!
//! The negotiated version only makes the device "willing, not committed" (seed 001): Open
//! (54/107) with that version commits it "until the phone is closed". [`DeviceVersions`]
//! records both.
//!
//! # Extension version (Req_Func 53/109, 128/129; seeds 001, 002)
//!
//! NegotiateExtVersion answers the highest extension version in the overlap of the client's
//! `[dwLowVersion, dwHighVersion]` and the device's range (3.1.4.2 wants "the highest"; any
//! DWORD is an extension version, there is no fixed set). A device whose range is `[0, 0]` has
//! no extensions and fails every negotiation. SelectExtVersion on an open device selects one
//! and commits to it; while one is selected, negotiation "should allow only the version level
//! that is currently in effect" (seed 002): it answers that version if the client's range
//! holds it and fails otherwise. SelectExtVersion with 0 cancels, after which another version
//! may be negotiated and selected.

use crate::errors::{ErrorCode, LineErr, PhoneErr};
use crate::handles::{TAPI_VERSIONS, Version};
use crate::validation::Device;

/// Why a negotiation failed. [`NegotiateError::code`] gives the 2.2.3 result code for a line
/// or a phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NegotiateError {
    /// The client's lowest version is above its highest (3.1.4.2: "dwVersion is greater than
    /// dwVersionCurrent").
    LowAboveHigh,
    /// No valid TAPI version lies in the client's range (3.1.4.2, rule 52.5).
    NoValidVersion,
    /// The client's and the device's API version ranges do not overlap in a valid TAPI version.
    NoOverlap,
    /// The device has no extensions, or the extension ranges do not overlap, or (while an
    /// extension version is selected) the client's range does not hold the selected one.
    NoExtOverlap,
    /// Open (or a second Open) asks for a version the device cannot operate at.
    UnsupportedVersion,
    /// SelectExtVersion names a version the device does not support, or another one is already
    /// selected.
    UnsupportedExtVersion,
}

impl NegotiateError {
    /// The result code for a device of class `device`: `LINEERR_INCOMPATIBLEAPIVERSION` /
    /// `PHONEERR_INCOMPATIBLEAPIVERSION` for API versions, `..._INCOMPATIBLEEXTVERSION` for
    /// extension versions (2.2.3.1.38, 2.2.3.2.4).
    pub fn code(self, device: Device) -> ErrorCode {
        let ext = matches!(
            self,
            NegotiateError::NoExtOverlap | NegotiateError::UnsupportedExtVersion
        );
        match (device, ext) {
            (Device::Line, false) => ErrorCode::Line(LineErr::INCOMPATIBLEAPIVERSION),
            (Device::Line, true) => ErrorCode::Line(LineErr::INCOMPATIBLEEXTVERSION),
            (Device::Phone, false) => ErrorCode::Phone(PhoneErr::INCOMPATIBLEAPIVERSION),
            (Device::Phone, true) => ErrorCode::Phone(PhoneErr::INCOMPATIBLEEXTVERSION),
        }
    }
}

impl core::fmt::Display for NegotiateError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            NegotiateError::LowAboveHigh => "the lowest version is above the highest",
            NegotiateError::NoValidVersion => "no valid TAPI version lies in the range",
            NegotiateError::NoOverlap => {
                "the client's and the device's API versions do not overlap"
            }
            NegotiateError::NoExtOverlap => {
                "the client's and the device's extension versions do not overlap"
            }
            NegotiateError::UnsupportedVersion => "the device cannot operate at that API version",
            NegotiateError::UnsupportedExtVersion => {
                "the device cannot operate at that extension version"
            }
        })
    }
}

/// Whether `v` lies in the inclusive range `r`.
fn within(v: u32, r: [u32; 2]) -> bool {
    r[0] <= v && v <= r[1]
}

/// The API version NegotiateAPIVersion answers: the highest valid TAPI version in both the
/// client's range `client = [dwVersion, dwVersionCurrent]` and the device's `device`.
pub fn negotiate_api(client: [u32; 2], device: [u32; 2]) -> Result<Version, NegotiateError> {
    if client[0] > client[1] {
        return Err(NegotiateError::LowAboveHigh);
    }
    if !TAPI_VERSIONS.iter().any(|v| within(v.0, client)) {
        return Err(NegotiateError::NoValidVersion);
    }
    TAPI_VERSIONS
        .iter()
        .rev()
        .copied()
        .find(|v| within(v.0, client) && within(v.0, device))
        .ok_or(NegotiateError::NoOverlap)
}

/// The version NegotiateAPIVersionForAllDevices (130) negotiates for one device: the client
/// gives only its highest version (`dwAPIHighVersion`), so its range is every valid TAPI
/// version up to it ([`negotiate_api`] over `[0x00010003, high]`).
pub fn negotiate_api_up_to(high: u32, device: [u32; 2]) -> Result<Version, NegotiateError> {
    negotiate_api([Version::TAPI_1_3.0, high], device)
}

/// Whether a device with range `device` can be opened at `version` (a valid TAPI version in
/// its range).
pub fn supports_api(version: u32, device: [u32; 2]) -> bool {
    Version(version).is_tapi_version() && within(version, device)
}

/// Whether a device has extensions (its extension range is not `[0, 0]`).
pub fn has_extensions(device_ext: [u32; 2]) -> bool {
    device_ext != [0, 0]
}

/// The extension version NegotiateExtVersion answers for the client's range `client =
/// [dwLowVersion, dwHighVersion]`, the device's extension range `device_ext`, and the
/// currently selected extension version, if any.
pub fn negotiate_ext(
    client: [u32; 2],
    device_ext: [u32; 2],
    selected: Option<u32>,
) -> Result<u32, NegotiateError> {
    if client[0] > client[1] {
        return Err(NegotiateError::LowAboveHigh);
    }
    if !has_extensions(device_ext) {
        return Err(NegotiateError::NoExtOverlap);
    }
    if let Some(s) = selected {
        return if within(s, client) {
            Ok(s)
        } else {
            Err(NegotiateError::NoExtOverlap)
        };
    }
    let low = client[0].max(device_ext[0]);
    let high = client[1].min(device_ext[1]);
    if low <= high {
        Ok(high)
    } else {
        Err(NegotiateError::NoExtOverlap)
    }
}

/// Whether `ext` is an extension version a request may name for a device with extension
/// range `device_ext`: 0 ("no extension") always, otherwise a version in the range.
pub fn ext_version_valid(ext: u32, device_ext: [u32; 2]) -> bool {
    ext == 0 || (has_extensions(device_ext) && within(ext, device_ext))
}

/// The version state of one device for one client (one ClientAttach binding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeviceVersions {
    /// The API version last negotiated: the device is "willing" to operate at it.
    pub negotiated: Option<Version>,
    /// The API version Open committed the device to, while it is open.
    pub committed: Option<Version>,
    /// How many of the client's handles have the device open.
    pub opens: u32,
    /// The extension version last negotiated.
    pub ext_negotiated: Option<u32>,
    /// The extension version selected with SelectExtVersion, until canceled or closed.
    pub ext_selected: Option<u32>,
}

impl DeviceVersions {
    /// NegotiateAPIVersion: while the device is open it stays committed, so only the committed
    /// version can be negotiated; otherwise [`negotiate_api`]. Records the result as
    /// "willing".
    pub fn negotiate_api(
        &mut self,
        client: [u32; 2],
        device: [u32; 2],
    ) -> Result<Version, NegotiateError> {
        let v = match self.committed {
            Some(c) => {
                negotiate_api(client, [c.0, c.0])?;
                c
            }
            None => negotiate_api(client, device)?,
        };
        self.negotiated = Some(v);
        Ok(v)
    }

    /// NegotiateExtVersion ([`negotiate_ext`] with the current selection). Records the result.
    pub fn negotiate_ext(
        &mut self,
        client: [u32; 2],
        device_ext: [u32; 2],
    ) -> Result<u32, NegotiateError> {
        let v = negotiate_ext(client, device_ext, self.ext_selected)?;
        self.ext_negotiated = Some(v);
        Ok(v)
    }

    /// Open at `version`: commits the device to it. The device must support it; while the
    /// device is already open (another handle) only the committed version is accepted.
    pub fn open(&mut self, version: u32, device: [u32; 2]) -> Result<Version, NegotiateError> {
        let ok = match self.committed {
            Some(c) => c.0 == version,
            None => supports_api(version, device),
        };
        if !ok {
            return Err(NegotiateError::UnsupportedVersion);
        }
        let v = Version(version);
        self.committed = Some(v);
        self.negotiated = Some(v);
        self.opens = self.opens.saturating_add(1);
        Ok(v)
    }

    /// Close of one handle: when the last one closes the commitment and the extension
    /// selection end.
    pub fn close(&mut self) {
        self.opens = self.opens.saturating_sub(1);
        if self.opens == 0 {
            self.committed = None;
            self.ext_selected = None;
        }
    }

    /// SelectExtVersion: 0 cancels the selection; another value must be a version of the
    /// device's range and, while one is selected, that same one.
    pub fn select_ext(&mut self, ext: u32, device_ext: [u32; 2]) -> Result<(), NegotiateError> {
        if ext == 0 {
            self.ext_selected = None;
            return Ok(());
        }
        if !has_extensions(device_ext) || !within(ext, device_ext) {
            return Err(NegotiateError::UnsupportedExtVersion);
        }
        match self.ext_selected {
            Some(s) if s != ext => Err(NegotiateError::UnsupportedExtVersion),
            _ => {
                self.ext_selected = Some(ext);
                Ok(())
            }
        }
    }
}
