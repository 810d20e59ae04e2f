//! The simulated phone device (2.2.4.1.6): what every configured phone can do, the
//! asynchronous Set requests that complete with PHONE_REPLY (2.2.4.2.1.31), and the Get
//! requests that report what they set. The model is spec-notes/session.md, "Phone devices".

use alloc::vec;
use alloc::vec::Vec;

use super::handlers::{field, phone_err};
use super::state::{OpenPhone, Owner, Pending, PhoneSettings};
use super::{Reply, ServerSession, plain};
use crate::encoding::Payload;
use crate::errors::{ErrorCode, PhoneErr};
use crate::events::builders;
use crate::events::constants::{PhoneFeature, PhoneHookSwitchDev, PhoneHookSwitchMode};
use crate::handles::RequestId;
use crate::header::HEADER_DWORDS;
use crate::replies::{ReplyBuilder, ReturnValue};
use crate::requests::{FuncId, Request};
use crate::session::config::AsyncCompletion;
use crate::structures::{STRINGFORMAT_UNICODE, StructBuilder, VARSTRING, build};

/// The hookswitch devices of every simulated phone: a handset and a speakerphone, no
/// headset (PHONECAPS.dwHookSwitchDevs, dwVolumeFlags, dwGainFlags).
pub const HOOK_SWITCH_DEVS: u32 =
    PhoneHookSwitchDev::HANDSET.get() | PhoneHookSwitchDev::SPEAKER.get();
/// The hookswitch modes each of them has, can be set to, and reports (PHONECAPS
/// dwHandset/SpeakerHookSwitchModes and their Settable/Monitored forms).
pub const HOOK_SWITCH_MODES: u32 = PhoneHookSwitchMode::ONHOOK.get()
    | PhoneHookSwitchMode::MIC.get()
    | PhoneHookSwitchMode::SPEAKER.get()
    | PhoneHookSwitchMode::MICSPEAKER.get();
/// PHONECAPS.dwNumRingModes: ring modes 1 to 3, 0 being silence (2.2.4.1.6.20).
pub const NUM_RING_MODES: u32 = 3;
/// PHONECAPS.dwDisplayNumRows.
pub const DISPLAY_ROWS: u32 = 2;
/// PHONECAPS.dwDisplayNumColumns.
pub const DISPLAY_COLUMNS: u32 = 20;
/// The highest volume and gain (2.2.4.1.6.17, 2.2.4.1.6.22); larger values are clamped.
pub const MAX_LEVEL: u32 = 0x0000_FFFF;
/// PHONECAPS.dwPhoneFeatures (TAPI 2.0 and later): every Get and Set request above, for the
/// handset and the speaker.
pub const FEATURES: u32 = PhoneFeature::GETDISPLAY.get()
    | PhoneFeature::GETGAINHANDSET.get()
    | PhoneFeature::GETGAINSPEAKER.get()
    | PhoneFeature::GETHOOKSWITCHHANDSET.get()
    | PhoneFeature::GETHOOKSWITCHSPEAKER.get()
    | PhoneFeature::GETRING.get()
    | PhoneFeature::GETVOLUMEHANDSET.get()
    | PhoneFeature::GETVOLUMESPEAKER.get()
    | PhoneFeature::SETDISPLAY.get()
    | PhoneFeature::SETGAINHANDSET.get()
    | PhoneFeature::SETGAINSPEAKER.get()
    | PhoneFeature::SETHOOKSWITCHHANDSET.get()
    | PhoneFeature::SETHOOKSWITCHSPEAKER.get()
    | PhoneFeature::SETRING.get()
    | PhoneFeature::SETVOLUMEHANDSET.get()
    | PhoneFeature::SETVOLUMESPEAKER.get();

/// The result a phone request that Close or ShutDown forces to complete gets (the phone
/// counterpart of the lines' LINEERR_OPERATIONFAILED, spec-notes/session.md note 11).
pub const FORCED_PHONE_COMPLETION_RESULT: ErrorCode = ErrorCode::Phone(PhoneErr::OPERATIONFAILED);

