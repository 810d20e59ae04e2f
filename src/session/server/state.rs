//! The handle tables of one session (3.1.1) and the [`ServerState`] answers validation gets
//! from them.

use alloc::vec::Vec;

use super::StateView;
use crate::handles::{HLine, HandleKind, Version};
use crate::requests::FuncId;
use crate::session::negotiate::{self, DeviceVersions};
use crate::validation::{Device, Fact, ServerState};

/// LINECALLPRIVILEGE_OWNER (2.2.3.1.26).
pub(crate) const PRIVILEGE_OWNER: u32 = 0x0000_0004;
/// LINECALLORIGIN_OUTBOUND (2.2.3.1.23).
pub(crate) const ORIGIN_OUTBOUND: u32 = 0x0000_0001;
/// LINECALLORIGIN_INBOUND (2.2.3.1.23).
pub(crate) const ORIGIN_INBOUND: u32 = 0x0000_0004;

/// A line usage handle (Initialize, 2.2.4.1.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineApp {
    /// HLINEAPP.
    pub h_line_app: u32,
    /// InitContext: every line event for this app carries it.
    pub init_context: u32,
}

/// A phone usage handle (PhoneInitialize, 2.2.4.1.4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneApp {
    /// HPHONEAPP.
    pub h_phone_app: u32,
    /// InitContext: every phone event for this app carries it.
    pub init_context: u32,
}

/// An open line (Open, 2.2.4.1.1.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLine {
    /// HLINE.
    pub h_line: u32,
    /// The HLINEAPP it was opened with.
    pub h_line_app: u32,
    /// The device.
    pub device_id: u32,
    /// The version Open committed to.
    pub version: Version,
    /// OpenContext.
    pub open_context: u32,
    /// dwPrivileges.
    pub privileges: u32,
    /// What events carry as hRemoteLine: the Open's hRemoteLine, or HLINE when that was 0.
    pub h_remote_line: u32,
}

/// An open phone (PhoneOpen, 2.2.4.1.4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPhone {
    /// HPHONE.
    pub h_phone: u32,
    /// The HPHONEAPP it was opened with.
    pub h_phone_app: u32,
    /// The device.
    pub device_id: u32,
    /// The version Open committed to.
    pub version: Version,
    /// OpenContext.
    pub open_context: u32,
    /// dwPrivilege.
    pub privilege: u32,
    /// What events carry as hRemotePhone.
    pub h_remote_phone: u32,
}

/// A call (MakeCall, or offered by the simulated network).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// HCALL.
    pub h_call: u32,
    /// The HLINE it is on.
    pub h_line: u32,
    /// The line device.
    pub device_id: u32,
    /// The address.
    pub address_id: u32,
    /// dwCallID.
    pub call_id: u32,
    /// The LINECALLSTATE_ value it is in.
    pub state: u32,
    /// LINECALLORIGIN_ value.
    pub origin: u32,
    /// Every state the call has been in (LINECALLINFO.dwCallStates is the set the call can
    /// enter; this is used for it).
    pub states_seen: u32,
}

/// The device an asynchronous request belongs to: closing it (or, for a call, deallocating
/// it) forces the request to complete (2.2.4.1.2.1, 2.2.4.1.5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// A line request (2.2.4.1.3): its line, and the call it is about, if any.
    Line {
        /// The HLINE.
        h_line: u32,
        /// The HCALL, for call requests.
        h_call: Option<u32>,
    },
    /// A phone request (2.2.4.1.6): its phone. It completes with PHONE_REPLY.
    Phone {
        /// The HPHONE.
        h_phone: u32,
    },
}

impl Owner {
    /// The line, for a line request.
    pub fn line(&self) -> Option<u32> {
        match *self {
            Owner::Line { h_line, .. } => Some(h_line),
            Owner::Phone { .. } => None,
        }
    }

    /// The call, for a call request.
    pub fn call(&self) -> Option<u32> {
        match *self {
            Owner::Line { h_call, .. } => h_call,
            Owner::Phone { .. } => None,
        }
    }

    /// The phone, for a phone request.
    pub fn phone(&self) -> Option<u32> {
        match *self {
            Owner::Phone { h_phone } => Some(h_phone),
            Owner::Line { .. } => None,
        }
    }
}

