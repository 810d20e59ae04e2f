//! One method per operation: the state checks the operation needs beyond the handle checks of
//! [`ClientSession::request`], then the request, laid out by its typed builder.

use alloc::vec::Vec;

use crate::encoding::Payload;
use crate::events::constants::{LineCallPrivilege, LineMediaMode};
use crate::handles::{HAgent, HCall, HLine, HPhone, Version};
use crate::requests::{FuncId, builders};
use crate::vardata::ABSENT;

use super::{
    App, ClientSession, DeviceClass, DeviceVersions, EventModel, Op, Outgoing, SessionError,
};

/// The size of the structure called `name` in its oldest fixed part (LINEEXTENSIONID: 16).
fn struct_min_size(name: &str) -> u32 {
    crate::structures::desc_by_name(name).map_or(0, |d| d.min_size as u32)
}

/// `dwPrivilege` PHONEPRIVILEGE_OWNER (2.2.3.2.10).
pub const PHONEPRIVILEGE_OWNER: u32 = crate::validation::consts::PHONEPRIVILEGE_OWNER;

/// The parameters of a line Open besides device and version (2.2.4.1.1.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenParams {
    /// `dwPrivileges` (default LINECALLPRIVILEGE_OWNER, as 4.1 advises for answering calls).
    pub privileges: u32,
    /// `dwMediaModes` (default LINEMEDIAMODE_INTERACTIVEVOICE).
    pub media_modes: u32,
    /// `dwExtVersion` (default 0: none); must be the device's negotiated extension version.
    pub ext_version: Version,
    /// A LINECALLPARAMS for `pCallParams` (LINEOPENOPTION_SINGLEADDRESS / _PROXY).
    pub call_params: Option<Vec<u8>>,
}

impl Default for OpenParams {
    fn default() -> Self {
        OpenParams {
            privileges: LineCallPrivilege::OWNER.0,
            media_modes: LineMediaMode::INTERACTIVEVOICE.0,
            ext_version: Version(0),
            call_params: None,
        }
    }
}

/// Optional LINECALLPARAMS bytes (2.2.6.20) for MakeCall and Forward.
pub type CallParams<'a> = Option<&'a [u8]>;

fn payload(data: Option<&[u8]>) -> Payload {
    match data {
        Some(d) => Payload::Bytes(d.to_vec()),
        None => Payload::Absent,
    }
}

fn opt_text(text: Option<&str>) -> Payload {
    match text {
        Some(t) => Payload::text(t),
        None => Payload::Absent,
    }
}

impl ClientSession {
    fn line_device_checked(
        &self,
        func: FuncId,
        device: u32,
    ) -> Result<(App<crate::handles::HLineApp>, DeviceVersions), SessionError> {
        let app = self.require_line_app(func)?;
        let known = self.line_device(device);
        if device >= app.num_devs || known.removed {
            return Err(SessionError::BadDevice {
                op: Op(func),
                class: DeviceClass::Line,
                device,
                count: app.num_devs,
            });
        }
        Ok((app, known))
    }

    fn phone_device_checked(
        &self,
        func: FuncId,
        device: u32,
    ) -> Result<(App<crate::handles::HPhoneApp>, DeviceVersions), SessionError> {
        let app = self.require_phone_app(func)?;
        let known = self.phone_device(device);
        if device >= app.num_devs || known.removed {
            return Err(SessionError::BadDevice {
                op: Op(func),
                class: DeviceClass::Phone,
                device,
                count: app.num_devs,
            });
        }
        Ok((app, known))
    }

    /// The version must be the one the server answered for the device.
    fn check_api(
        func: FuncId,
        device: u32,
        known: DeviceVersions,
        version: Version,
    ) -> Result<(), SessionError> {
        if known.api == Some(version) {
            Ok(())
        } else {
            Err(SessionError::VersionNotNegotiated {
                op: Op(func),
                version,
                device,
            })
        }
    }