impl Default for PhoneSettings {
    /// A phone nobody has touched: not ringing, every hookswitch on hook, volume and gain at
    /// mid level, a blank display.
    fn default() -> Self {
        PhoneSettings {
            ring: (0, MAX_LEVEL / 2),
            hook_switch: [PhoneHookSwitchMode::ONHOOK.get(); 3],
            volume: [MAX_LEVEL / 2; 3],
            gain: [MAX_LEVEL / 2; 3],
            display: vec![u16::from(b' '); (DISPLAY_ROWS * DISPLAY_COLUMNS) as usize],
        }
    }
}

/// The PHONECAPS fields that describe the model, on `b` (the members TAPI 2.0 added are not
/// written for an older version: their setters do nothing then).
pub(super) fn with_caps(b: build::PHONECAPS) -> build::PHONECAPS {
    b.dw_hook_switch_devs(HOOK_SWITCH_DEVS)
        .dw_handset_hook_switch_modes(HOOK_SWITCH_MODES)
        .dw_speaker_hook_switch_modes(HOOK_SWITCH_MODES)
        .dw_volume_flags(HOOK_SWITCH_DEVS)
        .dw_gain_flags(HOOK_SWITCH_DEVS)
        .dw_display_num_rows(DISPLAY_ROWS)
        .dw_display_num_columns(DISPLAY_COLUMNS)
        .dw_num_ring_modes(NUM_RING_MODES)
        .dw_phone_features(FEATURES)
        .dw_settable_handset_hook_switch_modes(HOOK_SWITCH_MODES)
        .dw_settable_speaker_hook_switch_modes(HOOK_SWITCH_MODES)
        .dw_monitored_handset_hook_switch_modes(HOOK_SWITCH_MODES)
        .dw_monitored_speaker_hook_switch_modes(HOOK_SWITCH_MODES)
}

/// The hookswitch devices in the order of [`PhoneSettings`]' arrays.
const DEVS: [u32; 3] = [
    PhoneHookSwitchDev::HANDSET.get(),
    PhoneHookSwitchDev::SPEAKER.get(),
    PhoneHookSwitchDev::HEADSET.get(),
];

/// Index of a single PHONEHOOKSWITCHDEV_ bit in [`PhoneSettings`]' arrays.
fn dev_index(dev: u32) -> Option<usize> {
    match PhoneHookSwitchDev(dev) {
        PhoneHookSwitchDev::HANDSET => Some(0),
        PhoneHookSwitchDev::SPEAKER => Some(1),
        PhoneHookSwitchDev::HEADSET => Some(2),
        _ => None,
    }
}

/// A hookswitch device the phone has (the 3.1.4.2 rules already refused values that are not
/// exactly one PHONEHOOKSWITCHDEV_ bit).
fn own_dev(dev: u32) -> Result<usize, ErrorCode> {
    match dev_index(dev) {
        Some(i) if dev & HOOK_SWITCH_DEVS == dev => Ok(i),
        _ => Err(phone_err(PhoneErr::INVALHOOKSWITCHDEV)),
    }
}

/// What a Set request changes once it completes successfully.
#[derive(Debug, Clone)]
enum Change {
    Ring(u32, u32),
    HookSwitch { devs: u32, mode: u32 },
    Volume(usize, u32),
    Gain(usize, u32),
    Display { at: usize, units: Vec<u16> },
}

