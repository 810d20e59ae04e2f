//! A direct writer of the `trp pcap --json` lines (feature `json-writer`): the bytes
//! `serde_json::to_writer(&mut out, &CallJson::from_call(call))` writes, written straight
//! from the views into a caller's reused `Vec<u8>`, without building the owned model.
//!
//! The serde model ([`super::capture::CallJson`] and what it holds) stays the reference: this
//! is a second description of the same JSON for speed, and `tests/json_writer.rs` checks that
//! both write the same bytes for every call of every capture under `samples/captures/`.
//! What makes it faster: hex from a table without escaping, names written as the
//! `&'static str` they are, strings scanned once and escaped only where they need it (as
//! serde_json escapes), numbers without the formatting machinery, and no allocation on the
//! common path (errors, ClientAttach's strings, event buffers and OLE DATE members go through
//! the serde model, which is rare).

use alloc::vec::Vec;
use core::fmt::Display;
use std::io::Write as _;
use std::sync::OnceLock;

use super::rpc::{CallContext, WStrJson, ndr_error_json};
use super::{ErrorJson, EventsJson, HEX_PAIRS, MemberValueJson};
use crate::capture::calls::{Call, Carrier};
use crate::errors::{DecodeError, DecodeErrorKind};
use crate::handles::Version;
use crate::header::HEADER_DWORDS;
use crate::header::HEADER_LEN;
use crate::replies::{Output, Reply, ReplyRole, reply_role};
use crate::requests::{FuncId, Request, Resolved, Role};
use crate::rpc::methods::{self, Direction, Stub};
use crate::rpc::ndr::ConformantVarying;
use crate::structures::{MemberValue, Raw, VarKind, decode_any, decode_any_with};
use crate::vardata::{ABSENT, Utf16Str};

/// Writes the JSON object of `call` (no newline) to `out`: the same bytes as
/// `serde_json::to_writer(out, &CallJson::from_call(call))`.
pub fn write_call(call: &Call, out: &mut Vec<u8>) {
    let mut o = Obj::open(out);
    o.key(out, key!("kind"));
    out.extend_from_slice(b"\"call\"");
    o.key(out, key!("frame"));
    uint(out, call.frame);
    o.key(out, key!("src"));
    out.push(b'"');
    socket_addr(out, &call.src);
    out.push(b'"');
    o.key(out, key!("dst"));
    out.push(b'"');
    socket_addr(out, &call.dst);
    out.push(b'"');
    o.key(out, key!("transport"));
    string(out, call.carrier.name());
    if let Carrier::Smb2Pipe(Some(p)) = &call.carrier {
        o.key(out, key!("pipe"));
        string(out, p);
    }
    o.key(out, key!("call_id"));
    uint(out, u64::from(call.call_id));
    o.key(out, key!("interface"));
    string(out, call.interface().map_or("unknown", |i| i.name()));
    o.key(out, key!("opnum"));
    uint(out, u64::from(call.info.opnum.unwrap_or(0)));
    o.key(out, key!("method"));
    match call.info.method {
        Some(m) => string(out, m.name()),
        None => null(out),
    }
    o.key(out, key!("request"));
    side(
        call,
        Direction::Request,
        call.frame,
        &call.request,
        Full,
        out,
    );
    let (response, fault) = match &call.answer {
        Some(a) => match a.fault {
            Some(status) => (None, Some(status)),
            None => (Some(a), None),
        },
        None => (None, None),
    };
    o.key(out, key!("response"));
    match response {
        Some(a) => side(call, Direction::Response, a.frame, &a.stub, Full, out),
        None => null(out),
    }
    o.key(out, key!("fault"));
    match fault {
        Some(status) => {
            let mut f = Obj::open(out);
            f.key(out, key!("status"));
            uint(out, u64::from(status.value()));
            f.key(out, key!("name"));
            opt_string(out, status.name());
            f.close(out);
        }
        None => null(out),
    }
    o.close(out);
}

/// How much of a side to write.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// All of it.
    Full,
    /// For [`TextWriter`]: the members the text removes (`pBuffer.hex`, `pBuffer.tapi32_msg`,
    /// and a reply's `kind`, `group`, `section`, `fields` and `var_data`) are written as
    /// `null`, keeping their place, since the order of what remains depends on it.
    Text,
}
use Detail::{Full, Text};

/// `SideJson`.
fn side(
    call: &Call,
    direction: Direction,
    frame: u64,
    stub: &[u8],
    detail: Detail,
    out: &mut Vec<u8>,
) {
    let mut o = Obj::open(out);
    o.key(out, key!("frame"));
    uint(out, frame);
    let syntax = call.syntax();
    let syntax_name = syntax.map_or("unknown", |s| s.name());
    match (call.info.method, syntax) {
        (Some(method), Some(syntax)) => match methods::decode(method, direction, syntax, stub) {
            Ok(s) => {
                o.key(out, key!("params"));
                params(&s, CallContext::from(&call.info), detail, out);
                o.key(out, key!("syntax"));
                string(out, syntax_name);
            }
            Err(e) => {
                o.key(out, key!("syntax"));
                string(out, syntax_name);
                o.key(out, key!("error"));
                error(out, &ndr_error_json(&e));
                o.key(out, key!("stub"));
                hex_str(out, stub);
            }
        },
        _ => {
            o.key(out, key!("syntax"));
            string(out, syntax_name);
            o.key(out, key!("stub"));
            hex_str(out, stub);
        }
    }
    o.close(out);
}

/// `ParamsJson`, as `RpcJson::from_stub` fills it; keys in the struct's order.
fn params(stub: &Stub<'_>, call: CallContext, detail: Detail, out: &mut Vec<u8>) {
    let mut o = Obj::open(out);
    match stub {
        Stub::ClientAttachRequest(s) => {
            o.key(out, key!("lProcessID"));
            int(out, i64::from(s.l_process_id()));
            o.key(out, key!("pszDomainUser"));
            wstr(out, &WStrJson::from_wstr(&s.psz_domain_user()));
            o.key(out, key!("pszMachine"));
            wstr(out, &WStrJson::from_wstr(&s.psz_machine()));
        }
        Stub::ClientAttachResponse(s) => {
            o.key(out, key!("pphContext"));
            hex_str(out, &s.pph_context().to_bytes());
            o.key(out, key!("phAsyncEventsEvent"));
            int(out, i64::from(s.ph_async_events_event()));
            o.key(out, key!("return_value"));
            int(out, i64::from(s.return_value()));
        }
        Stub::ClientRequestRequest(s) => {
            o.key(out, key!("phContext"));
            hex_str(out, &s.ph_context().to_bytes());
            o.key(out, key!("pBuffer"));
            let mut b = buffer_open(&s.p_buffer(), detail, out);
            match s.tapi32_msg() {
                Ok(r) => {
                    b.key(out, key!("tapi32_msg"));
                    match detail {
                        Full => request(&r, out),
                        Text => null(out),
                    }
                }
                Err(e) => {
                    b.key(out, key!("error"));
                    decode_error(out, &e);
                }
            }
            b.close(out);
            o.key(out, key!("lNeededSize"));
            int(out, i64::from(s.l_needed_size()));
            o.key(out, key!("plUsedSize"));
            int(out, i64::from(s.pl_used_size()));
        }
        Stub::ClientRequestResponse(s) => {
            o.key(out, key!("pBuffer"));
            let mut b = buffer_open(&s.p_buffer(), detail, out);
            let needed = call.l_needed_size.map(|n| s.check_l_needed_size(n));
            match needed {
                Some(Err(e)) => {
                    b.key(out, key!("error"));
                    error(out, &ndr_error_json(&e));
                }
                _ => match call.req_func.map(|f| (f, FuncId::from_u32(f))) {
                    Some((_, Some(func))) => match s.reply(func) {
                        Ok(r) => {
                            b.key(out, key!("reply"));
                            reply(&r, call.api_version, detail, out);
                        }
                        Err(e) => {
                            b.key(out, key!("error"));
                            decode_error(out, &e);
                        }
                    },
                    Some((f, None)) => {
                        b.key(out, key!("error"));
                        error(out, &super::rpc::unknown_function_error(f));
                    }
                    None => {}
                },
            }
            b.close(out);
            o.key(out, key!("plUsedSize"));
            int(out, i64::from(s.pl_used_size()));
        }
        Stub::ClientDetachRequest(s) => {
            o.key(out, key!("pphContext"));
            hex_str(out, &s.pph_context().to_bytes());
        }
        Stub::ClientDetachResponse(s) => {
            o.key(out, key!("pphContext"));
            hex_str(out, &s.pph_context().to_bytes());
        }
        Stub::RemoteSPAttachRequest(_) | Stub::RemoteSPEventProcResponse(_) => {}
        Stub::RemoteSPAttachResponse(s) => {
            o.key(out, key!("pphContext"));
            hex_str(out, &s.pph_context().to_bytes());
            o.key(out, key!("return_value"));
            int(out, i64::from(s.return_value()));
        }
        Stub::RemoteSPEventProcRequest(s) => {
            o.key(out, key!("phContext"));
            hex_str(out, &s.ph_context().to_bytes());
            o.key(out, key!("pBuffer"));
            let mut b = buffer_open(&s.p_buffer(), detail, out);
            b.key(out, key!("events"));
            serde(out, &EventsJson::from_bytes(s.p_buffer().bytes()));
            b.close(out);
            o.key(out, key!("lSize"));
            int(out, i64::from(s.l_size()));
        }
        Stub::RemoteSPDetachRequest(s) => {
            o.key(out, key!("pphContext"));
            hex_str(out, &s.pph_context().to_bytes());
        }
        Stub::RemoteSPDetachResponse(s) => {
            o.key(out, key!("pphContext"));
            hex_str(out, &s.pph_context().to_bytes());
        }
    }
    o.close(out);
}

