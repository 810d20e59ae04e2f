//! What the server does for each function, once the 3.1.4.2 rules passed.

use alloc::vec;
use alloc::vec::Vec;

use super::phones::{FORCED_PHONE_COMPLETION_RESULT, phone_reply, with_caps};
use super::state::{Call, LineApp, ORIGIN_OUTBOUND, OpenLine, OpenPhone, Owner, Pending, PhoneApp};
use super::{Reply, ServerSession, plain};
use crate::encoding::Payload;
use crate::errors::{ErrorCode, LineErr, PhoneErr};
use crate::events::builders;
use crate::events::completions::builders as completions;
use crate::events::constants::{
    LineCallPrivilege, LineCallState, LineConnectedMode, LineDialToneMode, LineMediaMode,
    LineOfferingMode,
};
use crate::handles::Version;
use crate::header::{HEADER_DWORDS, HEADER_LEN};
use crate::replies::{ReplyBuilder, ReturnValue};
use crate::requests::{Completion, FuncId, Request, Role};
use crate::session::config::AsyncCompletion;
use crate::session::negotiate;
use crate::structures::{
    LINEADDRESSCAPS, LINEAGENTGROUPENTRY, LINEAGENTGROUPLIST, LINECALLINFO, LINECALLSTATUS,
    LINEDEVCAPS, LINEEXTENSIONID, PHONECAPS, STRINGFORMAT_UNICODE, StructBuilder, TAPISERVERCONFIG,
};
use crate::validation::{Device, pointer_error};
use crate::vardata::ABSENT;

/// The requests the built-in ACD proxy of every open line handles (4.11, 4.12).
pub(crate) const PROXY_FUNCS: [FuncId; 3] = [
    FuncId::LineCreateAgent,
    FuncId::LineGetAgentGroupList,
    FuncId::LineCreateAgentSession,
];

/// The LINEEXTENSIONID (2.2.6.45) a device with extensions reports: an arbitrary provider
/// identifier of the simulated provider (the spec leaves its value to the provider).
pub const EXTENSION_ID: [u32; 4] = [0x6D73_7472, 0x7000_0001, 0x0000_0000, 0x0000_0001];

/// The result a request that Close (or DeallocateCall, Shutdown) forces to complete gets
/// (seed 002: "possibly with a 'failure' indication"; spec-notes/session.md).
pub const FORCED_COMPLETION_RESULT: ErrorCode = ErrorCode::Line(LineErr::OPERATIONFAILED);

/// The provider name in LINEDEVCAPS/PHONECAPS.dwProviderInfo.
const PROVIDER_INFO: &str = "mstrp simulated provider";

/// LINEBEARERMODE_VOICE (2.2.3.1.15).
const BEARER_VOICE: u32 = 0x0000_0001;
/// LINEADDRESSMODE_ADDRESSID (2.2.3.1.2).
const ADDRESSMODE_ADDRESSID: u32 = 0x0000_0001;
/// LINECALLREASON_DIRECT (2.2.3.1.27).
const REASON_DIRECT: u32 = 0x0000_0001;

pub(super) fn field(func: FuncId, d: &[u32; HEADER_DWORDS], name: &str) -> u32 {
    func.desc().field(name).map_or(0, |(i, _)| d[i])
}

fn fail(func: FuncId, d: [u32; HEADER_DWORDS], code: ErrorCode) -> Reply {
    plain(func, d, ReturnValue::Error(code))
}

fn ok(func: FuncId, d: [u32; HEADER_DWORDS]) -> Reply {
    plain(func, d, ReturnValue::Success)
}

/// `line` for a line, MMC or generic function, `phone` for a phone function (the error-code
/// set of the function's group, as [`crate::validation::pointer_error`] picks it).
fn group_err(func: FuncId, line: LineErr, phone: PhoneErr) -> ErrorCode {
    if func.desc().group.is_phone() {
        phone_err(phone)
    } else {
        line_err(line)
    }
}

/// LINEERR_OPERATIONFAILED, or PHONEERR_OPERATIONFAILED for a phone function.
pub(super) fn operation_failed(func: FuncId) -> ErrorCode {
    group_err(func, LineErr::OPERATIONFAILED, PhoneErr::OPERATIONFAILED)
}

/// Whether a synchronous request asks for a structure (an [`Role::OutSize`] field: the
/// dwTotalSize of the client's buffer, 2.2.6) bigger than the VarData of the call's buffer,
/// lNeededSize − 60 (`cap` is lNeededSize), the only place the structure can travel back in.
/// 3.1.4.2 fails that with LINEERR/PHONEERR_INVALPOINTER for every synchronous function with
/// such a field (34.1, 93.1, 134.1, ...) but two, PhoneGetDevCaps (95) and GetDevConfig (35),
/// whose rules compare VarData with the fixed part only; the server applies the same check to
/// them, with the same code, before building anything, rather than allocate the size the
/// client names (spec-notes/session.md note 20). The asynchronous functions return their
/// structure in a completion, bounded by their own rules (e.g. 0x40000 bytes, 26.5).
fn output_exceeds_room(func: FuncId, d: &[u32; HEADER_DWORDS], cap: usize) -> bool {
    let room = cap.saturating_sub(HEADER_LEN);
    let desc = func.desc();
    desc.completion == Completion::Sync
        && desc
            .fields
            .iter()
            .zip(d)
            .any(|(f, &v)| matches!(f.role, Role::OutSize { .. }) && v as usize > room)
}