impl Change {
    /// The change `request` asks for, or the synchronous failure (2.2.4.1.6.16-22) when the
    /// phone cannot do it.
    fn of(
        func: FuncId,
        request: &Request<'_>,
        d: &[u32; HEADER_DWORDS],
    ) -> Result<Change, ErrorCode> {
        let g = |name: &str| field(func, d, name);
        match func {
            FuncId::PhoneSetRing => {
                let mode = g("dwRingMode");
                if mode > NUM_RING_MODES {
                    return Err(phone_err(PhoneErr::INVALRINGMODE));
                }
                Ok(Change::Ring(mode, g("dwVolume").min(MAX_LEVEL)))
            }
            FuncId::PhoneSetHookSwitch => {
                let (devs, mode) = (g("dwHookSwitchDevs"), g("dwHookSwitchMode"));
                if devs & !HOOK_SWITCH_DEVS != 0 {
                    return Err(phone_err(PhoneErr::INVALHOOKSWITCHDEV));
                }
                if mode & !HOOK_SWITCH_MODES != 0 {
                    return Err(phone_err(PhoneErr::INVALHOOKSWITCHMODE));
                }
                Ok(Change::HookSwitch { devs, mode })
            }
            FuncId::PhoneSetVolume => Ok(Change::Volume(
                own_dev(g("dwHookSwitchDev"))?,
                g("dwVolume").min(MAX_LEVEL),
            )),
            FuncId::PhoneSetGain => Ok(Change::Gain(
                own_dev(g("dwHookSwitchDev"))?,
                g("dwGain").min(MAX_LEVEL),
            )),
            FuncId::PhoneSetDisplay => {
                let (row, column) = (g("dwRow"), g("dwColumn"));
                if row >= DISPLAY_ROWS || column >= DISPLAY_COLUMNS {
                    return Err(phone_err(PhoneErr::INVALPARAM));
                }
                // The 3.1.4.2 rules checked that lpsDisplay + dwSize lies inside VarData.
                let off = g("lpsDisplay") as usize;
                let bytes = off
                    .checked_add(g("dwSize") as usize)
                    .and_then(|end| request.var_data().as_bytes().get(off..end))
                    .unwrap_or_default();
                // STRINGFORMAT_UNICODE (PHONECAPS.dwStringFormat): UTF-16LE up to the NUL.
                let units = bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|u| *u != 0)
                    .collect();
                Ok(Change::Display {
                    at: (row * DISPLAY_COLUMNS + column) as usize,
                    units,
                })
            }
            _ => Err(phone_err(PhoneErr::OPERATIONUNAVAIL)),
        }
    }

    fn apply(self, s: &mut PhoneSettings) {
        match self {
            Change::Ring(mode, volume) => s.ring = (mode, volume),
            Change::HookSwitch { devs, mode } => {
                for (i, bit) in DEVS.into_iter().enumerate() {
                    if devs & bit != 0 {
                        s.hook_switch[i] = mode;
                    }
                }
            }
            Change::Volume(i, v) => s.volume[i] = v,
            Change::Gain(i, v) => s.gain[i] = v,
            Change::Display { at, units } => {
                // Text past the last column wraps to the next row; past the end it is cut.
                for (cell, u) in s.display.iter_mut().skip(at).zip(units) {
                    *cell = u;
                }
            }
        }
    }
}

/// The PHONE_REPLY (2.2.4.2.1.31) completing the phone request `p` with `result`. Phone
/// requests have no lpContext, so fnPostProcessProcHandle is 0 (spec-notes/session.md).
pub(super) fn phone_reply(p: &Pending, h_phone: u32, result: u32) -> Vec<u8> {
    builders::PhoneReply::new()
        .init_context(p.init_context)
        .fn_post_process_proc_handle(p.lp_context)
        .h_device(h_phone)
        .open_context(p.open_context)
        .dw_remote_request_id(p.request_id)
        .result(result)
        .to_bytes()
        .to_vec()
}

impl ServerSession {
    /// The settings of phone device `device` in this session.
    fn settings_mut(&mut self, device: u32) -> Option<&mut PhoneSettings> {
        let s = self.state.as_mut()?;
        let at = match s.phone_settings.iter().position(|(d, _)| *d == device) {
            Some(i) => i,
            None => {
                s.phone_settings.push((device, PhoneSettings::default()));
                s.phone_settings.len() - 1
            }
        };
        Some(&mut s.phone_settings[at].1)
    }

    /// The settings of the phone device open as `h_phone` (the defaults until a Set changed
    /// them), for [`ServerSession::phone_settings`].
    pub(super) fn settings_of(&self, h_phone: u32) -> Option<PhoneSettings> {
        let s = self.state.as_ref()?;
        let phone = s.phones.iter().find(|p| p.h_phone == h_phone)?;
        Some(
            s.phone_settings
                .iter()
                .find(|(d, _)| *d == phone.device_id)
                .map_or_else(PhoneSettings::default, |(_, v)| v.clone()),
        )
    }

    fn open_phone(&self, h_phone: u32) -> Option<OpenPhone> {
        let s = self.state.as_ref()?;
        s.phones.iter().find(|p| p.h_phone == h_phone).cloned()
    }