/// `BufferJson` up to its hex; the caller adds what the bytes decode to and closes it.
fn buffer_open(a: &ConformantVarying<'_>, detail: Detail, out: &mut Vec<u8>) -> Obj {
    let mut b = Obj::open(out);
    b.key(out, key!("max_count"));
    uint(out, a.max_count);
    b.key(out, key!("offset"));
    uint(out, a.offset);
    b.key(out, key!("actual_count"));
    uint(out, a.actual_count);
    b.key(out, key!("hex"));
    match detail {
        Full => hex_str(out, a.bytes()),
        Text => null(out),
    }
    b
}

/// `WStrJson`.
fn wstr(out: &mut Vec<u8>, s: &WStrJson) {
    match s {
        WStrJson::Text(t) => string(out, t),
        WStrJson::Units { units } => {
            let mut o = Obj::open(out);
            o.key(out, key!("units"));
            let mut a = Arr::open(out);
            for &u in units {
                a.item(out);
                uint(out, u64::from(u));
            }
            a.close(out);
            o.close(out);
        }
    }
}

/// `RequestJson::from_request`.
fn request(r: &Request<'_>, out: &mut Vec<u8>) {
    let desc = r.desc();
    let dwords = r.dwords();
    let mut o = Obj::open(out);
    o.key(out, key!("kind"));
    out.extend_from_slice(b"\"request\"");
    o.key(out, key!("name"));
    name(out, desc.map_or("Unknown", |d| d.name));
    o.key(out, key!("group"));
    opt_name(out, desc.map(|d| d.group.title()));
    o.key(out, key!("section"));
    opt_name(out, desc.map(|d| d.section));
    o.key(out, key!("req_func"));
    uint(out, u64::from(dwords[0]));
    if let Request::Unknown(u) = r {
        if let Some(k) = u.known_as() {
            o.key(out, key!("known_as"));
            string(out, k.name);
        }
    }
    o.key(out, key!("fields"));
    with_layout(
        &REQUEST_FIELDS,
        desc.map(|d| d.func as usize),
        |layout| layout.write(out, &dwords),
        || FieldsLayout::new(r.field_names(), |i| 4 * i as u64, None),
    );
    o.key(out, key!("var_data"));
    var_data(out, HEADER_LEN, r.var_data().as_bytes());
    o.key(out, key!("references"));
    let mut a = Arr::open(out);
    for reference in r.references() {
        a.item(out);
        let mut f = Obj::open(out);
        let data = reference
            .value
            .as_ref()
            .map(|v| v.as_ref().map(|v| v.as_bytes()));
        if item_head(out, &mut f, reference.field.name, reference.raw, data).is_some() {
            f.key(out, key!("text"));
            match &reference.value {
                Ok(Some(Resolved::Str(s))) => utf16_str(out, s),
                _ => null(out),
            }
        }
        f.close(out);
    }
    a.close(out);
    o.close(out);
}

/// The members a reference (`ReferenceJson`) and an output (`OutputJson`) open with: `field`,
/// `offset`, then `absent`, or `size` and `hex`, or `error`. Returns the bytes when present,
/// for the members that follow.
fn item_head<'b>(
    out: &mut Vec<u8>,
    f: &mut Obj,
    field: &'static str,
    raw: u32,
    data: Result<Option<&'b [u8]>, &DecodeError>,
) -> Option<&'b [u8]> {
    f.key(out, key!("field"));
    name(out, field);
    f.key(out, key!("offset"));
    uint(out, u64::from(raw));
    match data {
        Ok(None) => {
            f.key(out, key!("absent"));
            out.extend_from_slice(b"true");
            None
        }
        Ok(Some(bytes)) => {
            f.key(out, key!("size"));
            uint(out, bytes.len() as u64);
            f.key(out, key!("hex"));
            hex_str(out, bytes);
            Some(bytes)
        }
        Err(e) => {
            f.key(out, key!("error"));
            decode_error(out, e);
            None
        }
    }
}

/// `VarDataJson`.
fn var_data(out: &mut Vec<u8>, offset: usize, bytes: &[u8]) {
    let mut o = Obj::open(out);
    o.key(out, key!("offset"));
    uint(out, offset as u64);
    o.key(out, key!("length"));
    uint(out, bytes.len() as u64);
    o.key(out, key!("hex"));
    hex_str(out, bytes);
    o.close(out);
}

/// `ReplyJson::from_reply_with`. The fields are written from the catalogue and the DWORDs
/// (what `Reply::outputs` would hold for them), and only the outputs that point into VarData
/// are resolved.
fn reply(r: &Reply<'_>, version: Option<Version>, detail: Detail, out: &mut Vec<u8>) {
    let desc = r.desc();
    let dwords = r.dwords();
    let mut o = Obj::open(out);
    let full = detail == Full;
    o.key(out, key!("kind"));
    out.extend_from_slice(if full { b"\"reply\"" } else { b"null" });
    o.key(out, key!("name"));
    name(out, desc.name);
    o.key(out, key!("group"));
    opt_name(out, full.then(|| desc.group.title()));
    o.key(out, key!("section"));
    opt_name(out, full.then_some(desc.section));
    o.key(out, key!("req_func"));
    uint(out, u64::from(desc.func as u32));
    o.key(out, key!("return_value"));
    uint(out, u64::from(dwords[0]));
    o.key(out, key!("result"));
    string(out, r.return_value().result_name());
    o.key(out, key!("fields"));
    let roles = with_layout(
        &REPLY_FIELDS,
        Some(desc.func as usize),
        |layout| {
            if full {
                layout.write(out, &dwords);
            } else {
                out.extend_from_slice(b"[]");
            }
            layout.roles
        },
        || reply_layout(r),
    );
    o.key(out, key!("var_data"));
    match detail {
        Full => var_data(out, HEADER_LEN, r.var_data().as_bytes()),
        Text => null(out),
    }
    o.key(out, key!("outputs"));
    let mut a = Arr::open(out);
    for output in pointing_outputs(*r, roles) {
        a.item(out);
        let mut f = Obj::open(out);
        let data = output.data.as_ref().map(|d| *d);
        let present = item_head(out, &mut f, output.field.name, output.raw, data);
        if let (Some(b), ReplyRole::Structure { name }) = (present, output.role) {
            f.key(out, key!("structure"));
            let decoded = match version {
                Some(version) => decode_any_with(name, b, version),
                None => decode_any(name, b),
            };
            match decoded {
                Some(Ok(s)) => structure(&s.raw(), out),
                Some(Err(e)) => {
                    let mut e_obj = Obj::open(out);
                    e_obj.key(out, key!("error"));
                    decode_error(out, &e);
                    e_obj.close(out);
                }
                None => null(out),
            }
        }
        f.close(out);
    }
    a.close(out);
    o.close(out);
}

/// The outputs of `r` that point into VarData (a returned structure or data), in field
/// order: `r.outputs()` filtered to [`ReplyRole::Structure`] and [`ReplyRole::Data`],
/// without resolving the others.
fn pointing_outputs(
    r: Reply<'_>,
    roles: [Option<ReplyRole>; HEADER_DWORDS],
) -> impl Iterator<Item = Output<'_>> {
    (0..HEADER_DWORDS)
        .filter(move |&i| {
            matches!(
                roles[i],
                Some(ReplyRole::Structure { .. } | ReplyRole::Data { .. })
            )
        })
        .filter_map(move |i| r.output(i))
}

/// The reply role of each of `r`'s fields (`None` past the last), each found once.
fn reply_roles(r: &Reply<'_>) -> [Option<ReplyRole>; HEADER_DWORDS] {
    let desc = r.desc();
    core::array::from_fn(|i| (i < desc.fields.len()).then(|| reply_role(desc, i)))
}

/// [`reply_roles`] for [`pointing_outputs`] alone (the text, which prints no field's role):
/// `reply_role` gives [`ReplyRole::Structure`] and [`ReplyRole::Data`] exactly to the
/// catalogue's `Role::OutSize` and `Role::OutOffset`, so only those fields are looked up (the
/// lookup of the others, which tells filled fields from echoed ones, is what costs).
fn pointing_roles(r: &Reply<'_>) -> [Option<ReplyRole>; HEADER_DWORDS] {
    let desc = r.desc();
    core::array::from_fn(|i| {
        desc.fields
            .get(i)
            .filter(|f| matches!(f.role, Role::OutSize { .. } | Role::OutOffset { .. }))
            .map(|_| reply_role(desc, i))
    })
}

/// The `fields` array of a request or a reply of one function, laid out once: the constant
/// text between the DWORDs' values (`[{"name":"Req_Func","offset":0,"value":`, then
/// `},{"name":…,"value":` or, for a reply, `,"role":"echo"},{"name":…,"value":`, and the
/// closing `}]`), so that writing the array is one copy of a constant piece and one number per
/// field. It holds what `Reply::outputs` would give each field: the catalogue's names and
/// offsets and, for a reply, each field's [`reply_role`], which depend on the function alone.
struct FieldsLayout {
    /// The pieces, one after another.
    text: Vec<u8>,
    /// Where the piece before each field's value ends.
    cuts: [usize; HEADER_DWORDS],
    /// A reply's roles (`None` for a request's layout).
    roles: [Option<ReplyRole>; HEADER_DWORDS],
}