/// An asynchronous request that has not completed (with `AsyncCompletion::OnClose`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The request id returned in Ack_ReturnValue.
    pub request_id: u32,
    /// The function.
    pub func: FuncId,
    /// The line, call or phone it belongs to.
    pub owner: Owner,
    /// The request's lpContext (0 when it has none: phone requests have no lpContext).
    pub lp_context: u32,
    /// The context field the special completion echoes (lphCallContext, ...), 0 when none.
    pub echo: u32,
    /// InitContext of the line's or phone's app.
    pub init_context: u32,
    /// OpenContext of the line or phone.
    pub open_context: u32,
}

/// The simulated phone device's settable state (the phone model of spec-notes/session.md,
/// "Phone devices"): what SetRing, SetVolume, SetGain, SetHookSwitch and SetDisplay change and
/// GetRing, GetVolume, GetGain, GetHookSwitch and GetDisplay report. It belongs to the session
/// (no state is shared between clients) and outlives Close, as a device's settings do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneSettings {
    /// The ring mode (0: not ringing) and ring volume (SetRing, 2.2.4.1.6.20).
    pub ring: (u32, u32),
    /// The PHONEHOOKSWITCHMODE_ of the handset, speaker and headset (SetHookSwitch).
    pub hook_switch: [u32; 3],
    /// The speaker volume of the handset, speaker and headset (SetVolume).
    pub volume: [u32; 3],
    /// The microphone gain of the handset, speaker and headset (SetGain).
    pub gain: [u32; 3],
    /// The display, row by row, as UTF-16 code units (SetDisplay).
    pub display: Vec<u16>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub(crate) process_id: i32,
    pub(crate) line_app: Option<LineApp>,
    pub(crate) phone_app: Option<PhoneApp>,
    pub(crate) lines: Vec<OpenLine>,
    pub(crate) phones: Vec<OpenPhone>,
    /// Per phone device id, once a Set request changed it.
    pub(crate) phone_settings: Vec<(u32, PhoneSettings)>,
    pub(crate) calls: Vec<Call>,
    pub(crate) agents: Vec<(u32, u32)>,
    pub(crate) agent_sessions: Vec<(u32, u32)>,
    pub(crate) pending: Vec<Pending>,
    pub(crate) line_versions: Vec<(u32, DeviceVersions)>,
    pub(crate) phone_versions: Vec<(u32, DeviceVersions)>,
    pub(crate) next_request_id: u32,
    pub(crate) next_call_id: u32,
    /// The TAPISERVERCONFIG last set with SetServerConfig (4.10), returned by GetServerConfig.
    pub(crate) server_config: Option<Vec<u8>>,
}

impl State {
    pub(crate) fn new(process_id: i32) -> State {
        State {
            process_id,
            next_request_id: 1,
            next_call_id: 1,
            ..State::default()
        }
    }

    pub(crate) fn versions(&mut self, device: Device, id: u32) -> &mut DeviceVersions {
        let list = match device {
            Device::Line => &mut self.line_versions,
            Device::Phone => &mut self.phone_versions,
        };
        let at = match list.iter().position(|(d, _)| *d == id) {
            Some(i) => i,
            None => {
                list.push((id, DeviceVersions::default()));
                list.len() - 1
            }
        };
        &mut list[at].1
    }

    pub(crate) fn versions_of(&self, device: Device, id: u32) -> DeviceVersions {
        let list = match device {
            Device::Line => &self.line_versions,
            Device::Phone => &self.phone_versions,
        };
        list.iter()
            .find(|(d, _)| *d == id)
            .map(|(_, v)| *v)
            .unwrap_or_default()
    }

    pub(crate) fn line(&self, h_line: u32) -> Option<&OpenLine> {
        self.lines.iter().find(|l| l.h_line == h_line)
    }

    pub(crate) fn call(&self, h_call: u32) -> Option<&Call> {
        self.calls.iter().find(|c| c.h_call == h_call)
    }

    pub(crate) fn line_app_of(&self, _line: &OpenLine) -> LineApp {
        self.line_app.clone().unwrap_or(LineApp {
            h_line_app: 0,
            init_context: 0,
        })
    }

    pub(crate) fn new_call(&mut self, h_call: u32, line: &OpenLine, origin: u32) -> Call {
        let call_id = self.next_call_id;
        self.next_call_id = self.next_call_id.wrapping_add(1).max(1);
        let call = Call {
            h_call,
            h_line: line.h_line,
            device_id: line.device_id,
            address_id: 0,
            call_id,
            state: 0,
            origin,
            states_seen: 0,
        };
        self.calls.push(call.clone());
        call
    }