    /// The asynchronous phone requests: SetRing, SetHookSwitch, SetVolume, SetGain and
    /// SetDisplay take a request id and complete with PHONE_REPLY, now or when the phone
    /// closes ([`AsyncCompletion`]); the change takes effect only when the request succeeds.
    pub(super) fn phone_asynchronous(
        &mut self,
        func: FuncId,
        request: &Request<'_>,
        d: [u32; HEADER_DWORDS],
    ) -> Reply {
        let g = |name: &str| field(func, &d, name);
        let fail = |code| plain(func, d, ReturnValue::Error(code));
        let given = g("dwRequestID");
        if given > 0x7FFF_FFFF {
            return fail(phone_err(PhoneErr::INVALPARAM));
        }
        let Some(phone) = self.open_phone(g("hPhone")) else {
            return fail(phone_err(PhoneErr::INVALPHONEHANDLE));
        };
        let change = match Change::of(func, request, &d) {
            Ok(c) => c,
            Err(code) => return fail(code),
        };
        let Some(s) = self.state.as_mut() else {
            return fail(phone_err(PhoneErr::OPERATIONFAILED));
        };
        let init_context = s.phone_app.as_ref().map_or(0, |a| a.init_context);
        let id = s.request_id(given);
        let pending = Pending {
            request_id: id,
            func,
            owner: Owner::Phone {
                h_phone: phone.h_phone,
            },
            lp_context: 0,
            echo: 0,
            init_context,
            open_context: phone.open_context,
        };
        let mode = self.completion_mode();
        match mode {
            AsyncCompletion::OnClose => {
                if let Some(s) = self.state.as_mut() {
                    s.pending.push(pending);
                }
            }
            AsyncCompletion::Immediate => {
                if let Some(settings) = self.settings_mut(phone.device_id) {
                    change.apply(settings);
                }
                let e = phone_reply(&pending, phone.h_phone, 0);
                self.push_event(e);
            }
        }
        plain(func, d, ReturnValue::RequestId(RequestId(id)))
    }

    /// GetRing, GetHookSwitch, GetVolume, GetGain (2.2.4.1.6.5-11): the settings, in the
    /// request's output fields.
    pub(super) fn phone_get(&mut self, func: FuncId, d: [u32; HEADER_DWORDS]) -> Reply {
        let g = |name: &str| field(func, &d, name);
        let fail = |code| plain(func, d, ReturnValue::Error(code));
        let Some(settings) = self.settings_of(g("hPhone")) else {
            return fail(phone_err(PhoneErr::INVALPHONEHANDLE));
        };
        let b = ReplyBuilder::from_request_dwords(func, d);
        let b = match func {
            FuncId::PhoneGetRing => b
                .set("lpdwRingMode", settings.ring.0)
                .set("lpdwVolume", settings.ring.1),
            FuncId::PhoneGetHookSwitch => {
                // The devices that are off hook (2.2.4.1.6.6).
                let off_hook = DEVS
                    .into_iter()
                    .zip(settings.hook_switch)
                    .filter(|(bit, mode)| {
                        bit & HOOK_SWITCH_DEVS != 0 && *mode != PhoneHookSwitchMode::ONHOOK.get()
                    })
                    .fold(0, |acc, (bit, _)| acc | bit);
                b.set("lpdwHookSwitchDevs", off_hook)
            }
            FuncId::PhoneGetVolume => match own_dev(g("dwHookSwitchDev")) {
                Ok(i) => b.set("lpdwVolume", settings.volume[i]),
                Err(code) => return fail(code),
            },
            FuncId::PhoneGetGain => match own_dev(g("dwHookSwitchDev")) {
                Ok(i) => b.set("lpdwGain", settings.gain[i]),
                Err(code) => return fail(code),
            },
            FuncId::PhoneGetDisplay => {
                let bytes =
                    super::handlers::fit(|full| display(&settings.display, full), g("lpDisplay"));
                b.output("lpDisplay", Some(&bytes))
            }
            _ => return fail(phone_err(PhoneErr::OPERATIONUNAVAIL)),
        };
        Reply::Built(b)
    }
}

/// The display as a VARSTRING (2.2.6.46): every row, one after the other, as one Unicode
/// string.
fn display(units: &[u16], full: bool) -> StructBuilder {
    let b = VARSTRING::builder().dw_string_format(STRINGFORMAT_UNICODE);
    let b = if full {
        b.string(Payload::Text(units.to_vec()))
    } else {
        b
    };
    b.into_inner()
}