impl FieldsLayout {
    /// The layout of fields named `names`, at `offset(i)`, with `roles` for a reply's.
    fn new(
        names: [&'static str; HEADER_DWORDS],
        offset: impl Fn(usize) -> u64,
        roles: Option<[Option<ReplyRole>; HEADER_DWORDS]>,
    ) -> FieldsLayout {
        let role = |text: &mut Vec<u8>, i: usize| {
            if let Some(roles) = &roles {
                text.extend_from_slice(b",\"role\":");
                text.extend_from_slice(role_json(roles[i]));
            }
        };
        let mut text = Vec::new();
        let mut cuts = [0; HEADER_DWORDS];
        text.push(b'[');
        for (i, field) in names.into_iter().enumerate() {
            if i > 0 {
                role(&mut text, i - 1);
                text.extend_from_slice(b"},");
            }
            text.extend_from_slice(b"{\"name\":");
            name(&mut text, field);
            text.extend_from_slice(b",\"offset\":");
            uint(&mut text, offset(i));
            text.extend_from_slice(b",\"value\":");
            cuts[i] = text.len();
        }
        role(&mut text, HEADER_DWORDS - 1);
        text.extend_from_slice(b"}]");
        FieldsLayout {
            text,
            cuts,
            roles: roles.unwrap_or([None; HEADER_DWORDS]),
        }
    }

    /// The array of `dwords`.
    #[inline]
    fn write(&self, out: &mut Vec<u8>, dwords: &[u32; HEADER_DWORDS]) {
        let mut from = 0;
        for (&to, &v) in self.cuts.iter().zip(dwords) {
            out.extend_from_slice(self.text.get(from..to).unwrap_or_default());
            uint(out, u64::from(v));
            from = to;
        }
        out.extend_from_slice(self.text.get(from..).unwrap_or_default());
    }
}

/// The layout of `r`'s fields.
fn reply_layout(r: &Reply<'_>) -> FieldsLayout {
    let desc = r.desc();
    FieldsLayout::new(
        desc.fields.map(|f| f.name),
        |i| desc.fields[i].offset as u64,
        Some(reply_roles(r)),
    )
}

/// Layouts by `Req_Func` value (for the functions of the catalogue; `REQUEST_FIELDS`' last
/// entry holds an undocumented function's, `Param1`..`Param13`).
const LAYOUTS: usize = 257;
static REQUEST_FIELDS: [OnceLock<FieldsLayout>; LAYOUTS] = [const { OnceLock::new() }; LAYOUTS];
static REPLY_FIELDS: [OnceLock<FieldsLayout>; LAYOUTS] = [const { OnceLock::new() }; LAYOUTS];

/// `f` of the layout at `index` (`None`: the last) of `table`, made by `make` the first time;
/// a layout made for an index past the table is used once.
#[inline]
fn with_layout<T>(
    table: &'static [OnceLock<FieldsLayout>; LAYOUTS],
    index: Option<usize>,
    f: impl FnOnce(&FieldsLayout) -> T,
    make: impl FnOnce() -> FieldsLayout,
) -> T {
    match table.get(index.unwrap_or(LAYOUTS - 1)) {
        Some(slot) if index.is_none_or(|i| i < LAYOUTS - 1) => f(slot.get_or_init(make)),
        _ => f(&make()),
    }
}

/// A reply role as `ReplyJson` writes it (a field past the last has none; never asked for).
fn role_json(role: Option<ReplyRole>) -> &'static [u8] {
    match role {
        Some(ReplyRole::ReturnValue) => b"\"return_value\"",
        Some(ReplyRole::Structure { .. }) => b"\"structure\"",
        Some(ReplyRole::Data { .. }) => b"\"data\"",
        Some(ReplyRole::Filled) => b"\"filled\"",
        Some(ReplyRole::Echo) | None => b"\"echo\"",
    }
}

/// `StructureJson::from_raw`.
fn structure(raw: &Raw<'_>, out: &mut Vec<u8>) {
    let desc = raw.desc();
    let mut o = Obj::open(out);
    o.key(out, key!("kind"));
    out.extend_from_slice(b"\"structure\"");
    o.key(out, key!("name"));
    string(out, desc.name);
    o.key(out, key!("section"));
    string(out, desc.section);
    o.key(out, key!("reading"));
    display_str(out, &raw.reading());
    o.key(out, key!("buffer_too_small"));
    match raw.buffer_too_small() {
        Some(n) => uint(out, u64::from(n)),
        None => null(out),
    }
    o.key(out, key!("fields"));
    let mut a = Arr::open(out);
    for (f, v) in raw.fields() {
        a.item(out);
        let mut m = Obj::open(out);
        m.key(out, key!("name"));
        string(out, f.name);
        m.key(out, key!("offset"));
        uint(out, f.offset as u64);
        m.key(out, key!("value"));
        match v {
            None => null(out),
            Some(MemberValue::Dword(d)) => uint(out, u64::from(d)),
            Some(MemberValue::Currency(c)) => int(out, c),
            Some(MemberValue::Guid(g)) => display_str(out, &g),
            Some(d @ MemberValue::Date(_)) => serde(out, &MemberValueJson::from(d)),
            Some(other) => debug_str(out, &other),
        }
        m.close(out);
    }
    a.close(out);
    o.key(out, key!("var_items"));
    let mut a = Arr::open(out);
    for item in raw.var_items() {
        a.item(out);
        let mut v = Obj::open(out);
        v.key(out, key!("name"));
        string(out, item.desc.name);
        v.key(out, key!("size_field"));
        string(out, item.desc.size_field);
        v.key(out, key!("offset_field"));
        string(out, item.desc.offset_field);
        let (size, offset) = item.pair.map_or((None, None), |(s, o)| (Some(s), Some(o)));
        v.key(out, key!("offset"));
        opt_uint(out, offset);
        v.key(out, key!("size"));
        opt_uint(out, size);
        match item.bytes() {
            Ok(b) => {
                v.key(out, key!("hex"));
                match b {
                    Some(b) => hex_str(out, b),
                    None => null(out),
                }
                v.key(out, key!("text"));
                let mut err = None;
                match item.text_table() {
                    Ok(Some(t)) => {
                        let mut l = Arr::open(out);
                        for s in t.iter() {
                            l.item(out);
                            display_str(out, &s);
                        }
                        l.close(out);
                    }
                    Err(e) => {
                        null(out);
                        err = Some(e);
                    }
                    Ok(None) => match (item.text(), item.multi_text()) {
                        (Ok(Some(t)), _) => display_str(out, &t),
                        (_, Ok(Some(m))) => {
                            let mut l = Arr::open(out);
                            for s in m.iter() {
                                l.item(out);
                                display_str(out, &s);
                            }
                            l.close(out);
                        }
                        _ => null(out),
                    },
                }
                if let Some(e) = err {
                    v.key(out, key!("error"));
                    decode_error(out, &e);
                }
            }
            Err(e) => {
                v.key(out, key!("error"));
                decode_error(out, &e);
            }
        }
        v.close(out);
    }
    a.close(out);
    o.key(out, key!("entries"));
    let mut a = Arr::open(out);
    for item in raw.var_items() {
        if !matches!(
            item.desc.kind,
            VarKind::Entries { .. } | VarKind::InlineEntries { .. }
        ) {
            continue;
        }
        match item.entries() {
            Ok(list) => {
                for (index, entry) in list.enumerate() {
                    a.item(out);
                    let mut e = Obj::open(out);
                    e.key(out, key!("item"));
                    string(out, item.desc.name);
                    e.key(out, key!("index"));
                    uint(out, index as u64);
                    e.key(out, key!("structure"));
                    structure(&entry, out);
                    e.close(out);
                }
            }
            Err(err) => {
                a.item(out);
                let mut e = Obj::open(out);
                e.key(out, key!("item"));
                string(out, item.desc.name);
                e.key(out, key!("error"));
                decode_error(out, &err);
                e.close(out);
            }
        }
    }
    a.close(out);
    o.close(out);
}

/// `ErrorJson`.
fn error(out: &mut Vec<u8>, e: &ErrorJson) {
    let mut o = Obj::open(out);
    o.key(out, key!("kind"));
    string(out, &e.kind);
    o.key(out, key!("packet"));
    string(out, &e.packet);
    o.key(out, key!("field"));
    string(out, &e.field);
    o.key(out, key!("offset"));
    uint(out, e.offset as u64);
    o.key(out, key!("message"));
    string(out, &e.message);
    o.close(out);
}

/// `ErrorJson::from(e)`, written without building it: the message formatted straight into
/// `out` (escaped in place when it has to be).
fn decode_error(out: &mut Vec<u8>, e: &DecodeError) {
    let mut o = Obj::open(out);
    o.key(out, key!("kind"));
    string(out, e.kind_name());
    o.key(out, key!("packet"));
    string(out, e.packet);
    o.key(out, key!("field"));
    string(out, e.field);
    o.key(out, key!("offset"));
    uint(out, e.offset as u64);
    o.key(out, key!("message"));
    decode_error_message(out, e);
    o.close(out);
}

/// `display_str(out, e)` of a [`DecodeError`]: its `Display` (`packet.field (byte N): kind`)
/// with the part before the kind written by hand, the kind (and an error `within` another)
/// through `core::fmt`.
fn decode_error_message(out: &mut Vec<u8>, e: &DecodeError) {
    if e.within.is_some() {
        display_str(out, e);
        return;
    }
    out.push(b'"');
    let start = out.len();
    out.extend_from_slice(e.packet.as_bytes());
    out.push(b'.');
    out.extend_from_slice(e.field.as_bytes());
    out.extend_from_slice(b" (byte ");
    uint(out, e.offset as u64);
    out.extend_from_slice(b"): ");
    decode_error_kind(out, &e.kind);
    escape_tail(out, start);
    out.push(b'"');
}