    /// The request id for a request that gave `given`: echoed when nonzero, else the next
    /// positive id not outstanding (3.1.4.2, handles.rs: "Zero asks the server to generate
    /// one").
    pub(crate) fn request_id(&mut self, given: u32) -> u32 {
        if given != 0 {
            return given;
        }
        loop {
            let id = self.next_request_id;
            self.next_request_id = if id >= 0x7FFF_FFFF { 1 } else { id + 1 };
            if !self.pending.iter().any(|p| p.request_id == id) {
                return id;
            }
        }
    }
}

impl ServerState for StateView<'_> {
    fn handle_valid(&self, kind: HandleKind, value: u32) -> bool {
        let s = self.state;
        match kind {
            HandleKind::HLineApp => s.line_app.as_ref().is_some_and(|a| a.h_line_app == value),
            HandleKind::HPhoneApp => s.phone_app.as_ref().is_some_and(|a| a.h_phone_app == value),
            HandleKind::HLine => s.line(value).is_some(),
            HandleKind::HPhone => s.phones.iter().any(|p| p.h_phone == value),
            HandleKind::HCall => s.call(value).is_some(),
            HandleKind::HAgent => s.agents.iter().any(|(h, _)| *h == value),
            HandleKind::HAgentSession => s.agent_sessions.iter().any(|(h, _)| *h == value),
        }
    }

    fn device_id_valid(&self, device: Device, id: u32) -> bool {
        let n = match device {
            Device::Line => self.config.lines.len(),
            Device::Phone => self.config.phones.len(),
        };
        usize::try_from(id).is_ok_and(|i| i < n)
    }

    /// The simulated provider has a built-in ACD proxy on every open line (spec-notes/session.md).
    fn proxy_registered(&self, h_line: HLine) -> bool {
        self.state.line(h_line.0).is_some()
    }

    fn proxy_handles(&self, h_line: HLine, func: FuncId) -> bool {
        self.state.line(h_line.0).is_some() && super::handlers::PROXY_FUNCS.contains(&func)
    }

    fn holds(&self, fact: Fact) -> bool {
        let s = self.state;
        match fact {
            Fact::AddressId {
                line,
                by_device,
                address_id,
            } => {
                let device = if by_device {
                    Some(line)
                } else {
                    s.line(line).map(|l| l.device_id)
                };
                device
                    .and_then(|d| self.config.lines.get(d as usize))
                    .is_some_and(|l| address_id < l.addresses)
            }
            Fact::ExtVersion {
                func,
                target,
                version,
            } => {
                let range = if func.desc().group.is_phone() {
                    self.config
                        .phones
                        .get(target as usize)
                        .map(|p| p.ext_versions)
                } else {
                    self.config
                        .lines
                        .get(target as usize)
                        .map(|l| l.ext_versions)
                };
                range.is_some_and(|r| negotiate::ext_version_valid(version.0, r))
            }
            Fact::LinesInitialized => s.line_app.is_some(),
            Fact::Admin => s.process_id == super::PROCESS_ID_MMC,
            Fact::NumDevices { lines, phones } => {
                usize::try_from(lines).is_ok_and(|n| n <= self.config.lines.len())
                    && usize::try_from(phones).is_ok_and(|n| n <= self.config.phones.len())
            }
            Fact::SameLine { a, b } => match (s.call(a.0), s.call(b.0)) {
                (Some(x), Some(y)) => x.h_line == y.h_line,
                _ => false,
            },
            Fact::Conferenced(_) => false,
            Fact::PhonePrivilege { h_phone, privilege } => s
                .phones
                .iter()
                .any(|p| p.h_phone == h_phone.0 && p.privilege & privilege != 0),
            Fact::AgentOnAddress { h_line, .. } => {
                s.agents.iter().any(|(_, line)| *line == h_line.0)
            }
            _ => true,
        }
    }

    fn api_version(&self, kind: HandleKind, value: u32) -> Option<Version> {
        let s = self.state;
        match kind {
            HandleKind::HLine => s.line(value).map(|l| l.version),
            HandleKind::HCall => s
                .call(value)
                .and_then(|c| s.line(c.h_line))
                .map(|l| l.version),
            HandleKind::HPhone => s
                .phones
                .iter()
                .find(|p| p.h_phone == value)
                .map(|p| p.version),
            _ => None,
        }
    }
}