    /// The extension version must be 0 or the one the server answered for the device.
    fn check_ext(
        func: FuncId,
        device: u32,
        known: DeviceVersions,
        ext: Version,
    ) -> Result<(), SessionError> {
        if ext.0 == 0 || known.ext == Some(ext) {
            Ok(())
        } else {
            Err(SessionError::ExtVersionNotNegotiated {
                op: Op(func),
                version: ext,
                device,
            })
        }
    }

    // ---- line session (2.2.4.1.1, 2.2.4.1.2) ----

    /// Initialize (47, 2.2.4.1.1.1): `computer_name` is the friendly and module name ("for
    /// remote clients, this MUST be the remote computer name"). Refused while `hLineApp` is
    /// live.
    pub fn initialize(&mut self, computer_name: &str) -> Result<Outgoing, SessionError> {
        let func = FuncId::LineInitialize;
        self.check_ready(func)?;
        if let Some(app) = self.line_app {
            return Err(SessionError::AlreadyInitialized {
                op: Op(func),
                handle: app.handle.0,
            });
        }
        let b = builders::LineInitialize::new()
            .init_context(self.config.line_init_context)
            .dw_friendly_name_offset(computer_name)
            .dw_module_name_offset(computer_name)
            .dw_api_version(self.config.api_version);
        self.request(b.build())
    }

    /// NegotiateAPIVersion (52, 2.2.4.1.1.2) for line `device` in [`low`, `high`].
    pub fn negotiate_api_version(
        &mut self,
        device: u32,
        low: Version,
        high: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::LineNegotiateAPIVersion;
        self.check_ready(func)?;
        let (app, _) = self.line_device_checked(func, device)?;
        let ext_id = struct_min_size("LINEEXTENSIONID");
        let b = builders::LineNegotiateAPIVersion::new()
            .h_line_app(app.handle)
            .dw_device_id(device)
            .dw_version(low)
            .dw_version_current(high)
            .extension_id(0)
            .dw_size(ext_id)
            .var_data_len(ext_id as usize);
        self.request(b.build())
    }

    /// NegotiateAPIVersionForAllDevices (130, 2.2.4.1.8.2) for line devices `0..lines` and
    /// phone devices `0..phones`, up to `high`. Refused unless ClientAttach announced it
    /// (`phAsyncEventsEvent` = 0xA5C369A5).
    pub fn negotiate_api_version_for_all_devices(
        &mut self,
        lines: u32,
        phones: u32,
        high: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::NegotiateAPIVersionForAllDevices;
        let attachment = self.check_ready(func)?;
        if !attachment.supports_negotiate_all() {
            return Err(SessionError::NotSupported {
                op: Op(func),
                why: "ClientAttach did not announce it (phAsyncEventsEvent is not 0xA5C369A5)",
            });
        }
        let app = self.require_line_app(func)?;
        if lines > app.num_devs {
            return Err(SessionError::BadDevice {
                op: Op(func),
                class: DeviceClass::Line,
                device: lines.saturating_sub(1),
                count: app.num_devs,
            });
        }
        let phone_count = self.phone_app.map_or(0, |a| a.num_devs);
        if phones > phone_count {
            return Err(SessionError::BadDevice {
                op: Op(func),
                class: DeviceClass::Phone,
                device: phones.saturating_sub(1),
                count: phone_count,
            });
        }
        let line_ext = struct_min_size("LINEEXTENSIONID");
        let phone_ext = struct_min_size("PHONEEXTENSIONID");
        let sizes = [
            lines.checked_mul(4),
            lines.checked_mul(line_ext),
            phones.checked_mul(4),
            phones.checked_mul(phone_ext),
        ];
        let [Some(lv), Some(le), Some(pv), Some(pe)] = sizes else {
            return Err(SessionError::BadDevice {
                op: Op(func),
                class: DeviceClass::Line,
                device: lines,
                count: app.num_devs,
            });
        };
        let total = [lv, le, pv, pe]
            .iter()
            .try_fold(0u32, |a, s| a.checked_add(*s))
            .unwrap_or(u32::MAX);
        let b = builders::NegotiateAPIVersionForAllDevices::new()
            .h_line_app(app.handle)
            .dw_num_line_devices(lines)
            .dw_num_phone_devices(phones)
            .dw_api_high_version(high)
            .dw_line_api_version_list_offset(0)
            .dw_line_api_version_list_size(lv)
            .dw_line_extension_id_list_offset(0)
            .dw_line_extension_id_list_size(le)
            .dw_phone_api_version_list_offset(0)
            .dw_phone_api_version_list_size(pv)
            .dw_phone_extension_id_list_offset(0)
            .dw_phone_extension_id_list_size(pe)
            .var_data_len(total as usize);
        self.request(b.build())
    }