/// The `Display` of a [`DecodeErrorKind`] (its `#[error]` text): the kinds a reply's or a
/// request's references raise written from static pieces and [`uint`] / [`hex_u32_min`]
/// (`tests` below compares them with the `Display` over edge values), the rest through
/// `core::fmt`.
fn decode_error_kind(out: &mut Vec<u8>, kind: &DecodeErrorKind) {
    match *kind {
        DecodeErrorKind::OffsetOutOfBounds { value, len } => {
            out.extend_from_slice(b"offset 0x");
            hex_u32_min(out, value);
            out.extend_from_slice(b" lies outside VarData (");
            uint(out, len as u64);
            out.extend_from_slice(b" bytes)");
        }
        DecodeErrorKind::SizeOutOfBounds { value, size, len } => {
            out.extend_from_slice(b"offset 0x");
            hex_u32_min(out, value);
            out.extend_from_slice(b" + size 0x");
            hex_u32_min(out, size);
            out.extend_from_slice(b" runs past the end of VarData (");
            uint(out, len as u64);
            out.extend_from_slice(b" bytes)");
        }
        DecodeErrorKind::Overflow { value, size } => {
            out.extend_from_slice(b"offset 0x");
            hex_u32_min(out, value);
            out.extend_from_slice(b" + size 0x");
            hex_u32_min(out, size);
            out.extend_from_slice(b" overflows 32 bits");
        }
        DecodeErrorKind::Misaligned { value, align } => {
            out.extend_from_slice(b"offset 0x");
            hex_u32_min(out, value);
            out.extend_from_slice(b" is not ");
            uint(out, u64::from(align));
            out.extend_from_slice(b"-byte aligned");
        }
        DecodeErrorKind::Unterminated { value } => {
            out.extend_from_slice(b"string at offset 0x");
            hex_u32_min(out, value);
            out.extend_from_slice(b" is not NUL-terminated inside VarData");
        }
        _ => {
            // Writing into a Vec cannot fail.
            let _ = write!(out, "{kind}");
        }
    }
}

/// `"name":` as one static piece, so that a key costs one copy.
macro_rules! key {
    ($name:literal) => {
        concat!("\"", $name, "\":")
    };
}
use key;

/// An object or array being written: the opening bracket, a comma before every member but
/// the first, the closing bracket.
struct Seq {
    first: bool,
    close: u8,
}

impl Seq {
    #[inline]
    fn open(out: &mut Vec<u8>, open: u8, close: u8) -> Seq {
        out.push(open);
        Seq { first: true, close }
    }

    /// The comma before a member, unless it is the first.
    #[inline]
    fn item(&mut self, out: &mut Vec<u8>) {
        if !core::mem::replace(&mut self.first, false) {
            out.push(b',');
        }
    }

    #[inline]
    fn close(self, out: &mut Vec<u8>) {
        out.push(self.close);
    }
}

/// An object being written.
struct Obj(Seq);

impl Obj {
    #[inline]
    fn open(out: &mut Vec<u8>) -> Obj {
        Obj(Seq::open(out, b'{', b'}'))
    }

    /// `"key":` (from [`key!`]), after a comma unless first; keys are identifiers, never
    /// escaped.
    #[inline]
    fn key(&mut self, out: &mut Vec<u8>, quoted_key: &'static str) {
        self.0.item(out);
        out.extend_from_slice(quoted_key.as_bytes());
    }

    #[inline]
    fn close(self, out: &mut Vec<u8>) {
        self.0.close(out);
    }
}

/// An array being written.
struct Arr(Seq);

impl Arr {
    #[inline]
    fn open(out: &mut Vec<u8>) -> Arr {
        Arr(Seq::open(out, b'[', b']'))
    }

    #[inline]
    fn item(&mut self, out: &mut Vec<u8>) {
        self.0.item(out);
    }

    #[inline]
    fn close(self, out: &mut Vec<u8>) {
        self.0.close(out);
    }
}

#[inline]
fn null(out: &mut Vec<u8>) {
    out.extend_from_slice(b"null");
}

/// A value through serde_json (the rare parts).
fn serde<T: serde::Serialize>(out: &mut Vec<u8>, v: &T) {
    // Writing into a Vec cannot fail, and the models serialize without error.
    let _ = serde_json::to_writer(&mut *out, v);
}

/// An unsigned integer, as serde_json (itoa) writes it: a single digit (the most common
/// value, zero, among them) inline, the rest in [`uint_long`].
#[inline(always)]
fn uint(out: &mut Vec<u8>, v: u64) {
    if v < 10 {
        out.push(b'0' + v as u8);
    } else {
        uint_long(out, v);
    }
}

/// [`uint`] of two digits or more.
#[inline(never)]
fn uint_long(out: &mut Vec<u8>, v: u64) {
    if v < 100 {
        out.extend_from_slice(&DEC_PAIRS[v as usize]);
        return;
    }
    // Two digits at a time from a table, as itoa does, from the right end of the first 20
    // bytes of an array; then the 20 bytes from the first digit on are copied (a copy of
    // known size, without a call) and cut to the digits.
    let mut buf = [0u8; 40];
    let mut at = 20;
    let mut v = v;
    while v >= 100 {
        at -= 2;
        buf[at..at + 2].copy_from_slice(&DEC_PAIRS[(v % 100) as usize]);
        v /= 100;
    }
    if v >= 10 {
        at -= 2;
        buf[at..at + 2].copy_from_slice(&DEC_PAIRS[v as usize]);
    } else {
        at -= 1;
        buf[at] = b'0' + v as u8;
    }
    let len = out.len();
    if let Some(window) = buf.get(at..at + 20) {
        out.extend_from_slice(window);
    }
    out.truncate(len + (20 - at));
}

/// `00` to `99`.
const DEC_PAIRS: [[u8; 2]; 100] = {
    let mut t = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    t
};

#[inline]
fn opt_uint(out: &mut Vec<u8>, v: Option<u32>) {
    match v {
        Some(v) => uint(out, u64::from(v)),
        None => null(out),
    }
}

/// A signed integer.
#[inline]
fn int(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    uint(out, v.unsigned_abs());
}

/// Lower-case hex in quotes (never needs escaping): room for all the digits is reserved
/// once, and `faster_hex` fills the output 16 or 32 bytes a step where the CPU has SSE4.1 or
/// AVX2, a kilobyte of input at a time (each step's zeroing of the output stays a short
/// vector loop rather than a long string instruction).
#[inline]
fn hex_str(out: &mut Vec<u8>, bytes: &[u8]) {
    // A slice is at most isize::MAX bytes, so twice its length fits a usize; saturating
    // all the same, as the allocation would fail first.
    out.reserve(bytes.len().saturating_mul(2).saturating_add(2));
    out.push(b'"');
    for chunk in bytes.chunks(HEX_CHUNK) {
        let start = out.len();
        out.resize(start + 2 * chunk.len(), 0);
        // It fails only when the destination is shorter than twice the source: never here.
        let _ = faster_hex::hex_encode(chunk, &mut out[start..]);
    }
    out.push(b'"');
}

/// Input bytes hexed at a time by [`hex_str`]: 2 KiB of digits, the most glibc's `memset`
/// fills with vector stores before it switches to `rep stosb`.
const HEX_CHUNK: usize = 1024;

#[inline]
fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => null(out),
    }
}

/// [`name`], or `null`.
#[inline]
fn opt_name(out: &mut Vec<u8>, s: Option<&'static str>) {
    match s {
        Some(s) => name(out, s),
        None => null(out),
    }
}

/// A catalogue name (a field, packet or structure name: an identifier; a group's title or a
/// section number, which `tests::catalogue_texts_need_no_escaping` checks) as a JSON string,
/// without looking for bytes to escape, since an identifier has none.
#[inline]
fn name(out: &mut Vec<u8>, s: &'static str) {
    debug_assert!(!s.bytes().any(needs_escape), "{s:?} needs escaping");
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// Whether serde_json escapes this byte (control characters, `"` and `\`).
#[inline]
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// A JSON string, escaped as serde_json escapes it.
#[inline]
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escaped(out, s.as_bytes());
    out.push(b'"');
}

/// The bytes of a `str`, escaped as serde_json's `format_escaped_str_contents` does.
#[inline]
fn escaped(out: &mut Vec<u8>, s: &[u8]) {
    // Names and most text need nothing: one pass without early exit (which vectorizes),
    // then one copy.
    if !s.iter().fold(false, |any, &b| any | needs_escape(b)) {
        out.extend_from_slice(s);
        return;
    }
    escaped_slow(out, s);
}