fn line_err(e: LineErr) -> ErrorCode {
    ErrorCode::Line(e)
}

pub(super) fn phone_err(e: PhoneErr) -> ErrorCode {
    ErrorCode::Phone(e)
}

/// A structure laid out in the client's buffer of `size` bytes (dwTotalSize = `size`): the
/// whole structure when it fits, else its fixed part with dwNeededSize saying how much the
/// whole needs (2.2.6: the client re-issues with a bigger buffer).
pub(super) fn fit(make: impl Fn(bool) -> StructBuilder, size: u32) -> Vec<u8> {
    let size = size as usize;
    let full = make(true);
    let len = full.to_vec().len();
    if len <= size {
        return full.spare(size - len).to_vec();
    }
    let fixed = make(false);
    let fixed_len = fixed.to_vec().len();
    fixed
        .needed_size(u32::try_from(len).unwrap_or(u32::MAX))
        .spare(size.saturating_sub(fixed_len))
        .to_vec()
}

/// A LINE_CALLSTATE (2.2.4.2.1.8) for `call` entering `state`; `fnPostProcessProcHandle`
/// carries the state's mode (offering, dial tone, connected mode).
pub(crate) fn call_state(
    app: &LineApp,
    line: &OpenLine,
    call: &Call,
    state: LineCallState,
) -> Vec<u8> {
    let detail = match state {
        LineCallState::OFFERING => LineOfferingMode::ACTIVE.get(),
        LineCallState::DIALTONE => LineDialToneMode::NORMAL.get(),
        LineCallState::CONNECTED => LineConnectedMode::ACTIVE.get(),
        _ => 0,
    };
    builders::LineCallState::new()
        .init_context(app.init_context)
        .fn_post_process_proc_handle(detail)
        .h_call(call.h_call)
        .open_context(line.open_context)
        .call_state(state)
        .privilege(LineCallPrivilege::OWNER)
        .media_mode(LineMediaMode::INTERACTIVEVOICE)
        .h_remote_line(line.h_remote_line)
        .to_bytes()
        .to_vec()
}

/// A LINE_APPNEWCALL (2.2.4.2.1.6) announcing `call`.
pub(crate) fn app_new_call(app: &LineApp, line: &OpenLine, call: &Call) -> Vec<u8> {
    builders::LineAppNewCall::new()
        .init_context(app.init_context)
        .h_remote_line(line.h_remote_line)
        .open_context(line.open_context)
        .address_id(call.address_id)
        .h_new_call(call.h_call)
        .call_id(call.call_id)
        .related_call_id(0)
        .to_bytes()
        .to_vec()
}