    /// GetDevCaps (34, 2.2.4.1.1.3) of line `device` at the negotiated `version` (and
    /// extension version `ext`, 0 for none), offering [`ClientConfig::caps_buffer`](super::ClientConfig) bytes.
    pub fn get_dev_caps(
        &mut self,
        device: u32,
        version: Version,
        ext: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::LineGetDevCaps;
        self.check_ready(func)?;
        let (app, known) = self.line_device_checked(func, device)?;
        Self::check_api(func, device, known, version)?;
        Self::check_ext(func, device, known, ext)?;
        let size = self.config.caps_buffer;
        let b = builders::LineGetDevCaps::new()
            .h_line_app(app.handle)
            .dw_device_id(device)
            .dw_tspi_version(version)
            .dw_ext_version(ext)
            .lp_line_dev_caps(size)
            .var_data_len(size as usize);
        self.request(b.build())
    }

    /// GetAddressCaps (21, 2.2.4.1.1.4) of `address_id` on line `device`.
    pub fn get_address_caps(
        &mut self,
        device: u32,
        address_id: u32,
        version: Version,
        ext: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::LineGetAddressCaps;
        self.check_ready(func)?;
        let (app, known) = self.line_device_checked(func, device)?;
        Self::check_api(func, device, known, version)?;
        Self::check_ext(func, device, known, ext)?;
        let size = self.config.caps_buffer;
        let b = builders::LineGetAddressCaps::new()
            .h_line_app(app.handle)
            .dw_device_id(device)
            .dw_address_id(address_id)
            .dw_tspi_version(version)
            .dw_ext_version(ext)
            .lp_address_caps(size)
            .var_data_len(size as usize);
        self.request(b.build())
    }

    /// Open (54, 2.2.4.1.1.5) line `device` with the `version` NegotiateAPIVersion answered
    /// for it; commits the device to that version until Close. `hRemoteLine` is the next
    /// client handle ([`ClientConfig::first_remote_handle`](super::ClientConfig)).
    pub fn open(
        &mut self,
        device: u32,
        version: Version,
        params: OpenParams,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::LineOpen;
        self.check_ready(func)?;
        let (app, known) = self.line_device_checked(func, device)?;
        Self::check_api(func, device, known, version)?;
        Self::check_ext(func, device, known, params.ext_version)?;
        let remote = self.next_remote();
        let b = builders::LineOpen::new()
            .h_line_app(app.handle)
            .dw_device_id(device)
            .h_line(ABSENT)
            .dw_negotiated_version(version)
            .dw_ext_version(params.ext_version)
            .open_context(0)
            .dw_privileges(params.privileges)
            .dw_media_modes(params.media_modes)
            .p_call_params(payload(params.call_params.as_deref()))
            .dw_ascii_call_params_code_page(ABSENT)
            .p_get_call_params(0)
            .h_remote_line(remote);
        self.request(b.build())
    }