#[cold]
fn escaped_slow(out: &mut Vec<u8>, s: &[u8]) {
    let mut start = 0;
    for (i, &b) in s.iter().enumerate() {
        if !needs_escape(b) {
            continue;
        }
        out.extend_from_slice(&s[start..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                out.extend_from_slice(b"\\u00");
                out.extend_from_slice(&HEX_PAIRS[usize::from(b)]);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(&s[start..]);
}

/// `v.to_string()` as a JSON string, formatted straight into `out` and escaped in place
/// when it has to be.
fn display_str(out: &mut Vec<u8>, v: &dyn Display) {
    out.push(b'"');
    let start = out.len();
    // Writing into a Vec cannot fail.
    let _ = write!(out, "{v}");
    escape_tail(out, start);
    out.push(b'"');
}

/// `display_str(out, s)` of a UTF-16 string (each unit pair decoded, an unpaired surrogate
/// as U+FFFD, as its `Display` does), without `core::fmt`.
fn utf16_str(out: &mut Vec<u8>, s: &Utf16Str<'_>) {
    out.push(b'"');
    let start = out.len();
    for c in s.chars() {
        let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
        if c.is_ascii() {
            out.push(c as u8);
        } else {
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }
    escape_tail(out, start);
    out.push(b'"');
}

/// `format!("{v:?}")` as a JSON string.
fn debug_str(out: &mut Vec<u8>, v: &dyn core::fmt::Debug) {
    out.push(b'"');
    let start = out.len();
    let _ = write!(out, "{v:?}");
    escape_tail(out, start);
    out.push(b'"');
}

/// Escapes `out[start..]` in place (rarely anything to do).
fn escape_tail(out: &mut Vec<u8>, start: usize) {
    if out[start..]
        .iter()
        .fold(false, |any, &b| any | needs_escape(b))
    {
        let tail = out.split_off(start);
        escaped(out, &tail);
    }
}

// ---------------------------------------------------------------------------------------------
// The text of `trp pcap`.

/// The escape codes `trp pcap` wraps around headings (bold) and names (cyan): a
/// `(before, after)` pair for each, empty for plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextStyle<'s> {
    /// Around `frame N` and the names of members that hold objects or arrays.
    pub heading: (&'s str, &'s str),
    /// Around `interface.method` and the names of members that hold a value.
    pub name: (&'s str, &'s str),
}

/// Writes `trp pcap`'s text of calls: for each side the members of its JSON object
/// ([`write_call`]'s bytes, which are `CallJson`'s) one per line, objects and arrays
/// indented under their name, values as JSON (a ClientRequest stub that decodes is written
/// straight from its view, in the same order and bytes; anything else, and a returned
/// structure, through the JSON), after removing what the text shows otherwise
/// (`frame`; `pBuffer.hex` and `pBuffer.tapi32_msg`, printed as the request's own text;
/// `kind`, `group`, `section`, `fields` and `var_data` of a reply). Members are removed as
/// `serde_json::Map::remove` removes them with `preserve_order` (the last member takes the
/// removed one's place), which is the order the text has always had.
///
/// Holds the buffers it reuses, so that a call costs no allocation once they have grown.
#[derive(Debug, Default)]
pub struct TextWriter {
    /// Whether something written since [`TextWriter::take_not_plain`] last ran may be other
    /// than printable ASCII and line feeds.
    not_plain: bool,
    json: Vec<u8>,
    /// Where each object or array of `json` starts and ends, in the order they open.
    spans: Vec<(usize, usize)>,
    open: Vec<usize>,
    members: Vec<(usize, usize, usize, usize)>,
}

/// Members removed from an object before it is printed, by where the object is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edit {
    None,
    Side,
    Params,
    Buffer,
    Reply,
}

impl Edit {
    /// The removals, in the order they are made.
    fn removed(self) -> &'static [&'static str] {
        match self {
            Edit::Side => &["frame"],
            Edit::Buffer => &["tapi32_msg", "hex"],
            Edit::Reply => &["kind", "group", "section", "fields", "var_data"],
            Edit::None | Edit::Params => &[],
        }
    }

    /// Where the object under `key` is.
    fn child(self, key: &[u8]) -> Edit {
        match (self, key) {
            (Edit::Side, b"params") => Edit::Params,
            (Edit::Params, b"pBuffer") => Edit::Buffer,
            (Edit::Buffer, b"reply") => Edit::Reply,
            _ => Edit::None,
        }
    }
}

impl TextWriter {
    /// A writer with empty buffers.
    pub fn new() -> TextWriter {
        TextWriter::default()
    }

    /// Whether the text written since the last call (or since the writer was made) may hold
    /// anything but printable ASCII and line feeds (see [`plain_text`]); then forgets it.
    /// `false` means that [`plain_text`] holds for all of it: the text is laid out from the
    /// catalogue's names (ASCII), numbers and hex, and what can come from the capture (a
    /// pipe's name, strings, error texts, whatever is printed through a JSON object) or a
    /// non-empty [`TextStyle`] is checked or counted as it is written. So a caller that must
    /// strip what is not plain text need not scan the output.
    pub fn take_not_plain(&mut self) -> bool {
        core::mem::take(&mut self.not_plain)
    }

    /// Notes whether `out[from..]` (written from something other than the catalogue,
    /// numbers and hex) is plain text.
    #[inline]
    fn check(&mut self, out: &[u8], from: usize) {
        self.not_plain |= !plain_text(out.get(from..).unwrap_or_default());
    }

    /// Appends the text of `call` to `out`: a header line, the request, the TAPI32_MSG of a
    /// ClientRequest as [`Request`]'s `Display` writes it, the response (or fault), and an
    /// empty line.
    pub fn write_call(&mut self, call: &Call, style: &TextStyle<'_>, out: &mut Vec<u8>) {
        let (h0, h1) = style.heading;
        let (n0, n1) = style.name;
        let pipe = match &call.carrier {
            Carrier::Smb2Pipe(Some(p)) => p.as_str(),
            _ => "",
        };
        // The escapes of a style are not plain text; a pipe's name comes from the capture.
        self.not_plain |= *style != TextStyle::default() || !plain_text(pipe.as_bytes());
        out.extend_from_slice(h0.as_bytes());
        out.extend_from_slice(b"frame ");
        uint(out, call.frame);
        out.extend_from_slice(h1.as_bytes());
        out.extend_from_slice(b"  ");
        socket_addr(out, &call.src);
        out.extend_from_slice(b" -> ");
        socket_addr(out, &call.dst);
        out.extend_from_slice(b"  ");
        out.extend_from_slice(call.carrier.name().as_bytes());
        if !pipe.is_empty() {
            out.extend_from_slice(b" \\pipe\\");
            out.extend_from_slice(pipe.as_bytes());
        }
        out.extend_from_slice(b"  call_id ");
        uint(out, u64::from(call.call_id));
        out.extend_from_slice(b"  ");
        out.extend_from_slice(n0.as_bytes());
        out.extend_from_slice(call.interface().map_or("unknown", |i| i.name()).as_bytes());
        out.push(b'.');
        out.extend_from_slice(call.info.method.map_or("?", |m| m.name()).as_bytes());
        out.extend_from_slice(n1.as_bytes());
        out.extend_from_slice(b" (opnum ");
        uint(out, u64::from(call.info.opnum.unwrap_or(0)));
        out.extend_from_slice(b")\n  request:\n");
        // The TAPI32_MSG of a ClientRequest that decodes, from the side's own decoding.
        let msg = self.side(
            call,
            Direction::Request,
            call.frame,
            &call.request,
            style,
            out,
        );
        if let Some(msg) = msg {
            request_text(self, &msg, out);
        }
        match &call.answer {
            Some(a) => match a.fault {
                Some(status) => {
                    out.extend_from_slice(b"  fault 0x");
                    hex_u32_08(out, status.value());
                    out.push(b' ');
                    out.extend_from_slice(status.name().unwrap_or("").as_bytes());
                    out.push(b'\n');
                }
                None => {
                    out.extend_from_slice(b"  response (frame ");
                    uint(out, a.frame);
                    out.extend_from_slice(b"):\n");
                    self.side(call, Direction::Response, a.frame, &a.stub, style, out);
                }
            },
            None => out.extend_from_slice(b"  no response in the capture\n"),
        }
        out.push(b'\n');
    }

    /// One side at indent 4: a ClientRequest stub that decodes straight from its view (the
    /// members in the order the generic path prints them), anything else through its JSON
    /// object ([`TextWriter::side_from_json`]).
    ///
    /// Returns the TAPI32_MSG of a ClientRequest request stub when it decodes.
    fn side<'s>(
        &mut self,
        call: &Call,
        direction: Direction,
        frame: u64,
        stub: &'s [u8],
        style: &TextStyle<'_>,
        out: &mut Vec<u8>,
    ) -> Option<Request<'s>> {
        if let (Some(method @ methods::Method::ClientRequest), Some(syntax)) =
            (call.info.method, call.syntax())
        {
            match methods::decode(method, direction, syntax, stub) {
                Ok(Stub::ClientRequestRequest(s)) => {
                    // The side's members once `frame` is removed: `syntax` took its place.
                    name_line(out, 4, "syntax", style);
                    string(out, syntax.name());
                    out.push(b'\n');
                    heading_line(out, 4, "params", style);
                    name_line(out, 6, "phContext", style);
                    hex_str(out, &s.ph_context().to_bytes());
                    out.push(b'\n');
                    buffer_text(&s.p_buffer(), style, out);
                    // `tapi32_msg` is removed (it is printed as the request's text); an
                    // `error` takes the removed `hex`'s place.
                    let msg = match s.tapi32_msg() {
                        Ok(msg) => Some(msg),
                        Err(e) => {
                            heading_line(out, 8, "error", style);
                            decode_error_text(out, 10, &e, style);
                            None
                        }
                    };
                    name_line(out, 6, "lNeededSize", style);
                    int(out, i64::from(s.l_needed_size()));
                    out.push(b'\n');
                    name_line(out, 6, "plUsedSize", style);
                    int(out, i64::from(s.pl_used_size()));
                    out.push(b'\n');
                    return msg.filter(|_| direction == Direction::Request);
                }
                Ok(Stub::ClientRequestResponse(s)) => {
                    name_line(out, 4, "syntax", style);
                    string(out, syntax.name());
                    out.push(b'\n');
                    heading_line(out, 4, "params", style);
                    buffer_text(&s.p_buffer(), style, out);
                    // What the buffer decodes to takes the removed `hex`'s place.
                    let context = CallContext::from(&call.info);
                    let needed = context.l_needed_size.map(|n| s.check_l_needed_size(n));
                    match needed {
                        Some(Err(e)) => {
                            heading_line(out, 8, "error", style);
                            let at = out.len();
                            error_text(out, 10, &ndr_error_json(&e), style);
                            self.check(out, at);
                        }
                        _ => match context.req_func.map(|f| (f, FuncId::from_u32(f))) {
                            Some((_, Some(func))) => match s.reply(func) {
                                Ok(r) => {
                                    heading_line(out, 8, "reply", style);
                                    self.reply(&r, context.api_version, style, out);
                                }
                                Err(e) => {
                                    heading_line(out, 8, "error", style);
                                    decode_error_text(out, 10, &e, style);
                                }
                            },
                            Some((f, None)) => {
                                heading_line(out, 8, "error", style);
                                let e = super::rpc::unknown_function_error(f);
                                let at = out.len();
                                error_text(out, 10, &e, style);
                                self.check(out, at);
                            }
                            None => {}
                        },
                    }
                    name_line(out, 6, "plUsedSize", style);
                    int(out, i64::from(s.pl_used_size()));
                    out.push(b'\n');
                    return None;
                }
                _ => {}
            }
        }
        let at = out.len();
        self.side_from_json(call, direction, frame, stub, style, out);
        self.check(out, at);
        None
    }

    /// A reply at indent 10, once `kind`, `group`, `section`, `fields` and `var_data` are
    /// removed: `outputs`, `name`, `return_value`, `result`, `req_func`.
    fn reply(
        &mut self,
        r: &Reply<'_>,
        version: Option<Version>,
        style: &TextStyle<'_>,
        out: &mut Vec<u8>,
    ) {
        let desc = r.desc();
        heading_line(out, 10, "outputs", style);
        for (i, output) in pointing_outputs(*r, pointing_roles(r)).enumerate() {
            spaces(out, 12);
            out.push(b'[');
            uint(out, i as u64);
            out.extend_from_slice(b"]\n");
            name_line(out, 14, "field", style);
            name(out, output.field.name);
            out.push(b'\n');
            name_line(out, 14, "offset", style);
            uint(out, u64::from(output.raw));
            out.push(b'\n');
            let present = match output.data {
                Ok(None) => {
                    name_line(out, 14, "absent", style);
                    out.extend_from_slice(b"true\n");
                    None
                }
                Ok(Some(bytes)) => {
                    name_line(out, 14, "size", style);
                    uint(out, bytes.len() as u64);
                    out.push(b'\n');
                    name_line(out, 14, "hex", style);
                    hex_str(out, bytes);
                    out.push(b'\n');
                    Some(bytes)
                }
                Err(ref e) => {
                    heading_line(out, 14, "error", style);
                    decode_error_text(out, 16, e, style);
                    None
                }
            };
            if let (Some(b), ReplyRole::Structure { name }) = (present, output.role) {
                let decoded = match version {
                    Some(version) => decode_any_with(name, b, version),
                    None => decode_any(name, b),
                };
                // The structure through its JSON object (the generic path).
                self.json.clear();
                match decoded {
                    Some(Ok(s)) => structure(&s.raw(), &mut self.json),
                    Some(Err(e)) => {
                        let mut e_obj = Obj::open(&mut self.json);
                        e_obj.key(&mut self.json, key!("error"));
                        decode_error(&mut self.json, &e);
                        e_obj.close(&mut self.json);
                    }
                    None => {
                        name_line(out, 14, "structure", style);
                        out.extend_from_slice(b"null\n");
                        continue;
                    }
                }
                heading_line(out, 14, "structure", style);
                let json = core::mem::take(&mut self.json);
                index_containers(&json, &mut self.spans, &mut self.open);
                let mut pos = 0;
                let at = out.len();
                self.value(&json, &mut pos, 16, Edit::None, style, out);
                self.check(out, at);
                self.json = json;
            }
        }
        name_line(out, 10, "name", style);
        string(out, desc.name);
        out.push(b'\n');
        name_line(out, 10, "return_value", style);
        uint(out, u64::from(r.dwords()[0]));
        out.push(b'\n');
        name_line(out, 10, "result", style);
        string(out, r.return_value().result_name());
        out.push(b'\n');
        name_line(out, 10, "req_func", style);
        uint(out, u64::from(desc.func as u32));
        out.push(b'\n');
    }

    /// One side through its JSON object, printed at indent 4.
    fn side_from_json(
        &mut self,
        call: &Call,
        direction: Direction,
        frame: u64,
        stub: &[u8],
        style: &TextStyle<'_>,
        out: &mut Vec<u8>,
    ) {
        self.json.clear();
        side(call, direction, frame, stub, Text, &mut self.json);
        let json = core::mem::take(&mut self.json);
        index_containers(&json, &mut self.spans, &mut self.open);
        let mut pos = 0;
        skip_ws(&json, &mut pos);
        if json.get(pos) == Some(&b'{') {
            self.object(&json, &mut pos, 4, Edit::Side, style, out);
        }
        self.json = json;
    }

    /// The members of the object at `*pos` (its `{`), each on its own line(s).
    fn object(
        &mut self,
        json: &[u8],
        pos: &mut usize,
        indent: usize,
        edit: Edit,
        style: &TextStyle<'_>,
        out: &mut Vec<u8>,
    ) {
        // Collect (key start, key end, value start, value end) of every member.
        let base = self.members.len();
        *pos += 1;
        loop {
            skip_ws(json, pos);
            match json.get(*pos) {
                Some(b'"') => {}
                _ => {
                    *pos += 1;
                    break;
                }
            }
            let k0 = *pos + 1;
            self.skip_value(json, pos);
            let k1 = *pos - 1;
            skip_ws(json, pos);
            *pos += 1; // ':'
            skip_ws(json, pos);
            let v0 = *pos;
            self.skip_value(json, pos);
            self.members.push((k0, k1, v0, *pos));
            skip_ws(json, pos);
            if json.get(*pos) == Some(&b',') {
                *pos += 1;
            }
        }
        for removed in edit.removed() {
            let found = self.members[base..]
                .iter()
                .position(|m| json.get(m.0..m.1) == Some(removed.as_bytes()));
            if let Some(i) = found {
                self.members.swap_remove(base + i);
            }
        }
        let end = self.members.len();
        for i in base..end {
            let (k0, k1, v0, _) = self.members[i];
            let key = json.get(k0..k1).unwrap_or_default();
            match json.get(v0) {
                Some(b'{') | Some(b'[') => {
                    member_name(out, indent, key, style.heading);
                    out.extend_from_slice(b":\n");
                    let mut p = v0;
                    self.value(json, &mut p, indent + 2, edit.child(key), style, out);
                }
                _ => {
                    member_name(out, indent, key, style.name);
                    out.extend_from_slice(b": ");
                    self.scalar(json, i, out);
                    out.push(b'\n');
                }
            }
        }
        self.members.truncate(base);
    }

    /// Moves `*pos` past the JSON value that starts there: an object or array through the
    /// spans indexed once per side (so that nested containers are not rescanned at every
    /// level), anything else by scanning it.
    fn skip_value(&self, json: &[u8], pos: &mut usize) {
        if let Some(b'{' | b'[') = json.get(*pos) {
            match self.spans.binary_search_by_key(pos, |&(open, _)| open) {
                Ok(i) => *pos = self.spans[i].1,
                Err(_) => *pos = json.len(),
            }
        } else {
            skip_scalar(json, pos);
        }
    }

    /// The scalar value of member `i` (a JSON string, number, `true`, `false` or `null`),
    /// as `serde_json::Value`'s `Display` writes it: the same bytes as [`write_call`]'s.
    fn scalar(&self, json: &[u8], i: usize, out: &mut Vec<u8>) {
        let (_, _, v0, v1) = self.members[i];
        out.extend_from_slice(json.get(v0..v1).unwrap_or_default());
    }

    /// An object's members, an array's items (`[i]` then the item indented), or a value.
    fn value(
        &mut self,
        json: &[u8],
        pos: &mut usize,
        indent: usize,
        edit: Edit,
        style: &TextStyle<'_>,
        out: &mut Vec<u8>,
    ) {
        match json.get(*pos) {
            Some(b'{') => self.object(json, pos, indent, edit, style, out),
            Some(b'[') => {
                *pos += 1;
                let mut i = 0u64;
                loop {
                    skip_ws(json, pos);
                    match json.get(*pos) {
                        Some(b']') | None => {
                            *pos += 1;
                            break;
                        }
                        _ => {}
                    }
                    spaces(out, indent);
                    out.push(b'[');
                    uint(out, i);
                    out.extend_from_slice(b"]\n");
                    self.value(json, pos, indent + 2, Edit::None, style, out);
                    i += 1;
                    skip_ws(json, pos);
                    if json.get(*pos) == Some(&b',') {
                        *pos += 1;
                    }
                }
            }
            _ => {
                let v0 = *pos;
                self.skip_value(json, pos);
                spaces(out, indent);
                out.extend_from_slice(json.get(v0..*pos).unwrap_or_default());
                out.push(b'\n');
            }
        }
    }
}

