//! Request sequences from the session model, and the sequence file format.
//!
//! [`valid`] drives a [`ClientSession`] against an in-process [`ServerSession`]
//! ([`ServerConfig::default`], attached in the pull model as [`attach_kind`] says): every
//! request is built by the client from the handles and request ids the server returned, so the
//! sequence is valid by construction, and in the pull model every asynchronous request is
//! followed by GetAsyncEvents calls until its completion came back (4.1, 4.3). [`mutate`]
//! applies one mutation point ([`Mutation`]): an undocumented `Req_Func` inserted with live
//! handles, a request replayed after its handle was closed, a dropped step, two steps
//! swapped.
//!
//! A sequence file is a series of records `[u32 little-endian length][TAPI32_MSG bytes]`, the
//! requests in the order they are sent ([`write_records`], [`encode_records`]; read them
//! with [`crate::session::replay::records`], which also bounds a record to
//! [`crate::session::replay::MAX_RECORD_LEN`]). Replaying one means: a fresh `ServerSession::new(ServerConfig::default())`,
//! `attach` with [`attach_kind`]'s `l_process_id()`, `psz_domain_user()`, `psz_machine()`, then
//! `request(record, record.len())` for each record in order.

use alloc::string::String;
use alloc::vec::Vec;

use arbitrary::{Result, Unstructured};

use crate::handles::{HCall, HLine, Version};
use crate::replies::ReturnValue;
use crate::requests::{FuncId, Role};
use crate::session::client::{AttachKind, ClientSession, Effect, OpenParams, Outgoing};
use crate::session::{ServerConfig, ServerSession};

/// The mailslot a generated pull-model client names.
pub const MAILSLOT: &str = "\\\\FUZZ\\mailslot\\tapi";
/// The machine a generated client names.
pub const MACHINE: &str = "FUZZ";

/// How the client of a generated sequence attaches: the pull model (GetAsyncEvents), with
/// [`MAILSLOT`] and [`MACHINE`].
pub fn attach_kind() -> AttachKind {
    AttachKind::pull(MAILSLOT, MACHINE)
}

/// A fresh server attached as a generated sequence expects.
pub fn attached_server() -> ServerSession {
    let mut server = ServerSession::new(ServerConfig::default());
    let k = attach_kind();
    server.attach(k.l_process_id(), k.psz_domain_user(), k.psz_machine());
    server
}

/// Why building a valid sequence failed: a step the session model refused or that the server
/// did not accept (a bug of this crate, reported rather than hidden).
fn model_error() -> arbitrary::Error {
    arbitrary::Error::IncorrectFormat
}

struct Driver {
    client: ClientSession,
    server: ServerSession,
    out: Vec<Vec<u8>>,
}

impl Driver {
    fn new() -> Result<Driver> {
        let mut client = ClientSession::new();
        let mut server = ServerSession::new(ServerConfig::default());
        let kind = attach_kind();
        client.attach(kind.clone()).map_err(|_| model_error())?;
        let a = server.attach(
            kind.l_process_id(),
            kind.psz_domain_user(),
            kind.psz_machine(),
        );
        client
            .attached(a.return_value, a.async_events_event as i32)
            .map_err(|_| model_error())?;
        Ok(Driver {
            client,
            server,
            out: Vec::new(),
        })
    }

    /// Sends one request; returns the effect (failing when the server did not succeed).
    fn send(
        &mut self,
        build: impl FnOnce(
            &mut ClientSession,
        )
            -> core::result::Result<Outgoing, crate::session::client::SessionError>,
    ) -> Result<Effect> {
        let out = build(&mut self.client).map_err(|_| model_error())?;
        let func = out.pending.func;
        let bytes = out.into_bytes().to_vec();
        let reply = self
            .server
            .request(&bytes, u32::try_from(bytes.len()).unwrap_or(u32::MAX));
        self.out.push(bytes);
        let outcome = self
            .client
            .on_reply_for(func, &reply)
            .map_err(|_| model_error())?;
        match outcome.result {
            ReturnValue::Success | ReturnValue::RequestId(_) => Ok(outcome.effect),
            _ => Err(model_error()),
        }
    }

    /// Polls GetAsyncEvents until nothing is outstanding (at most 8 polls).
    fn drain(&mut self) -> Result<Vec<HCall>> {
        let mut calls = Vec::new();
        for _ in 0..8 {
            if self.client.outstanding().count() == 0 && !self.server.has_events() {
                break;
            }
            if let Effect::Events { events, .. } = self.send(|c| c.get_async_events())? {
                for e in events {
                    if let crate::session::client::ClientEvent::Completed { new_calls, .. } = e {
                        calls.extend(new_calls);
                    }
                }
            }
        }
        if self.client.outstanding().count() != 0 {
            return Err(model_error());
        }
        Ok(calls)
    }
}

/// A destination address: digits only.
fn number(u: &mut Unstructured<'_>) -> Result<String> {
    let n = u.int_in_range(3..=10)?;
    let mut s = String::with_capacity(n);
    for _ in 0..n {
        s.push(char::from(b'0' + u.int_in_range(0..=9u8)?));
    }
    Ok(s)
}

