//! Version negotiation rules ([MS-TRP] 3.1.4.2 Req_Func 52/53/108/109/128/129; seeds 000-002).
//! Expected values come from the spec's list of valid TAPI versions and the seeds' sentences,
//! quoted at each test.

use mstrp::errors::{ErrorCode, LineErr, PhoneErr};
use mstrp::handles::Version;
use mstrp::session::negotiate::{
    DeviceVersions, NegotiateError, negotiate_api, negotiate_api_up_to, negotiate_ext,
};
use mstrp::validation::Device;

// "The Service Provider returns the highest version number where these ranges overlap"
// (seed 001, TSPI 2.3.13.2), among 0x00010003 ... 0x00030001 (3.1.4.2).
#[test]
fn api_highest_version_in_the_overlap() {
    assert_eq!(
        negotiate_api([0x0001_0003, 0x0002_0002], [0x0001_0004, 0x0003_0001]),
        Ok(Version(0x0002_0002))
    );
    assert_eq!(
        negotiate_api([0x0001_0003, 0x0003_0001], [0x0002_0000, 0x0002_0001]),
        Ok(Version(0x0002_0001))
    );
}

// 0x00020003 is not a TAPI version: the highest valid one below it is 0x00020002.
#[test]
fn api_answer_is_a_valid_tapi_version() {
    assert_eq!(
        negotiate_api([0x0001_0000, 0x0002_0003], [0x0001_0000, 0x0002_FFFF]),
        Ok(Version(0x0002_0002))
    );
}

#[test]
fn api_no_overlap_is_incompatible() {
    let e = negotiate_api([0x0001_0003, 0x0001_0004], [0x0002_0000, 0x0003_0001]).unwrap_err();
    assert_eq!(e, NegotiateError::NoOverlap);
    assert_eq!(
        e.code(Device::Line),
        ErrorCode::Line(LineErr::INCOMPATIBLEAPIVERSION)
    );
    assert_eq!(
        e.code(Device::Phone),
        ErrorCode::Phone(PhoneErr::INCOMPATIBLEAPIVERSION)
    );
}

// 3.1.4.2: "The server MUST fail if dwVersion is greater than dwVersionCurrent."
#[test]
fn api_low_above_high_fails() {
    assert_eq!(
        negotiate_api([0x0003_0001, 0x0002_0000], [0x0001_0003, 0x0003_0001]),
        Err(NegotiateError::LowAboveHigh)
    );
}

// 3.1.4.2: "The server MUST fail if no valid TAPI version exists between dwVersion or
// dwVersionCurrent (both inclusive)."
#[test]
fn api_range_without_a_valid_version_fails() {
    assert_eq!(
        negotiate_api([0x0002_0003, 0x0002_FFFF], [0x0001_0003, 0x0003_0001]),
        Err(NegotiateError::NoValidVersion)
    );
}

// NegotiateAPIVersionForAllDevices gives only dwAPIHighVersion (2.2.4.1.8.2).
#[test]
fn api_up_to_high() {
    assert_eq!(
        negotiate_api_up_to(0x0002_0000, [0x0001_0004, 0x0003_0001]),
        Ok(Version(0x0002_0000))
    );
    assert_eq!(
        negotiate_api_up_to(0x0001_0003, [0x0001_0004, 0x0003_0001]),
        Err(NegotiateError::NoOverlap)
    );
}

// "When the TAPI DLL opens the phone, it includes the negotiated version number as a
// parameter. A successful completion of the Open commits both ... until the phone is closed"
// (seed 001).
#[test]
fn open_commits_until_close() {
    let dev = [0x0001_0004, 0x0003_0001];
    let mut v = DeviceVersions::default();
    assert_eq!(
        v.negotiate_api([0x0001_0003, 0x0002_0000], dev),
        Ok(Version(0x0002_0000))
    );
    assert_eq!(v.negotiated, Some(Version(0x0002_0000)));
    assert_eq!(v.committed, None, "negotiation is willing, not committed");
    assert_eq!(v.open(0x0002_0000, dev), Ok(Version(0x0002_0000)));
    assert_eq!(v.committed, Some(Version(0x0002_0000)));
    // While committed, a wider range still negotiates the committed version.
    assert_eq!(
        v.negotiate_api([0x0001_0003, 0x0003_0001], dev),
        Ok(Version(0x0002_0000))
    );
    // and a range without it fails.
    assert_eq!(
        v.negotiate_api([0x0003_0000, 0x0003_0001], dev),
        Err(NegotiateError::NoOverlap)
    );
    // A second open at another version is refused.
    assert_eq!(
        v.open(0x0003_0001, dev),
        Err(NegotiateError::UnsupportedVersion)
    );
    v.close();
    assert_eq!(v.committed, None);
    assert_eq!(
        v.negotiate_api([0x0001_0003, 0x0003_0001], dev),
        Ok(Version(0x0003_0001))
    );
}