/// Whether `bytes` are all printable ASCII (space to `~`) or line feeds: text that a
/// terminal shows as it is, with nothing to strip. One pass without early exit, which
/// vectorizes.
pub fn plain_text(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |ok, &b| {
        ok & (b.wrapping_sub(b' ') < 0x5f || b == b'\n')
    })
}

/// `indent` spaces, the name of a member holding a value in the name style, `: `.
#[inline(always)]
fn name_line(out: &mut Vec<u8>, indent: usize, key: &str, style: &TextStyle<'_>) {
    styled_key(out, indent, key, style.name, b": ");
}

/// `indent` spaces, the name of a member holding an object or array in the heading style,
/// `:` and the end of the line.
#[inline(always)]
fn heading_line(out: &mut Vec<u8>, indent: usize, key: &str, style: &TextStyle<'_>) {
    styled_key(out, indent, key, style.heading, b":\n");
}

/// `indent` spaces, `key` between the escapes that open and close a style, then `after`.
#[inline(always)]
fn styled_key(
    out: &mut Vec<u8>,
    indent: usize,
    key: &str,
    (open, close): (&str, &str),
    after: &[u8],
) {
    spaces(out, indent);
    // Plain text has no escapes: no copies of nothing.
    if !open.is_empty() {
        out.extend_from_slice(open.as_bytes());
    }
    out.extend_from_slice(key.as_bytes());
    if !close.is_empty() {
        out.extend_from_slice(close.as_bytes());
    }
    out.extend_from_slice(after);
}