    /// Close (9, 2.2.4.1.2.1) line `h_line`.
    pub fn close(&mut self, h_line: HLine) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::LineClose)?;
        self.request(builders::LineClose::new().h_line(h_line).build())
    }

    /// ShutDown (86, 2.2.4.1.2.2) of the line app.
    pub fn shutdown(&mut self) -> Result<Outgoing, SessionError> {
        let func = FuncId::LineShutDown;
        self.check_ready(func)?;
        let app = self.require_line_app(func)?;
        self.request(builders::LineShutDown::new().h_line_app(app.handle).build())
    }

    // ---- line device requests (2.2.4.1.3) ----

    /// NegotiateExtVersion (53, 2.2.4.1.3.47) for line `device` at its negotiated TAPI
    /// `version`, in [`low`, `high`].
    pub fn negotiate_ext_version(
        &mut self,
        device: u32,
        version: Version,
        low: Version,
        high: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::LineNegotiateExtVersion;
        self.check_ready(func)?;
        let (app, known) = self.line_device_checked(func, device)?;
        Self::check_api(func, device, known, version)?;
        let b = builders::LineNegotiateExtVersion::new()
            .h_line_app(app.handle)
            .dw_device_id(device)
            .dw_tspi_version(version)
            .dw_low_version(low)
            .dw_high_version(high)
            .lpdw_ext_version(0);
        self.request(b.build())
    }

    /// SelectExtVersion (128, 2.2.4.1.3.55) on open line `h_line`: `ext` must be the
    /// extension version negotiated for its device, or 0 to cancel.
    pub fn select_ext_version(
        &mut self,
        h_line: HLine,
        ext: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::LineSelectExtVersion;
        self.check_ready(func)?;
        let b = builders::LineSelectExtVersion::new()
            .h_line(h_line)
            .dw_ext_version(ext)
            .build();
        self.check_handles(&b)?;
        if let Some(line) = self.lines.get(&h_line.0) {
            Self::check_ext(func, line.device, self.line_device(line.device), ext)?;
        }
        self.request(b)
    }

    /// MakeCall (48, 2.2.4.1.3.43) on `h_line` to `dest` (`None`: no address, e.g. for a
    /// dial tone); asynchronous, its completion (2.2.4.2.2.19) carries the new `hCall`.
    pub fn make_call(
        &mut self,
        h_line: HLine,
        dest: Option<&str>,
        country_code: u32,
        call_params: CallParams<'_>,
    ) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::LineMakeCall)?;
        let b = builders::LineMakeCall::new()
            .lp_context(0)
            .h_line(h_line)
            .lph_call_context(0)
            .lpsz_dest_address(opt_text(dest))
            .dw_country_code(country_code)
            .lp_call_params(payload(call_params))
            .dw_call_params_code_page(ABSENT);
        self.request(b.build())
    }

    /// Answer (7, 2.2.4.1.3.4) call `h_call`; asynchronous.
    pub fn answer(
        &mut self,
        h_call: HCall,
        user_user_info: Option<&[u8]>,
    ) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::LineAnswer)?;
        let b = builders::LineAnswer::new()
            .h_call(h_call)
            .lps_user_user_info(payload(user_user_info));
        self.request(b.build())
    }

    /// Drop (16, 2.2.4.1.3.15) call `h_call`; asynchronous (the handle stays valid until
    /// DeallocateCall).
    pub fn drop_call(
        &mut self,
        h_call: HCall,
        user_user_info: Option<&[u8]>,
    ) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::LineDrop)?;
        let b = builders::LineDrop::new()
            .h_call(h_call)
            .lps_user_user_info(payload(user_user_info));
        self.request(b.build())
    }

    /// DeallocateCall (12, 2.2.4.1.3.6): releases `h_call`.
    pub fn deallocate_call(&mut self, h_call: HCall) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::LineDeallocateCall)?;
        self.request(builders::LineDeallocateCall::new().h_call(h_call).build())
    }

    /// BlindTransfer (8, 2.2.4.1.3.5) of `h_call` to `dest`; asynchronous.
    pub fn blind_transfer(
        &mut self,
        h_call: HCall,
        dest: &str,
        country_code: u32,
    ) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::LineBlindTransfer)?;
        let b = builders::LineBlindTransfer::new()
            .h_call(h_call)
            .lpsz_dest_address(dest)
            .dw_country_code(country_code);
        self.request(b.build())
    }

    /// Forward (17, 2.2.4.1.3.16) on `h_line`: `forward_list` is a LINEFORWARDLIST (2.2.6.31),
    /// `None` cancels forwarding; asynchronous.
    pub fn forward(
        &mut self,
        h_line: HLine,
        all_addresses: bool,
        address_id: u32,
        forward_list: Option<&[u8]>,
        num_rings_no_answer: u32,
        call_params: CallParams<'_>,
    ) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::LineForward)?;
        let b = builders::LineForward::new()
            .lp_context(0)
            .h_line(h_line)
            .b_all_addresses(u32::from(all_addresses))
            .dw_address_id(address_id)
            .lp_forward_list(payload(forward_list))
            .dw_num_rings_no_answer(num_rings_no_answer)
            .lph_consult_call_context(0)
            .lp_call_params(payload(call_params))
            .dw_ascii_call_params_code_page(ABSENT);
        self.request(b.build())
    }

    /// CreateAgent (146, 2.2.4.1.3.10) on `h_line`; asynchronous (4.11).
    pub fn create_agent(
        &mut self,
        h_line: HLine,
        agent_id: Option<&str>,
        agent_pin: Option<&str>,
    ) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::LineCreateAgent)?;
        let b = builders::LineCreateAgent::new()
            .lp_context(0)
            .h_line(h_line)
            .lpsz_agent_id(opt_text(agent_id))
            .lpsz_agent_pin(opt_text(agent_pin))
            .lph_agent_context(0);
        self.request(b.build())
    }

    /// GetAgentGroupList (26, 2.2.4.1.3.24) of `address_id` on `h_line`; asynchronous (4.12).
    pub fn get_agent_group_list(
        &mut self,
        h_line: HLine,
        address_id: u32,
    ) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::LineGetAgentGroupList)?;
        let b = builders::LineGetAgentGroupList::new()
            .lp_context(0)
            .h_line(h_line)
            .dw_address_id(address_id)
            .lp_agent_group_list_context(0)
            .lp_agent_group_list_size(self.config.caps_buffer);
        self.request(b.build())
    }

    /// CreateAgentSession (147, 2.2.4.1.3.11) for agent `h_agent` in the ACD group
    /// `group_id` (a GUID); asynchronous (4.12).
    pub fn create_agent_session(
        &mut self,
        h_line: HLine,
        h_agent: HAgent,
        agent_pin: Option<&str>,
        working_address_id: u32,
        group_id: [u8; 16],
    ) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::LineCreateAgentSession)?;
        let b = builders::LineCreateAgentSession::new()
            .lp_context(0)
            .h_line(h_line)
            .h_agent(h_agent)
            .lpsz_agent_pin(opt_text(agent_pin))
            .dw_working_address_id(working_address_id)
            .lp_group_id(Payload::Bytes(group_id.to_vec()))
            .lph_agent_session_context(0);
        self.request(b.build())
    }

    // ---- phone (2.2.4.1.4 - 2.2.4.1.6) ----

    /// Initialize (106, 2.2.4.1.4.1) for phones.
    pub fn phone_initialize(&mut self, computer_name: &str) -> Result<Outgoing, SessionError> {
        let func = FuncId::PhoneInitialize;
        self.check_ready(func)?;
        if let Some(app) = self.phone_app {
            return Err(SessionError::AlreadyInitialized {
                op: Op(func),
                handle: app.handle.0,
            });
        }
        let b = builders::PhoneInitialize::new()
            .init_context(self.config.phone_init_context)
            .dw_friendly_name_offset(computer_name)
            .dw_module_name_offset(computer_name)
            .dw_api_version(self.config.api_version);
        self.request(b.build())
    }

    /// NegotiateAPIVersion (108, 2.2.4.1.4.2) for phone `device`.
    pub fn phone_negotiate_api_version(
        &mut self,
        device: u32,
        low: Version,
        high: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::PhoneNegotiateAPIVersion;
        self.check_ready(func)?;
        let (app, _) = self.phone_device_checked(func, device)?;
        let ext_id = struct_min_size("PHONEEXTENSIONID");
        let b = builders::PhoneNegotiateAPIVersion::new()
            .h_phone_app(app.handle)
            .dw_device_id_local(device)
            .dw_version(low)
            .dw_version_current(high)
            .extension_id(0)
            .dw_size(ext_id)
            .var_data_len(ext_id as usize);
        self.request(b.build())
    }

    /// NegotiateExtVersion (109, 2.2.4.1.6.12) for phone `device`.
    pub fn phone_negotiate_ext_version(
        &mut self,
        device: u32,
        version: Version,
        low: Version,
        high: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::PhoneNegotiateExtVersion;
        self.check_ready(func)?;
        let (app, known) = self.phone_device_checked(func, device)?;
        Self::check_api(func, device, known, version)?;
        let b = builders::PhoneNegotiateExtVersion::new()
            .h_phone_app(app.handle)
            .dw_device_id(device)
            .dw_tspi_version(version)
            .dw_low_version(low)
            .dw_high_version(high)
            .lpdw_ext_version(0);
        self.request(b.build())
    }

    /// GetDevCaps (95, 2.2.4.1.4.3) of phone `device`.
    pub fn phone_get_dev_caps(
        &mut self,
        device: u32,
        version: Version,
        ext: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::PhoneGetDevCaps;
        self.check_ready(func)?;
        let (app, known) = self.phone_device_checked(func, device)?;
        Self::check_api(func, device, known, version)?;
        Self::check_ext(func, device, known, ext)?;
        let size = self.config.caps_buffer;
        let b = builders::PhoneGetDevCaps::new()
            .h_phone_app(app.handle)
            .dw_device_id(device)
            .dw_tspi_version(version)
            .dw_ext_version(ext)
            .lp_phone_caps(size)
            .var_data_len(size as usize);
        self.request(b.build())
    }

    /// Open (107, 2.2.4.1.4.4) phone `device` with its negotiated `version`; `privilege` is
    /// PHONEPRIVILEGE_OWNER or _MONITOR.
    pub fn phone_open(
        &mut self,
        device: u32,
        version: Version,
        privilege: u32,
        ext: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::PhoneOpen;
        self.check_ready(func)?;
        let (app, known) = self.phone_device_checked(func, device)?;
        Self::check_api(func, device, known, version)?;
        Self::check_ext(func, device, known, ext)?;
        let remote = self.next_remote();
        let b = builders::PhoneOpen::new()
            .h_phone_app(app.handle)
            .dw_device_id(device)
            .h_phone(ABSENT)
            .dw_negotiated_version(version)
            .dw_ext_version(ext)
            .open_context(0)
            .dw_privilege(privilege)
            .h_remote_phone(remote);
        self.request(b.build())
    }

    /// SelectExtVersion (129, 2.2.4.1.6.13) on open phone `h_phone` (0 cancels).
    pub fn phone_select_ext_version(
        &mut self,
        h_phone: HPhone,
        ext: Version,
    ) -> Result<Outgoing, SessionError> {
        let func = FuncId::PhoneSelectExtVersion;
        self.check_ready(func)?;
        let b = builders::PhoneSelectExtVersion::new()
            .h_phone(h_phone)
            .dw_ext_version(ext)
            .build();
        self.check_handles(&b)?;
        if let Some(p) = self.phones.get(&h_phone.0) {
            Self::check_ext(func, p.device, self.phone_device(p.device), ext)?;
        }
        self.request(b)
    }

    /// SetRing (116, 2.2.4.1.6.20) of open phone `h_phone`: ring `mode` (0: silence, 1 to
    /// PHONECAPS.dwNumRingModes) at `volume` (0 to 0xFFFF); asynchronous, completed by
    /// PHONE_REPLY.
    pub fn phone_set_ring(
        &mut self,
        h_phone: HPhone,
        mode: u32,
        volume: u32,
    ) -> Result<Outgoing, SessionError> {
        let b = builders::PhoneSetRing::new()
            .h_phone(h_phone)
            .dw_ring_mode(mode)
            .dw_volume(volume);
        self.request(b.build())
    }

    /// SetHookSwitch (114, 2.2.4.1.6.18): puts the hookswitch devices `devs`
    /// (PHONEHOOKSWITCHDEV_ bits) of `h_phone` in `mode` (one PHONEHOOKSWITCHMODE_);
    /// asynchronous.
    pub fn phone_set_hook_switch(
        &mut self,
        h_phone: HPhone,
        devs: u32,
        mode: u32,
    ) -> Result<Outgoing, SessionError> {
        let b = builders::PhoneSetHookSwitch::new()
            .h_phone(h_phone)
            .dw_hook_switch_devs(devs)
            .dw_hook_switch_mode(mode);
        self.request(b.build())
    }

    /// SetVolume (118, 2.2.4.1.6.22) of hookswitch device `dev` (one PHONEHOOKSWITCHDEV_) of
    /// `h_phone`; asynchronous.
    pub fn phone_set_volume(
        &mut self,
        h_phone: HPhone,
        dev: u32,
        volume: u32,
    ) -> Result<Outgoing, SessionError> {
        let b = builders::PhoneSetVolume::new()
            .h_phone(h_phone)
            .dw_hook_switch_dev(dev)
            .dw_volume(volume);
        self.request(b.build())
    }

    /// SetGain (113, 2.2.4.1.6.17) of the microphone of hookswitch device `dev` of `h_phone`;
    /// asynchronous.
    pub fn phone_set_gain(
        &mut self,
        h_phone: HPhone,
        dev: u32,
        gain: u32,
    ) -> Result<Outgoing, SessionError> {
        let b = builders::PhoneSetGain::new()
            .h_phone(h_phone)
            .dw_hook_switch_dev(dev)
            .dw_gain(gain);
        self.request(b.build())
    }

    /// SetDisplay (112, 2.2.4.1.6.16): shows `text` (sent as a NUL-terminated Unicode string,
    /// the phones' STRINGFORMAT_UNICODE) at `row`, `column` of `h_phone`'s display;
    /// asynchronous.
    pub fn phone_set_display(
        &mut self,
        h_phone: HPhone,
        row: u32,
        column: u32,
        text: &str,
    ) -> Result<Outgoing, SessionError> {
        let b = builders::PhoneSetDisplay::new()
            .h_phone(h_phone)
            .dw_row(row)
            .dw_column(column)
            .lps_display(Payload::text(text));
        self.request(b.build())
    }

    /// GetRing (102, 2.2.4.1.6.9) of `h_phone`: the reply carries `lpdwRingMode` and
    /// `lpdwVolume`.
    pub fn phone_get_ring(&mut self, h_phone: HPhone) -> Result<Outgoing, SessionError> {
        let b = builders::PhoneGetRing::new()
            .h_phone(h_phone)
            .lpdw_ring_mode(0)
            .lpdw_volume(0);
        self.request(b.build())
    }

    /// GetHookSwitch (98, 2.2.4.1.6.6) of `h_phone`: the reply's `lpdwHookSwitchDevs` has the
    /// devices that are off hook.
    pub fn phone_get_hook_switch(&mut self, h_phone: HPhone) -> Result<Outgoing, SessionError> {
        let b = builders::PhoneGetHookSwitch::new()
            .h_phone(h_phone)
            .lpdw_hook_switch_devs(0);
        self.request(b.build())
    }

    /// GetVolume (105, 2.2.4.1.6.11) of hookswitch device `dev`: the reply's `lpdwVolume`.
    pub fn phone_get_volume(
        &mut self,
        h_phone: HPhone,
        dev: u32,
    ) -> Result<Outgoing, SessionError> {
        let b = builders::PhoneGetVolume::new()
            .h_phone(h_phone)
            .dw_hook_switch_dev(dev)
            .lpdw_volume(0);
        self.request(b.build())
    }

    /// GetGain (97, 2.2.4.1.6.5) of hookswitch device `dev`: the reply's `lpdwGain`.
    pub fn phone_get_gain(&mut self, h_phone: HPhone, dev: u32) -> Result<Outgoing, SessionError> {
        let b = builders::PhoneGetGain::new()
            .h_phone(h_phone)
            .dw_hook_switch_dev(dev)
            .lpdw_gain(0);
        self.request(b.build())
    }

    /// GetDisplay (96, 2.2.4.1.6.4) of `h_phone`: the reply's VARSTRING (2.2.6.46) in a buffer
    /// of [`ClientConfig::caps_buffer`](super::ClientConfig::caps_buffer) bytes.
    pub fn phone_get_display(&mut self, h_phone: HPhone) -> Result<Outgoing, SessionError> {
        let size = self.config.caps_buffer;
        let b = builders::PhoneGetDisplay::new()
            .h_phone(h_phone)
            .lp_display(size)
            .var_data_len(size as usize);
        self.request(b.build())
    }

    /// Close (91, 2.2.4.1.5.1) phone `h_phone`.
    pub fn phone_close(&mut self, h_phone: HPhone) -> Result<Outgoing, SessionError> {
        self.check_ready(FuncId::PhoneClose)?;
        self.request(builders::PhoneClose::new().h_phone(h_phone).build())
    }

    /// ShutDown (119, 2.2.4.1.5.2) of the phone app.
    pub fn phone_shutdown(&mut self) -> Result<Outgoing, SessionError> {
        let func = FuncId::PhoneShutDown;
        self.check_ready(func)?;
        let app = self.require_phone_app(func)?;
        self.request(
            builders::PhoneShutDown::new()
                .h_phone_app(app.handle)
                .build(),
        )
    }

    // ---- MMC and generic (2.2.4.1.7, 2.2.4.1.8) ----

    /// GetAsyncEvents (0, 2.2.4.1.8.1): polls the events of the pull model. Refused for MMC
    /// clients (no events) and in the push model.
    pub fn get_async_events(&mut self) -> Result<Outgoing, SessionError> {
        let func = FuncId::GetAsyncEvents;
        let attachment = self.check_ready(func)?;
        match attachment.events() {
            EventModel::Pull => {}
            EventModel::Push => {
                return Err(SessionError::NotSupported {
                    op: Op(func),
                    why: "events are pushed (ClientAttach named no mailslot)",
                });
            }
            EventModel::None => {
                return Err(SessionError::NotSupported {
                    op: Op(func),
                    why: "an MMC client gets no events (4.7)",
                });
            }
        }
        let size = self.config.events_buffer;
        let b = builders::GetAsyncEvents::new()
            .dw_total_buffer_size(size)
            .var_data_len(size as usize);
        self.request(b.build())
    }

    /// GetServerConfig (134, 2.2.4.1.7.6, section 4.9).
    pub fn get_server_config(&mut self) -> Result<Outgoing, SessionError> {
        let func = FuncId::GetServerConfig;
        self.check_ready(func)?;
        let app = self.require_line_app(func)?;
        let size = self.config.caps_buffer;
        let b = builders::GetServerConfig::new()
            .h_line_app(app.handle)
            .lp_provider_list(size)
            .var_data_len(size as usize);
        self.request(b.build())
    }

    /// SetServerConfig (137, 2.2.4.1.7.12, section 4.10) with a TAPISERVERCONFIG (2.2.6.5).
    pub fn set_server_config(&mut self, config: &[u8]) -> Result<Outgoing, SessionError> {
        let func = FuncId::SetServerConfig;
        self.check_ready(func)?;
        let app = self.require_line_app(func)?;
        let b = builders::SetServerConfig::new()
            .h_line_app(app.handle)
            .dw_server_config_offset(Payload::Bytes(config.to_vec()));
        self.request(b.build())
    }
}