// Issue 11: "Open with a version the device cannot support fails with
// INCOMPATIBLEAPIVERSION".
#[test]
fn open_with_unsupported_version_fails() {
    let mut v = DeviceVersions::default();
    let e = v.open(0x0001_0003, [0x0001_0004, 0x0003_0001]).unwrap_err();
    assert_eq!(
        e.code(Device::Line),
        ErrorCode::Line(LineErr::INCOMPATIBLEAPIVERSION)
    );
    assert_eq!(v.committed, None);
    // 0x00020003 lies in the range but is no TAPI version.
    assert!(v.open(0x0002_0003, [0x0001_0004, 0x0003_0001]).is_err());
}

// 3.1.4.2 (NegotiateExtVersion): the server returns "the highest extension version" in range.
#[test]
fn ext_highest_in_overlap() {
    assert_eq!(
        negotiate_ext([0x0001_0000, 0x0005_0000], [0x0001_0000, 0x0002_0000], None),
        Ok(0x0002_0000)
    );
    assert_eq!(
        negotiate_ext([0x0000_0001, 0x0001_8000], [0x0001_0000, 0x0002_0000], None),
        Ok(0x0001_8000)
    );
}

#[test]
fn ext_no_overlap_and_no_extensions_fail() {
    let e =
        negotiate_ext([0x0003_0000, 0x0004_0000], [0x0001_0000, 0x0002_0000], None).unwrap_err();
    assert_eq!(
        e.code(Device::Line),
        ErrorCode::Line(LineErr::INCOMPATIBLEEXTVERSION)
    );
    assert_eq!(
        e.code(Device::Phone),
        ErrorCode::Phone(PhoneErr::INCOMPATIBLEEXTVERSION)
    );
    assert_eq!(
        negotiate_ext([0x0001_0000, 0x0002_0000], [0, 0], None),
        Err(NegotiateError::NoExtOverlap)
    );
}

// "During the time that a device-specific extension is in effect, an attempt to negotiate an
// extension version level should allow only the version level that is currently in effect.
// After the device-specific extension is canceled, a different version can be negotiated and
// selected." (seeds 001, 002)
#[test]
fn select_cancel_and_renegotiate() {
    let ext = [0x0001_0000, 0x0002_0000];
    let mut v = DeviceVersions::default();
    assert_eq!(
        v.negotiate_ext([0x0001_0000, 0x0001_0000], ext),
        Ok(0x0001_0000)
    );
    assert_eq!(v.select_ext(0x0001_0000, ext), Ok(()));
    assert_eq!(v.ext_selected, Some(0x0001_0000));
    // Only the selected version is offered ...
    assert_eq!(
        v.negotiate_ext([0x0001_0000, 0x0002_0000], ext),
        Ok(0x0001_0000)
    );
    // ... and a range without it fails.
    assert_eq!(
        v.negotiate_ext([0x0001_8000, 0x0002_0000], ext),
        Err(NegotiateError::NoExtOverlap)
    );
    // Selecting another while one is in effect fails.
    assert_eq!(
        v.select_ext(0x0002_0000, ext),
        Err(NegotiateError::UnsupportedExtVersion)
    );
    // 0 cancels (3.1.4.2, SelectExtVersion); then the highest is offered again.
    assert_eq!(v.select_ext(0, ext), Ok(()));
    assert_eq!(v.ext_selected, None);
    assert_eq!(
        v.negotiate_ext([0x0001_0000, 0x0002_0000], ext),
        Ok(0x0002_0000)
    );
    assert_eq!(v.select_ext(0x0002_0000, ext), Ok(()));
}

#[test]
fn select_outside_the_device_range_fails() {
    let mut v = DeviceVersions::default();
    assert_eq!(
        v.select_ext(0x0003_0000, [0x0001_0000, 0x0002_0000]),
        Err(NegotiateError::UnsupportedExtVersion)
    );
    assert_eq!(
        v.select_ext(0x0001_0000, [0, 0]),
        Err(NegotiateError::UnsupportedExtVersion)
    );
}

// The selection ends with the open device (it was made "on an open device", issue 11).
#[test]
fn close_of_the_last_open_cancels_the_selection() {
    let dev = [0x0001_0004, 0x0003_0001];
    let ext = [0x0001_0000, 0x0002_0000];
    let mut v = DeviceVersions::default();
    v.open(0x0002_0000, dev).unwrap();
    v.open(0x0002_0000, dev).unwrap();
    v.select_ext(0x0001_0000, ext).unwrap();
    v.close();
    assert_eq!(v.ext_selected, Some(0x0001_0000), "one open handle remains");
    v.close();
    assert_eq!(v.ext_selected, None);
    assert_eq!(v.committed, None);
}