/// `n` spaces: up to sixteen as one copy of known size (no call) cut to `n`.
#[inline(always)]
fn spaces(out: &mut Vec<u8>, n: usize) {
    const SPACES: [u8; 16] = [b' '; 16];
    if n <= SPACES.len() {
        let len = out.len();
        out.extend_from_slice(&SPACES);
        out.truncate(len + n);
    } else {
        out.resize(out.len() + n, b' ');
    }
}

/// A `pBuffer` at indent 6 once `hex` and `tapi32_msg` are removed: its heading and counts.
fn buffer_text(a: &ConformantVarying<'_>, style: &TextStyle<'_>, out: &mut Vec<u8>) {
    heading_line(out, 6, "pBuffer", style);
    name_line(out, 8, "max_count", style);
    uint(out, a.max_count);
    out.push(b'\n');
    name_line(out, 8, "offset", style);
    uint(out, a.offset);
    out.push(b'\n');
    name_line(out, 8, "actual_count", style);
    uint(out, a.actual_count);
    out.push(b'\n');
}

/// An `ErrorJson`'s members at `indent`.
fn error_text(out: &mut Vec<u8>, indent: usize, e: &ErrorJson, style: &TextStyle<'_>) {
    name_line(out, indent, "kind", style);
    string(out, &e.kind);
    out.push(b'\n');
    name_line(out, indent, "packet", style);
    string(out, &e.packet);
    out.push(b'\n');
    name_line(out, indent, "field", style);
    string(out, &e.field);
    out.push(b'\n');
    name_line(out, indent, "offset", style);
    uint(out, e.offset as u64);
    out.push(b'\n');
    name_line(out, indent, "message", style);
    string(out, &e.message);
    out.push(b'\n');
}

/// [`error_text`] of `ErrorJson::from(e)`, without building it.
fn decode_error_text(out: &mut Vec<u8>, indent: usize, e: &DecodeError, style: &TextStyle<'_>) {
    name_line(out, indent, "kind", style);
    string(out, e.kind_name());
    out.push(b'\n');
    name_line(out, indent, "packet", style);
    string(out, e.packet);
    out.push(b'\n');
    name_line(out, indent, "field", style);
    string(out, e.field);
    out.push(b'\n');
    name_line(out, indent, "offset", style);
    uint(out, e.offset as u64);
    out.push(b'\n');
    name_line(out, indent, "message", style);
    decode_error_message(out, e);
    out.push(b'\n');
}

/// `indent` spaces, then a member's name in `style`: the key as the object holds it (keys
/// are identifiers, so their JSON form is their text; one with an escape is decoded).
fn member_name(out: &mut Vec<u8>, indent: usize, key: &[u8], (s0, s1): (&str, &str)) {
    spaces(out, indent);
    out.extend_from_slice(s0.as_bytes());
    if key.contains(&b'\\') {
        let mut quoted = Vec::with_capacity(key.len() + 2);
        quoted.push(b'"');
        quoted.extend_from_slice(key);
        quoted.push(b'"');
        let text: alloc::string::String = serde_json::from_slice(&quoted).unwrap_or_default();
        out.extend_from_slice(text.as_bytes());
    } else {
        out.extend_from_slice(key);
    }
    out.extend_from_slice(s1.as_bytes());
}

#[inline]
fn skip_ws(json: &[u8], pos: &mut usize) {
    while matches!(json.get(*pos), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        *pos += 1;
    }
}

/// Records where every object and array of `json` opens and where it ends (one past its
/// closing bracket), in opening order; brackets inside strings are skipped.
fn index_containers(json: &[u8], spans: &mut Vec<(usize, usize)>, open: &mut Vec<usize>) {
    spans.clear();
    open.clear();
    let mut pos = 0;
    while let Some(&b) = json.get(pos) {
        match b {
            b'"' => {
                skip_scalar(json, &mut pos);
                continue;
            }
            b'{' | b'[' => {
                open.push(spans.len());
                spans.push((pos, json.len()));
            }
            b'}' | b']' => {
                if let Some(i) = open.pop() {
                    spans[i].1 = pos + 1;
                }
            }
            _ => {}
        }
        pos += 1;
    }
}