/// A valid pull-model sequence: Initialize, NegotiateAPIVersionForAllDevices or
/// NegotiateAPIVersion, optionally GetDevCaps/GetAddressCaps, Open, then 1 to 4 call
/// rounds (MakeCall, GetAsyncEvents until completed, Drop, GetAsyncEvents, DeallocateCall),
/// Close and Shutdown (with a final GetAsyncEvents when the server queued events). Every
/// request succeeds against [`attached_server`] and every asynchronous one is completed.
pub fn valid(u: &mut Unstructured<'_>) -> Result<Vec<Vec<u8>>> {
    let mut d = Driver::new()?;
    let Effect::LineInitialized(app) = d.send(|c| c.initialize(MACHINE))? else {
        return Err(model_error());
    };
    let device = u.int_in_range(0..=app.num_devs.saturating_sub(1).min(1))?;
    let version = if u.arbitrary()? {
        let Effect::ApiVersions { lines, .. } = d.send(|c| {
            c.negotiate_api_version_for_all_devices(app.num_devs, 0, Version::TAPI_3_1)
        })?
        else {
            return Err(model_error());
        };
        lines
            .get(device as usize)
            .copied()
            .flatten()
            .ok_or_else(model_error)?
    } else {
        let Effect::ApiVersion { version, .. } =
            d.send(|c| c.negotiate_api_version(device, Version::TAPI_1_4, Version::TAPI_3_1))?
        else {
            return Err(model_error());
        };
        version
    };
    if u.arbitrary()? {
        d.send(|c| c.get_dev_caps(device, version, Version(0)))?;
    }
    if u.arbitrary()? {
        d.send(|c| c.get_address_caps(device, 0, version, Version(0)))?;
    }
    let Effect::LineOpened { h_line, .. } =
        d.send(|c| c.open(device, version, OpenParams::default()))?
    else {
        return Err(model_error());
    };
    let rounds = u.int_in_range(1..=4)?;
    for _ in 0..rounds {
        let dest = number(u)?;
        d.send(|c| c.make_call(h_line, Some(&dest), 0, None))?;
        let calls = d.drain()?;
        for h_call in calls {
            if u.arbitrary()? {
                d.send(|c| c.drop_call(h_call, None))?;
                d.drain()?;
            }
            d.send(|c| c.deallocate_call(h_call))?;
        }
    }
    d.send(|c| c.close(h_line))?;
    d.drain()?;
    d.send(|c| c.shutdown())?;
    let _: HLine = h_line;
    Ok(d.out)
}

/// A mutation point of a sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Mutation {
    /// A request with an undocumented `Req_Func` (a value no 2.2.4.1 packet has), its other
    /// DWORDs and VarData copied from a step of the sequence so it carries live handles.
    InsertUndocumented,
    /// A request that names a handle, replayed after the step that closed it (at the end).
    StaleHandle,
    /// One step left out.
    Drop,
    /// Two steps swapped.
    Reorder,
}

impl Mutation {
    /// Every mutation.
    pub const ALL: [Mutation; 4] = [
        Mutation::InsertUndocumented,
        Mutation::StaleHandle,
        Mutation::Drop,
        Mutation::Reorder,
    ];
}

/// Applies `m` to `seq` (a no-op on an empty sequence).
pub fn mutate(u: &mut Unstructured<'_>, seq: &mut Vec<Vec<u8>>, m: Mutation) -> Result<()> {
    if seq.is_empty() {
        return Ok(());
    }
    let pick = |u: &mut Unstructured<'_>, n: usize| u.int_in_range(0..=n - 1);
    match m {
        Mutation::InsertUndocumented => {
            let from = pick(u, seq.len())?;
            let mut r = seq[from].clone();
            let mut f = u.int_in_range(0..=255u32)?;
            while FuncId::from_u32(f).is_some() {
                f += 1;
            }
            if let Some(d) = r.get_mut(..4) {
                d.copy_from_slice(&f.to_le_bytes());
            }
            let at = pick(u, seq.len() + 1)?;
            seq.insert(at, r);
        }
        Mutation::StaleHandle => {
            let with_handle: Vec<usize> = seq
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.get(..4)
                        .and_then(|b| {
                            FuncId::from_u32(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                        })
                        .is_some_and(|f| {
                            f.desc()
                                .fields
                                .iter()
                                .any(|x| matches!(x.role, Role::Handle(_)))
                        })
                })
                .map(|(i, _)| i)
                .collect();
            if let Some(&i) = with_handle.get(pick(u, with_handle.len().max(1))?) {
                let r = seq[i].clone();
                seq.push(r);
            }
        }
        Mutation::Drop => {
            let i = pick(u, seq.len())?;
            seq.remove(i);
        }
        Mutation::Reorder => {
            let i = pick(u, seq.len())?;
            let j = pick(u, seq.len())?;
            seq.swap(i, j);
        }
    }
    Ok(())
}

/// A valid sequence with 1 to 3 mutations applied.
pub fn mutated(u: &mut Unstructured<'_>) -> Result<Vec<Vec<u8>>> {
    let mut seq = valid(u)?;
    let n = u.int_in_range(1..=3)?;
    for _ in 0..n {
        let m = *u.choose(&Mutation::ALL)?;
        mutate(u, &mut seq, m)?;
    }
    Ok(seq)
}

/// Encodes records as `[u32 LE length][bytes]` each. A record longer than
/// [`crate::session::replay::MAX_RECORD_LEN`] is written as it is, and refused by the reader
/// (the generators build requests of a few hundred bytes).
pub fn encode_records<R: AsRef<[u8]>>(records: &[R]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        let r = r.as_ref();
        out.extend_from_slice(&u32::try_from(r.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(r);
    }
    out
}

/// Writes records as [`encode_records`] lays them out.
pub fn write_records<R: AsRef<[u8]>>(
    out: &mut impl std::io::Write,
    records: &[R],
) -> std::io::Result<()> {
    out.write_all(&encode_records(records))
}