/// What a successful completion carries besides the result.
pub(crate) enum Done<'a> {
    Nothing,
    Call(&'a Call),
    Data(&'a [u8]),
}

/// The LINE_REPLY completing `p` with `result`: the special-case completion of 2.2.4.2.2 for
/// the functions that have one, the plain LINE_REPLY (2.2.4.2.1.25) otherwise.
pub(crate) fn completion(p: &Pending, result: u32, done: Done<'_>) -> Vec<u8> {
    let data = match done {
        Done::Data(b) => b,
        _ => &[][..],
    };
    match p.func {
        FuncId::LineMakeCall => {
            let (h, a, id) = match done {
                Done::Call(c) => (c.h_call, c.address_id, c.call_id),
                _ => (0, 0, 0),
            };
            completions::LineMakeCall::new()
                .init_context(p.init_context)
                .lp_context(p.lp_context)
                .open_context(p.open_context)
                .dw_request_id(p.request_id)
                .result(result)
                .h_call(h)
                .lph_call_context(p.echo)
                .dw_address_id(a)
                .dw_call_id(id)
                .dw_related_call_id(0)
                .to_bytes()
                .to_vec()
        }
        FuncId::LineForward => completions::LineForward::new()
            .init_context(p.init_context)
            .lp_context(p.lp_context)
            .open_context(p.open_context)
            .dw_request_id(p.request_id)
            .result(result)
            .h_consult_call(0)
            .lph_consult_call_context(p.echo)
            .to_bytes()
            .to_vec(),
        FuncId::LineCreateAgent => completions::LineCreateAgent::new()
            .init_context(p.init_context)
            .lp_context(p.lp_context)
            .open_context(p.open_context)
            .dw_request_id(p.request_id)
            .result(result)
            .lph_agent_context(p.echo)
            .var_data(data)
            .to_bytes()
            .to_vec(),
        FuncId::LineCreateAgentSession => completions::LineCreateAgentSession::new()
            .init_context(p.init_context)
            .lp_context(p.lp_context)
            .open_context(p.open_context)
            .dw_request_id(p.request_id)
            .result(result)
            .lph_agent_session_context(p.echo)
            .var_data(data)
            .to_bytes()
            .to_vec(),
        FuncId::LineGetAgentGroupList => completions::LineGetAgentGroupList::new()
            .init_context(p.init_context)
            .lp_context(p.lp_context)
            .open_context(p.open_context)
            .dw_request_id(p.request_id)
            .result(result)
            .lp_agent_group_list_context(p.echo)
            .var_data(data)
            .to_bytes()
            .to_vec(),
        _ => match p.owner {
            Owner::Phone { h_phone } => phone_reply(p, h_phone, result),
            Owner::Line { h_line, h_call } => builders::LineReply::new()
                .init_context(p.init_context)
                .fn_post_process_proc_handle(p.lp_context)
                .h_device(h_call.unwrap_or(h_line))
                .open_context(p.open_context)
                .dw_remote_request_id(p.request_id)
                .dw_param2(result)
                .to_bytes()
                .to_vec(),
        },
    }
}

impl ServerSession {
    pub(super) fn dispatch(&mut self, func: FuncId, request: &Request<'_>, cap: usize) -> Reply {
        let d = request.dwords();
        if output_exceeds_room(func, &d, cap) {
            return fail(func, d, pointer_error(func));
        }
        let g = |name: &str| field(func, &d, name);
        match func {
            FuncId::GetAsyncEvents => {
                let total = (g("dwTotalBufferSize") as usize).min(cap.saturating_sub(60));
                let needed = self.queued_event_bytes();
                let events = self.take_events(total);
                let b = ReplyBuilder::from_request_dwords(func, d)
                    .set(
                        "dwNeededBufferSize",
                        u32::try_from(needed).unwrap_or(u32::MAX),
                    )
                    .set(
                        "dwUsedBufferSize",
                        u32::try_from(events.len()).unwrap_or(u32::MAX),
                    );
                Reply::Events(b, events)
            }
            FuncId::LineInitialize => {
                let h = self.next_handle();
                let n = self.config.lines.len() as u32;
                let Some(s) = self.state.as_mut() else {
                    return fail(func, d, line_err(LineErr::OPERATIONFAILED));
                };
                if s.line_app.is_some() {
                    return fail(func, d, line_err(LineErr::REINIT));
                }
                s.line_app = Some(LineApp {
                    h_line_app: h,
                    init_context: g("InitContext"),
                });
                Reply::Built(
                    ReplyBuilder::from_request_dwords(func, d)
                        .set("hLineApp", h)
                        .set("dwNumDevs", n),
                )
            }
            FuncId::PhoneInitialize => {
                let h = self.next_handle();
                let n = self.config.phones.len() as u32;
                let Some(s) = self.state.as_mut() else {
                    return fail(func, d, phone_err(PhoneErr::OPERATIONFAILED));
                };
                if s.phone_app.is_some() {
                    return fail(func, d, phone_err(PhoneErr::REINIT));
                }
                s.phone_app = Some(PhoneApp {
                    h_phone_app: h,
                    init_context: g("InitContext"),
                });
                Reply::Built(
                    ReplyBuilder::from_request_dwords(func, d)
                        .set("hPhoneApp", h)
                        .set("dwNumDevs", n),
                )
            }
            FuncId::LineShutDown => {
                let lines = self.open_lines();
                for h in lines {
                    self.close_line(h);
                }
                if let Some(s) = self.state.as_mut() {
                    s.line_app = None;
                    s.agents.clear();
                    s.agent_sessions.clear();
                }
                ok(func, d)
            }
            FuncId::PhoneShutDown => {
                // ShutDown closes every phone the app opened (2.2.4.1.5.2), completing their
                // outstanding requests as Close does.
                self.force_complete(|p| p.owner.phone().is_some());
                if let Some(s) = self.state.as_mut() {
                    let phones: Vec<u32> = s.phones.iter().map(|p| p.h_phone).collect();
                    for h in phones {
                        close_phone(s, h);
                    }
                    s.phone_app = None;
                }
                ok(func, d)
            }
            FuncId::LineNegotiateAPIVersion | FuncId::PhoneNegotiateAPIVersion => {
                let (device, id) = if func == FuncId::LineNegotiateAPIVersion {
                    (Device::Line, g("dwDeviceID"))
                } else {
                    (Device::Phone, g("dwDeviceIDLocal"))
                };
                let Some((range, ext)) = self.device_ranges(device, id) else {
                    return fail(func, d, bad_device(device));
                };
                let Some(s) = self.state.as_mut() else {
                    return fail(func, d, line_err(LineErr::OPERATIONFAILED));
                };
                match s
                    .versions(device, id)
                    .negotiate_api([g("dwVersion"), g("dwVersionCurrent")], range)
                {
                    Ok(v) => Reply::Built(
                        ReplyBuilder::from_request_dwords(func, d)
                            .set("dwNegotiatedVersion", v.0)
                            .output("ExtensionID", Some(&extension_id(ext))),
                    ),
                    Err(e) => fail(func, d, e.code(device)),
                }
            }
            FuncId::NegotiateAPIVersionForAllDevices => self.negotiate_all(func, d),
            FuncId::LineNegotiateExtVersion | FuncId::PhoneNegotiateExtVersion => {
                let device = if func == FuncId::LineNegotiateExtVersion {
                    Device::Line
                } else {
                    Device::Phone
                };
                let id = g("dwDeviceID");
                let Some((range, ext)) = self.device_ranges(device, id) else {
                    return fail(func, d, bad_device(device));
                };
                if !negotiate::supports_api(g("dwTSPIVersion"), range) {
                    return fail(
                        func,
                        d,
                        negotiate::NegotiateError::UnsupportedVersion.code(device),
                    );
                }
                let Some(s) = self.state.as_mut() else {
                    return fail(func, d, line_err(LineErr::OPERATIONFAILED));
                };
                match s
                    .versions(device, id)
                    .negotiate_ext([g("dwLowVersion"), g("dwHighVersion")], ext)
                {
                    Ok(v) => Reply::Built(
                        ReplyBuilder::from_request_dwords(func, d).set("lpdwExtVersion", v),
                    ),
                    Err(e) => fail(func, d, e.code(device)),
                }
            }
            FuncId::LineSelectExtVersion | FuncId::PhoneSelectExtVersion => {
                let ext = g("dwExtVersion");
                let (device, id) = match (func, self.state.as_ref()) {
                    (FuncId::LineSelectExtVersion, Some(s)) => {
                        (Device::Line, s.line(g("hLine")).map(|l| l.device_id))
                    }
                    (_, Some(s)) => (
                        Device::Phone,
                        s.phones
                            .iter()
                            .find(|p| p.h_phone == g("hPhone"))
                            .map(|p| p.device_id),
                    ),
                    _ => (Device::Line, None),
                };
                let Some(id) = id else {
                    return fail(func, d, bad_handle(device));
                };
                let Some((_, range)) = self.device_ranges(device, id) else {
                    return fail(func, d, bad_device(device));
                };
                let Some(s) = self.state.as_mut() else {
                    return fail(func, d, line_err(LineErr::OPERATIONFAILED));
                };
                match s.versions(device, id).select_ext(ext, range) {
                    Ok(()) => ok(func, d),
                    Err(e) => fail(func, d, e.code(device)),
                }
            }
            FuncId::LineGetDevCaps => {
                let id = g("dwDeviceID");
                let v = g("dwTSPIVersion");
                let Some(cfg) = self.config.lines.get(id as usize) else {
                    return fail(func, d, line_err(LineErr::BADDEVICEID));
                };
                if !negotiate::supports_api(v, cfg.api_versions) {
                    return fail(func, d, line_err(LineErr::INCOMPATIBLEAPIVERSION));
                }
                let bytes = fit(
                    |full| {
                        let b = LINEDEVCAPS::builder()
                            .for_version(Version(v))
                            .dw_permanent_line_id(id)
                            .dw_string_format(STRINGFORMAT_UNICODE)
                            .dw_address_modes(ADDRESSMODE_ADDRESSID)
                            .dw_num_addresses(cfg.addresses)
                            .dw_bearer_modes(BEARER_VOICE)
                            .dw_media_modes(LineMediaMode::INTERACTIVEVOICE.get())
                            .dw_max_num_active_calls(1);
                        let b = if full {
                            b.provider_info(Payload::text(PROVIDER_INFO))
                                .line_name(Payload::text(&cfg.name))
                        } else {
                            b
                        };
                        b.into_inner()
                    },
                    g("lpLineDevCaps"),
                );
                Reply::Built(
                    ReplyBuilder::from_request_dwords(func, d)
                        .output("lpLineDevCaps", Some(&bytes)),
                )
            }
            FuncId::LineGetAddressCaps => {
                let id = g("dwDeviceID");
                let v = g("dwTSPIVersion");
                let address = g("dwAddressID");
                let Some(cfg) = self.config.lines.get(id as usize) else {
                    return fail(func, d, line_err(LineErr::BADDEVICEID));
                };
                if !negotiate::supports_api(v, cfg.api_versions) {
                    return fail(func, d, line_err(LineErr::INCOMPATIBLEAPIVERSION));
                }
                if address >= cfg.addresses {
                    return fail(func, d, line_err(LineErr::INVALADDRESSID));
                }
                let name = alloc::format!("{} address {address}", cfg.name);
                let bytes = fit(
                    |full| {
                        let b = LINEADDRESSCAPS::builder()
                            .for_version(Version(v))
                            .dw_line_device_id(id)
                            .dw_call_states(
                                (LineCallState::IDLE
                                    | LineCallState::OFFERING
                                    | LineCallState::DIALTONE
                                    | LineCallState::DIALING
                                    | LineCallState::PROCEEDING
                                    | LineCallState::CONNECTED)
                                    .get(),
                            )
                            .dw_max_num_active_calls(1);
                        let b = if full {
                            b.address(Payload::text(&name))
                        } else {
                            b
                        };
                        b.into_inner()
                    },
                    g("lpAddressCaps"),
                );
                Reply::Built(
                    ReplyBuilder::from_request_dwords(func, d)
                        .output("lpAddressCaps", Some(&bytes)),
                )
            }
            FuncId::PhoneGetDevCaps => {
                let id = g("dwDeviceID");
                let v = g("dwTSPIVersion");
                let Some(cfg) = self.config.phones.get(id as usize) else {
                    return fail(func, d, phone_err(PhoneErr::BADDEVICEID));
                };
                if !negotiate::supports_api(v, cfg.api_versions) {
                    return fail(func, d, phone_err(PhoneErr::INCOMPATIBLEAPIVERSION));
                }
                let bytes = fit(
                    |full| {
                        let b = with_caps(PHONECAPS::builder().for_version(Version(v)))
                            .dw_permanent_phone_id(id)
                            .dw_string_format(STRINGFORMAT_UNICODE);
                        let b = if full {
                            b.provider_info(Payload::text(PROVIDER_INFO))
                                .phone_name(Payload::text(&cfg.name))
                        } else {
                            b
                        };
                        b.into_inner()
                    },
                    g("lpPhoneCaps"),
                );
                Reply::Built(
                    ReplyBuilder::from_request_dwords(func, d).output("lpPhoneCaps", Some(&bytes)),
                )
            }
            FuncId::LineOpen => {
                let id = g("dwDeviceID");
                let Some((range, _)) = self.device_ranges(Device::Line, id) else {
                    return fail(func, d, line_err(LineErr::BADDEVICEID));
                };
                let h = self.next_handle();
                let Some(s) = self.state.as_mut() else {
                    return fail(func, d, line_err(LineErr::OPERATIONFAILED));
                };
                let version = match s
                    .versions(Device::Line, id)
                    .open(g("dwNegotiatedVersion"), range)
                {
                    Ok(v) => v,
                    Err(e) => return fail(func, d, e.code(Device::Line)),
                };
                let remote = g("hRemoteLine");
                s.lines.push(OpenLine {
                    h_line: h,
                    h_line_app: g("hLineApp"),
                    device_id: id,
                    version,
                    open_context: g("OpenContext"),
                    privileges: g("dwPrivileges"),
                    h_remote_line: if remote != 0 { remote } else { h },
                });
                Reply::Built(ReplyBuilder::from_request_dwords(func, d).set("hLine", h))
            }
            FuncId::PhoneOpen => {
                let id = g("dwDeviceID");
                let Some((range, _)) = self.device_ranges(Device::Phone, id) else {
                    return fail(func, d, phone_err(PhoneErr::BADDEVICEID));
                };
                let h = self.next_handle();
                let Some(s) = self.state.as_mut() else {
                    return fail(func, d, phone_err(PhoneErr::OPERATIONFAILED));
                };
                let version = match s
                    .versions(Device::Phone, id)
                    .open(g("dwNegotiatedVersion"), range)
                {
                    Ok(v) => v,
                    Err(e) => return fail(func, d, e.code(Device::Phone)),
                };
                let remote = g("hRemotePhone");
                s.phones.push(OpenPhone {
                    h_phone: h,
                    h_phone_app: g("hPhoneApp"),
                    device_id: id,
                    version,
                    open_context: g("OpenContext"),
                    privilege: g("dwPrivilege"),
                    h_remote_phone: if remote != 0 { remote } else { h },
                });
                Reply::Built(ReplyBuilder::from_request_dwords(func, d).set("hPhone", h))
            }
            FuncId::LineClose => {
                self.close_line(g("hLine"));
                ok(func, d)
            }
            FuncId::PhoneClose => {
                let h = g("hPhone");
                self.force_complete(|p| p.owner.phone() == Some(h));
                if let Some(s) = self.state.as_mut() {
                    close_phone(s, g("hPhone"));
                }
                ok(func, d)
            }
            FuncId::LineDeallocateCall => {
                let h = g("hCall");
                self.force_complete(|p| p.owner.call() == Some(h));
                if let Some(s) = self.state.as_mut() {
                    s.calls.retain(|c| c.h_call != h);
                }
                ok(func, d)
            }
            FuncId::LineGetCallInfo | FuncId::LineGetCallStatus => self.call_query(func, d),
            FuncId::LineMakeCall
            | FuncId::LineAnswer
            | FuncId::LineDrop
            | FuncId::LineBlindTransfer
            | FuncId::LineForward
            | FuncId::LineCreateAgent
            | FuncId::LineGetAgentGroupList
            | FuncId::LineCreateAgentSession => self.asynchronous(func, d),
            FuncId::PhoneSetRing
            | FuncId::PhoneSetHookSwitch
            | FuncId::PhoneSetVolume
            | FuncId::PhoneSetGain
            | FuncId::PhoneSetDisplay => self.phone_asynchronous(func, request, d),
            FuncId::PhoneGetRing
            | FuncId::PhoneGetHookSwitch
            | FuncId::PhoneGetVolume
            | FuncId::PhoneGetGain
            | FuncId::PhoneGetDisplay => self.phone_get(func, d),
            FuncId::GetServerConfig => {
                let stored = self.state.as_ref().and_then(|s| s.server_config.clone());
                let bytes = fit(
                    |full| server_config(stored.as_deref(), full),
                    g("lpProviderList"),
                );
                Reply::Built(
                    ReplyBuilder::from_request_dwords(func, d)
                        .output("lpProviderList", Some(&bytes)),
                )
            }
            FuncId::SetServerConfig => {
                let var = request.var_data();
                let off = g("dwServerConfigOffset") as usize;
                let bytes = var.as_bytes().get(off..).and_then(|rest| {
                    let total = rest.get(..4)?;
                    let total = u32::from_le_bytes([total[0], total[1], total[2], total[3]]);
                    rest.get(..usize::try_from(total).ok()?)
                });
                match (bytes, self.state.as_mut()) {
                    (Some(b), Some(s)) => {
                        s.server_config = Some(b.to_vec());
                        ok(func, d)
                    }
                    _ => fail(func, d, line_err(LineErr::INVALPOINTER)),
                }
            }
            _ => {
                // Every other documented function: the simulated provider does not implement
                // it (spec-notes/session.md).
                let code = group_err(func, LineErr::OPERATIONUNAVAIL, PhoneErr::OPERATIONUNAVAIL);
                fail(func, d, code)
            }
        }
    }

    /// The (API range, extension range) of a configured device.
    fn device_ranges(&self, device: Device, id: u32) -> Option<([u32; 2], [u32; 2])> {
        let i = usize::try_from(id).ok()?;
        match device {
            Device::Line => self
                .config
                .lines
                .get(i)
                .map(|l| (l.api_versions, l.ext_versions)),
            Device::Phone => self
                .config
                .phones
                .get(i)
                .map(|p| (p.api_versions, p.ext_versions)),
        }
    }

    fn negotiate_all(&mut self, func: FuncId, d: [u32; HEADER_DWORDS]) -> Reply {
        let g = |name: &str| field(func, &d, name);
        let high = g("dwAPIHighVersion");
        let (nl, np) = (g("dwNumLineDevices"), g("dwNumPhoneDevices"));
        let mut lines = Vec::new();
        let mut line_ids = Vec::new();
        let mut phones = Vec::new();
        let mut phone_ids = Vec::new();
        for (device, n, versions, ids) in [
            (Device::Line, nl, &mut lines, &mut line_ids),
            (Device::Phone, np, &mut phones, &mut phone_ids),
        ] {
            for id in 0..n {
                let Some((range, ext)) = self.device_ranges(device, id) else {
                    return fail(func, d, bad_device(device));
                };
                let v = match self.state.as_mut() {
                    Some(s) => s
                        .versions(device, id)
                        .negotiate_api([Version::TAPI_1_3.0, high], range)
                        .map_or(0, |v| v.0),
                    None => 0,
                };
                versions.extend_from_slice(&v.to_le_bytes());
                ids.extend_from_slice(&extension_id(ext));
            }
        }
        Reply::Built(
            ReplyBuilder::from_request_dwords(func, d)
                .output("dwLineAPIVersionListOffset", Some(&lines))
                .output("dwLineExtensionIDListOffset", Some(&line_ids))
                .output("dwPhoneAPIVersionListOffset", Some(&phones))
                .output("dwPhoneExtensionIDListOffset", Some(&phone_ids)),
        )
    }

    fn call_query(&mut self, func: FuncId, d: [u32; HEADER_DWORDS]) -> Reply {
        let g = |name: &str| field(func, &d, name);
        let Some(s) = self.state.as_ref() else {
            return fail(func, d, line_err(LineErr::OPERATIONFAILED));
        };
        let Some(call) = s.call(g("hCall")) else {
            return fail(func, d, line_err(LineErr::INVALCALLHANDLE));
        };
        let version = s.line(call.h_line).map_or(Version::TAPI_1_3, |l| l.version);
        if func == FuncId::LineGetCallInfo {
            let bytes = fit(
                |_| {
                    LINECALLINFO::builder()
                        .for_version(version)
                        .h_line(call.h_line)
                        .dw_line_device_id(call.device_id)
                        .dw_address_id(call.address_id)
                        .dw_bearer_mode(BEARER_VOICE)
                        .dw_media_mode(LineMediaMode::INTERACTIVEVOICE.get())
                        .dw_call_id(call.call_id)
                        .dw_call_states(call.states_seen)
                        .dw_origin(call.origin)
                        .dw_reason(REASON_DIRECT)
                        .dw_num_owners(1)
                        .into_inner()
                },
                g("lpCallInfo"),
            );
            Reply::Built(
                ReplyBuilder::from_request_dwords(func, d).output("lpCallInfo", Some(&bytes)),
            )
        } else {
            let bytes = fit(
                |_| {
                    LINECALLSTATUS::builder()
                        .for_version(version)
                        .dw_call_state(call.state)
                        .dw_call_privilege(LineCallPrivilege::OWNER.get())
                        .into_inner()
                },
                g("lpCallStatus"),
            );
            Reply::Built(
                ReplyBuilder::from_request_dwords(func, d).output("lpCallStatus", Some(&bytes)),
            )
        }
    }

    /// The asynchronous functions: check what the request needs synchronously, take a request
    /// id, and complete now or leave the request pending (AsyncCompletion).
    fn asynchronous(&mut self, func: FuncId, d: [u32; HEADER_DWORDS]) -> Reply {
        let g = |name: &str| field(func, &d, name);
        let given = g("dwRequestID");
        if given > 0x7FFF_FFFF {
            return fail(func, d, line_err(LineErr::INVALPARAM));
        }
        let Some(s) = self.state.as_ref() else {
            return fail(func, d, line_err(LineErr::OPERATIONFAILED));
        };
        // The call (for call requests) and the line the request belongs to.
        let call = match func {
            FuncId::LineAnswer | FuncId::LineDrop | FuncId::LineBlindTransfer => {
                match s.call(g("hCall")) {
                    Some(c) => Some(c.clone()),
                    None => return fail(func, d, line_err(LineErr::INVALCALLHANDLE)),
                }
            }
            _ => None,
        };
        let h_line = call.as_ref().map_or(g("hLine"), |c| c.h_line);
        let Some(line) = s.line(h_line).cloned() else {
            return fail(func, d, line_err(LineErr::INVALLINEHANDLE));
        };
        // States the request needs (2.2.3.1.29).
        if let Some(c) = &call {
            let needed = match func {
                FuncId::LineAnswer => LineCallState::OFFERING | LineCallState::ACCEPTED,
                FuncId::LineBlindTransfer => LineCallState::CONNECTED,
                _ => LineCallState(!LineCallState::IDLE.get()),
            };
            if c.state & needed.get() == 0 {
                return fail(func, d, line_err(LineErr::INVALCALLSTATE));
            }
        }
        let app = s.line_app_of(&line);
        let echo = match func {
            FuncId::LineMakeCall => g("lphCallContext"),
            FuncId::LineForward => g("lphConsultCallContext"),
            FuncId::LineCreateAgent => g("lphAgentContext"),
            FuncId::LineCreateAgentSession => g("lphAgentSessionContext"),
            FuncId::LineGetAgentGroupList => g("lpAgentGroupListContext"),
            _ => 0,
        };
        let Some(s) = self.state.as_mut() else {
            return fail(func, d, line_err(LineErr::OPERATIONFAILED));
        };
        let id = s.request_id(given);
        let pending = Pending {
            request_id: id,
            func,
            owner: Owner::Line {
                h_line,
                h_call: call.as_ref().map(|c| c.h_call),
            },
            lp_context: g("lpContext"),
            echo,
            init_context: app.init_context,
            open_context: line.open_context,
        };
        match self.completion_mode() {
            AsyncCompletion::OnClose => {
                if let Some(s) = self.state.as_mut() {
                    s.pending.push(pending);
                }
            }
            AsyncCompletion::Immediate => self.complete_now(&pending, &app, &line, &d),
        }
        plain(
            func,
            d,
            ReturnValue::RequestId(crate::handles::RequestId(id)),
        )
    }

    /// Carries out `p` and queues its completion and the events that follow it.
    fn complete_now(
        &mut self,
        p: &Pending,
        app: &LineApp,
        line: &OpenLine,
        d: &[u32; HEADER_DWORDS],
    ) {
        let g = |name: &str| field(p.func, d, name);
        let mut events: Vec<Vec<u8>> = Vec::new();
        match p.func {
            FuncId::LineMakeCall => {
                let h = self.next_handle();
                let Some(s) = self.state.as_mut() else { return };
                let call = s.new_call(h, line, ORIGIN_OUTBOUND);
                events.push(completion(p, 0, Done::Call(&call)));
                // With a destination the call dials and connects; without one it waits at
                // dial tone (spec-notes/session.md, "MakeCall progress").
                let states: &[LineCallState] = if g("lpszDestAddress") == ABSENT {
                    &[LineCallState::DIALTONE]
                } else {
                    &[
                        LineCallState::DIALING,
                        LineCallState::PROCEEDING,
                        LineCallState::CONNECTED,
                    ]
                };
                for st in states {
                    events.push(self.enter_state(app, line, h, *st));
                }
            }
            FuncId::LineAnswer => {
                events.push(completion(p, 0, Done::Nothing));
                if let Some(h) = p.owner.call() {
                    events.push(self.enter_state(app, line, h, LineCallState::CONNECTED));
                }
            }
            FuncId::LineDrop | FuncId::LineBlindTransfer => {
                events.push(completion(p, 0, Done::Nothing));
                if let Some(h) = p.owner.call() {
                    events.push(self.enter_state(app, line, h, LineCallState::IDLE));
                }
            }
            FuncId::LineCreateAgent => {
                let h = self.next_handle();
                if let Some(s) = self.state.as_mut() {
                    s.agents.push((h, line.h_line));
                }
                events.push(completion(p, 0, Done::Data(&h.to_le_bytes())));
            }
            FuncId::LineCreateAgentSession => {
                let h = self.next_handle();
                if let Some(s) = self.state.as_mut() {
                    s.agent_sessions.push((h, line.h_line));
                }
                events.push(completion(p, 0, Done::Data(&h.to_le_bytes())));
            }
            FuncId::LineGetAgentGroupList => {
                let list = fit(
                    |full| {
                        let b = LINEAGENTGROUPLIST::builder();
                        let b = if full {
                            b.list(vec![
                                LINEAGENTGROUPENTRY::builder()
                                    .dw_group_id1(1)
                                    .name(Payload::text("Group 0")),
                            ])
                        } else {
                            b
                        };
                        b.into_inner()
                    },
                    g("lpAgentGroupListSize"),
                );
                events.push(completion(p, 0, Done::Data(&list)));
            }
            _ => events.push(completion(p, 0, Done::Nothing)),
        }
        for e in events {
            self.push_event(e);
        }
    }

    /// Moves call `h` to `state` and returns its LINE_CALLSTATE.
    fn enter_state(
        &mut self,
        app: &LineApp,
        line: &OpenLine,
        h: u32,
        state: LineCallState,
    ) -> Vec<u8> {
        let call = self.state.as_mut().and_then(|s| {
            let c = s.calls.iter_mut().find(|c| c.h_call == h)?;
            c.state = state.get();
            c.states_seen |= state.get();
            Some(c.clone())
        });
        match call {
            Some(c) => call_state(app, line, &c, state),
            None => Vec::new(),
        }
    }

    /// Completes, with [`FORCED_COMPLETION_RESULT`], every pending request `which` selects.
    pub(super) fn force_complete(&mut self, which: impl Fn(&Pending) -> bool) {
        let Some(s) = self.state.as_mut() else { return };
        let (done, keep): (Vec<Pending>, Vec<Pending>) = core::mem::take(&mut s.pending)
            .into_iter()
            .partition(|p| which(p));
        s.pending = keep;
        for p in done {
            let result = match p.owner {
                Owner::Line { .. } => FORCED_COMPLETION_RESULT,
                Owner::Phone { .. } => FORCED_PHONE_COMPLETION_RESULT,
            };
            let e = completion(&p, result.value(), Done::Nothing);
            self.push_event(e);
        }
    }

    /// Close (2.2.4.1.2.1): completes the line's and its calls' outstanding requests, ends the
    /// calls' lifetimes, and releases the device's commitment when it was the last open.
    pub(super) fn close_line(&mut self, h: u32) {
        self.force_complete(|p| p.owner.line() == Some(h));
        let Some(s) = self.state.as_mut() else { return };
        let Some(at) = s.lines.iter().position(|l| l.h_line == h) else {
            return;
        };
        let line = s.lines.remove(at);
        s.calls.retain(|c| c.h_line != h);
        s.agents.retain(|(_, l)| *l != h);
        s.agent_sessions.retain(|(_, l)| *l != h);
        s.versions(Device::Line, line.device_id).close();
    }
}

fn close_phone(s: &mut super::state::State, h: u32) {
    if let Some(at) = s.phones.iter().position(|p| p.h_phone == h) {
        let phone = s.phones.remove(at);
        s.versions(Device::Phone, phone.device_id).close();
    }
}

fn bad_device(device: Device) -> ErrorCode {
    match device {
        Device::Line => line_err(LineErr::BADDEVICEID),
        Device::Phone => phone_err(PhoneErr::BADDEVICEID),
    }
}

fn bad_handle(device: Device) -> ErrorCode {
    match device {
        Device::Line => line_err(LineErr::INVALLINEHANDLE),
        Device::Phone => phone_err(PhoneErr::INVALPHONEHANDLE),
    }
}

/// The LINEEXTENSIONID (2.2.6.45) of a device with extension range `ext`: [`EXTENSION_ID`],
/// or zeros for a device without extensions.
fn extension_id(ext: [u32; 2]) -> Vec<u8> {
    let id = if negotiate::has_extensions(ext) {
        EXTENSION_ID
    } else {
        [0; 4]
    };
    LINEEXTENSIONID::builder()
        .dw_extension_id0(id[0])
        .dw_extension_id1(id[1])
        .dw_extension_id2(id[2])
        .dw_extension_id3(id[3])
        .to_vec()
}

/// TAPISERVERCONFIG (2.2.6.5): what SetServerConfig stored, or the simulated server's own.
fn server_config(stored: Option<&[u8]>, full: bool) -> StructBuilder {
    if let Some(raw) = stored.and_then(|b| TAPISERVERCONFIG::parse(b).ok()) {
        if full {
            if let Ok(b) = raw.to_builder() {
                let b = b.spare(0);
                let used = u32::try_from(b.to_vec().len()).unwrap_or(u32::MAX);
                return b.needed_size(used);
            }
        }
        return TAPISERVERCONFIG::builder()
            .dw_flags(raw.dw_flags())
            .into_inner();
    }
    let b = TAPISERVERCONFIG::builder();
    let b = if full {
        b.domain_name(Payload::text("WORKGROUP"))
            .user_name(Payload::text("mstrp"))
    } else {
        b
    };
    b.into_inner()
}