/// Moves `*pos` past the string, number or literal that starts there (the writer's own,
/// well-formed output; on anything else it stops at the end).
fn skip_scalar(json: &[u8], pos: &mut usize) {
    if json.get(*pos) == Some(&b'"') {
        *pos += 1;
        while let Some(&b) = json.get(*pos) {
            *pos += 1;
            match b {
                b'"' => return,
                b'\\' => *pos += 1,
                _ => {}
            }
        }
        return;
    }
    while let Some(&b) = json.get(*pos) {
        if matches!(b, b',' | b'}' | b']' | b':' | b' ' | b'\n' | b'\r' | b'\t') {
            return;
        }
        *pos += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// The TAPI32_MSG of a request as text, without `core::fmt`.

/// Appends the text of `r` as [`Request`]'s `Display` writes it, every line prefixed with
/// four spaces (as `trp pcap` indents it): the same bytes, written without the formatting
/// machinery (`tests/json_writer.rs` compares them with `Display` on every sample). Rare
/// parts (a string with characters `Debug` escapes, a reference's error) go through
/// `core::fmt` as `Display` writes them.
fn request_text(w: &mut TextWriter, r: &Request<'_>, out: &mut Vec<u8>) {
    let desc = r.desc();
    let dwords = r.dwords();
    out.extend_from_slice(b"    ");
    match desc {
        Some(d) => {
            out.extend_from_slice(d.name.as_bytes());
            out.extend_from_slice(b" (");
            out.extend_from_slice(d.group.title().as_bytes());
            out.extend_from_slice(b", [MS-TRP] ");
            out.extend_from_slice(d.section.as_bytes());
            out.extend_from_slice(b"), Req_Func ");
        }
        None => out.extend_from_slice(b"Unknown (Req_Func "),
    }
    uint(out, u64::from(dwords[0]));
    if desc.is_none() {
        out.extend_from_slice(b" is not documented by [MS-TRP]");
        if let Some(k) = crate::requests::known_as::known_as(dwords[0]) {
            out.extend_from_slice(b"; known as ");
            out.extend_from_slice(k.name.as_bytes());
        }
        out.push(b')');
    }
    out.extend_from_slice(b", ");
    uint(out, r.len() as u64);
    out.extend_from_slice(b" bytes\n");
    for (i, (name, v)) in r.field_names().iter().zip(dwords).enumerate() {
        field_line_head(out, 4 * i, name, v);
        let role = desc
            .and_then(|d| d.fields.get(i))
            .map_or(Role::Value, |f| f.role);
        match role {
            Role::ReqFunc => {
                out.extend_from_slice(b"  (");
                out.extend_from_slice(desc.map_or("Unknown", |d| d.ident).as_bytes());
                out.push(b')');
            }
            Role::Handle(h) => {
                out.extend_from_slice(b"  ");
                out.extend_from_slice(h.spec_name().as_bytes());
            }
            Role::Version if v != ABSENT => {
                let v = Version(v);
                out.extend_from_slice(b"  version ");
                uint(out, u64::from(v.major()));
                out.push(b'.');
                uint(out, u64::from(v.minor()));
            }
            Role::String { .. } | Role::Bytes { .. } | Role::Structure { .. } if v == ABSENT => {
                out.extend_from_slice(b"  (absent)");
            }
            Role::Structure { name, .. } => {
                out.extend_from_slice(b"  -> ");
                out.extend_from_slice(name.as_bytes());
            }
            Role::OutSize { structure } => {
                out.extend_from_slice(b"  (size of ");
                out.extend_from_slice(structure.as_bytes());
                out.extend_from_slice(b" buffer)");
            }
            _ if v > 9 && v != ABSENT => {
                out.extend_from_slice(b"  (");
                uint(out, u64::from(v));
                out.push(b')');
            }
            _ => {}
        }
        out.push(b'\n');
    }
    for reference in r.references() {
        out.extend_from_slice(b"      ");
        out.extend_from_slice(reference.field.name.as_bytes());
        out.extend_from_slice(b" -> ");
        // Writing into a Vec cannot fail.
        match reference.value {
            Ok(None) => out.extend_from_slice(b"absent"),
            Ok(Some(Resolved::Str(s))) => {
                let bytes = s.as_bytes();
                // `Debug` writes printable ASCII other than quotes and `\` as it is.
                let plain = bytes.chunks_exact(2).fold(true, |ok, u| {
                    ok & (u[1] == 0
                        && (0x20..0x7f).contains(&u[0])
                        && !matches!(u[0], b'"' | b'\'' | b'\\'))
                });
                if plain {
                    out.extend_from_slice(b"u\"");
                    out.extend(bytes.chunks_exact(2).map(|u| u[0]));
                    out.extend_from_slice(b"\" (");
                    uint(out, s.len() as u64);
                    out.extend_from_slice(b" chars)");
                } else {
                    let at = out.len();
                    let _ = write!(out, "{:?} ({} chars)", s, s.len());
                    w.check(out, at);
                }
            }
            Ok(Some(v)) => {
                uint(out, v.as_bytes().len() as u64);
                out.extend_from_slice(b" bytes at VarData+0x");
                hex_u32_min(out, reference.raw);
            }
            Err(e) => {
                let at = out.len();
                let _ = write!(out, "ERROR {}", e.kind);
                w.check(out, at);
            }
        }
        out.push(b'\n');
    }
    let var = r.var_data().as_bytes();
    out.extend_from_slice(b"      VarData: ");
    uint(out, var.len() as u64);
    out.extend_from_slice(b" bytes at offset ");
    uint(out, HEADER_LEN as u64);
    out.push(b'\n');
    // `hexdump`: 16 bytes a line, a run of identical full lines shown once, then `*`.
    let mut previous: Option<&[u8]> = None;
    let mut squeezed = false;
    for (i, line) in var.chunks(16).enumerate() {
        // Compared as 16-byte arrays (no call); a shorter last line is never squeezed.
        let same = match (previous, <&[u8; 16]>::try_from(line)) {
            (Some(p), Ok(l)) => <&[u8; 16]>::try_from(p).is_ok_and(|p| p == l),
            _ => false,
        };
        if same {
            if !squeezed {
                out.extend_from_slice(b"        *\n");
                squeezed = true;
            }
            continue;
        }
        previous = Some(line);
        squeezed = false;
        out.extend_from_slice(b"        ");
        // `{:04x}`: at least four digits.
        let offset = (16 * i) as u64;
        let digits = (64 - offset.leading_zeros()).div_ceil(4).max(4);
        for d in (0..digits).rev() {
            out.push(HEX_DIGITS[((offset >> (4 * d)) & 0xf) as usize]);
        }
        out.push(b':');
        let start = out.len();
        out.resize(start + 3 * line.len(), b' ');
        for (cell, &b) in out[start..].chunks_exact_mut(3).zip(line) {
            cell[1..].copy_from_slice(&HEX_PAIRS[usize::from(b)]);
        }
        out.push(b'\n');
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// `      @{offset:<3} {name:<30} 0x{value:08x}` of a request's field line: laid out in a
/// fixed array and copied whole when the offset has at most three digits and the name is
/// ASCII of at most 30 bytes (every catalogue name), else piece by piece.
#[inline]
fn field_line_head(out: &mut Vec<u8>, offset: usize, name: &str, v: u32) {
    const LINE: usize = 7 + 3 + 1 + 30 + 3 + 8;
    const NAME_AT: usize = 11;
    const VALUE_AT: usize = LINE - 8;
    if offset < 1000 && name.len() <= 30 && name.is_ascii() {
        let mut line = [b' '; LINE];
        line[6] = b'@';
        let (hundreds, rest) = (offset / 100, offset % 100);
        let digits: &[u8] = if hundreds > 0 {
            line[7] = b'0' + hundreds as u8;
            &DEC_PAIRS[rest]
        } else if rest >= 10 {
            &DEC_PAIRS[rest]
        } else {
            &DEC_PAIRS[rest][1..]
        };
        let at = 7 + usize::from(hundreds > 0);
        line[at..at + digits.len()].copy_from_slice(digits);
        line[NAME_AT..NAME_AT + name.len()].copy_from_slice(name.as_bytes());
        line[VALUE_AT - 2..VALUE_AT].copy_from_slice(b"0x");
        for (pair, b) in line[VALUE_AT..].chunks_exact_mut(2).zip(v.to_be_bytes()) {
            pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
        }
        out.extend_from_slice(&line);
        return;
    }
    out.extend_from_slice(b"      @");
    // `{:<3}` and `{:<30}`: padded with spaces to that many characters.
    let at = out.len();
    uint(out, offset as u64);
    pad_to(out, at, 3);
    out.push(b' ');
    out.extend_from_slice(name.as_bytes());
    let chars = name.chars().count();
    out.resize(out.len() + 30usize.saturating_sub(chars), b' ');
    out.extend_from_slice(b" 0x");
    hex_u32_08(out, v);
}

/// Pads what was written since `start` with spaces to `width` bytes (`{:<width}` of ASCII).
#[inline]
fn pad_to(out: &mut Vec<u8>, start: usize, width: usize) {
    let written = out.len() - start;
    if written < width {
        out.resize(start + width, b' ');
    }
}

/// `{:08x}` of a `u32`.
#[inline]
fn hex_u32_08(out: &mut Vec<u8>, v: u32) {
    for b in v.to_be_bytes() {
        out.extend_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
}

/// `{:x}` of a `u32`: no leading zeros, `0` for zero.
#[inline]
fn hex_u32_min(out: &mut Vec<u8>, v: u32) {
    let digits = (32 - v.leading_zeros()).div_ceil(4).max(1);
    for d in (0..digits).rev() {
        out.push(HEX_DIGITS[((v >> (4 * d)) & 0xf) as usize]);
    }
}

/// A socket address as its `Display` writes it (`a.b.c.d:port` by hand; IPv6 through
/// `core::fmt`), which never needs JSON escaping.
fn socket_addr(out: &mut Vec<u8>, a: &std::net::SocketAddr) {
    match a {
        std::net::SocketAddr::V4(a) => {
            for (i, b) in a.ip().octets().into_iter().enumerate() {
                if i > 0 {
                    out.push(b'.');
                }
                uint(out, u64::from(b));
            }
            out.push(b':');
            uint(out, u64::from(a.port()));
        }
        std::net::SocketAddr::V6(_) => {
            // Writing into a Vec cannot fail.
            let _ = write!(out, "{a}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::FuncId;

    /// The kinds written by hand are their `Display`, over edge values.
    #[test]
    fn decode_error_kinds_match_their_display() {
        let values = [0u32, 1, 9, 10, 15, 16, 99, 100, 255, 4096, 65_535, u32::MAX];
        let lens = [0usize, 1, 9, 10, 60, 1024, usize::MAX];
        let mut kinds = Vec::new();
        for &value in &values {
            kinds.push(DecodeErrorKind::Unterminated { value });
            for &len in &lens {
                kinds.push(DecodeErrorKind::OffsetOutOfBounds { value, len });
            }
            for &size in &values {
                kinds.push(DecodeErrorKind::Overflow { value, size });
                kinds.push(DecodeErrorKind::Misaligned { value, align: size });
                for &len in &lens {
                    kinds.push(DecodeErrorKind::SizeOutOfBounds { value, size, len });
                }
            }
        }
        // And one that goes through `core::fmt`.
        kinds.push(DecodeErrorKind::Truncated {
            needed: 60,
            actual: 7,
        });
        for kind in kinds {
            let mut out = b"x".to_vec();
            decode_error_kind(&mut out, &kind);
            assert_eq!(out[1..], *format!("{kind}").as_bytes(), "{kind:?}");
        }
    }

    /// Integers as `Display` writes them, at every length.
    #[test]
    fn uint_writes_every_length() {
        let mut values = vec![0u64, 9, 10, 99, 100, 101, 999, 1000, u64::MAX];
        let mut p = 1u64;
        while let Some(next) = p.checked_mul(10) {
            values.extend([p - 1, p, p + 1, next - 1]);
            p = next;
        }
        for v in values {
            let mut out = b"x".to_vec();
            uint(&mut out, v);
            assert_eq!(out[1..], *v.to_string().as_bytes(), "{v}");
        }
    }

    /// What [`name`] writes unescaped: every function's name, group title, section and field
    /// names.
    #[test]
    fn catalogue_texts_need_no_escaping() {
        for f in FuncId::ALL {
            let d = f.desc();
            let texts = [d.name, d.group.title(), d.section];
            for t in texts.into_iter().chain(d.fields.iter().map(|f| f.name)) {
                assert!(!t.bytes().any(needs_escape), "{f:?}: {t:?}");
            }
        }
    }

    /// A layout writes what the objects written one by one would be.
    #[test]
    fn fields_layout_writes_each_field_object() {
        let names = core::array::from_fn(|i| ["Req_Func", "dwA", "lpB"][i % 3]);
        let dwords: [u32; HEADER_DWORDS] =
            core::array::from_fn(|i| [0, 7, 10, 99, 100, 65_537, u32::MAX][i % 7]);
        let roles = core::array::from_fn(|i| {
            [Some(ReplyRole::ReturnValue), Some(ReplyRole::Filled), None][i % 3]
        });
        for roles in [None, Some(roles)] {
            let mut expected = String::from("[");
            for i in 0..HEADER_DWORDS {
                if i > 0 {
                    expected.push(',');
                }
                expected += &format!(
                    "{{\"name\":\"{}\",\"offset\":{},\"value\":{}",
                    names[i],
                    4 * i,
                    dwords[i]
                );
                if roles.is_some() {
                    expected += [
                        ",\"role\":\"return_value\"",
                        ",\"role\":\"filled\"",
                        ",\"role\":\"echo\"",
                    ][i % 3];
                }
                expected.push('}');
            }
            expected.push(']');
            let mut out = Vec::new();
            FieldsLayout::new(names, |i| 4 * i as u64, roles).write(&mut out, &dwords);
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }
}
