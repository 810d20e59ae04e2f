//! Reassembly of fragmented requests and responses (C706 12.6.3.1 `PFC_FIRST_FRAG` /
//! `PFC_LAST_FRAG`, [MS-RPCE] 2.2.2.6, 3.3.3.5.2).
//!
//! A [`Reassembler`] serves ONE direction of ONE association (connection): feed it every PDU
//! of that direction in order with [`Reassembler::push`]. Fragments belong to the call named
//! by their `call_id`; several calls may be in flight at once. A call's stub is the
//! concatenation of its fragments' stubs (auth padding excluded, see
//! [`RequestPdu::stub`](super::pdu::RequestPdu::stub)).
//!
//! * A single-fragment call (`FIRST|LAST`) is returned at once, its stub borrowed from the
//!   PDU (no allocation).
//! * A multi-fragment call is buffered from its FIRST fragment and returned, owned, with its
//!   LAST fragment.
//!
//! Limits: one call's reassembled stub may not exceed the limit (16 MiB by default, 4× the 4 MB
//! [MS-RPCE] 3.3.3.5.4 lets a server accept). The check is made before any copy, and the buffer
//! reserved for a call is at most `min(alloc_hint, limit)` bytes, so a lying `alloc_hint`
//! cannot make it allocate more than the limit. The number of calls in flight is not bounded
//! here; a caller that must bound memory overall can watch [`Reassembler::in_progress`] and
//! [`Reassembler::abandon`] calls.
//!
//! Errors ([`ReassemblyError`]) discard the call concerned (its later fragments then report a
//! missing first fragment); PDUs other than requests and responses are ignored, except that a
//! fault or an orphaned PDU ends (abandons) the call in progress with its `call_id`.

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::pdu::{PacketType, Pdu, PduBody};
use super::uuid::Uuid;

/// The default bound on one call's reassembled stub: 16 MiB.
pub const DEFAULT_LIMIT: usize = 16 * 1024 * 1024;

/// A complete call: its stub and the facts of its first fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reassembled<'a> {
    /// `call_id`.
    pub call_id: u32,
    /// Request or response.
    pub packet_type: PacketType,
    /// `p_cont_id` of the first fragment.
    pub p_cont_id: u16,
    /// `opnum` of the first fragment (requests only).
    pub opnum: Option<u16>,
    /// The object UUID of the first fragment (requests with `PFC_OBJECT_UUID`).
    pub object: Option<Uuid>,
    /// `alloc_hint` of the first fragment ([MS-RPCE] 2.2.2.6: the whole stub's length, or 0).
    pub alloc_hint: u32,
    /// The number of fragments.
    pub fragments: u32,
    /// The stub: borrowed for a single fragment, owned when concatenated.
    pub stub: Cow<'a, [u8]>,
}

/// A fragment that does not fit the call it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("call_id {call_id}, fragment {fragment}: {kind}")]
#[non_exhaustive]
pub struct ReassemblyError {
    /// The call.
    pub call_id: u32,
    /// The fragment's position in its call, counting from 1 (the fragments of the call the
    /// reassembler has seen, this one included; for a missing last fragment, the number
    /// seen).
    pub fragment: u32,
    /// What is wrong.
    pub kind: ReassemblyErrorKind,
}

/// Why a fragment does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReassemblyErrorKind {
    /// A fragment without `PFC_FIRST_FRAG` for a call not in progress.
    #[error("missing first fragment")]
    MissingFirst,
    /// A `PFC_FIRST_FRAG` fragment for a call already in progress.
    #[error("duplicated first fragment")]
    DuplicateFirst,
    /// A header field differs from the call's first fragment (`PTYPE`, `opnum`,
    /// `p_cont_id`, `auth_type`, `auth_level`, `auth_context_id`; [MS-RPCE] 2.2.2.11 for the
    /// last three).
    #[error("{field} is {this}, but the first fragment's is {first}")]
    Mismatch {
        /// The field.
        field: &'static str,
        /// Its value in the first fragment.
        first: u32,
        /// Its value here.
        this: u32,
    },
    /// The object UUID (or its presence) differs from the call's first fragment.
    #[error("object UUID differs from the first fragment's")]
    ObjectMismatch,
    /// The reassembled stub would exceed the limit.
    #[error("reassembled stub of {size} bytes would exceed the limit of {limit}")]
    TooLarge {
        /// The size it would reach (saturated at `usize::MAX`).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The stream ended with the call incomplete ([`Reassembler::finish`]).
    #[error("missing last fragment")]
    MissingLast,
}

#[derive(Debug, Clone)]
struct InProgress {
    packet_type: PacketType,
    p_cont_id: u16,
    opnum: Option<u16>,
    object: Option<Uuid>,
    auth: Option<(u8, u8, u32)>,
    alloc_hint: u32,
    fragments: u32,
    stub: Vec<u8>,
}

/// Reassembles the calls of one direction of one association.
#[derive(Debug, Clone)]
pub struct Reassembler {
    limit: usize,
    calls: BTreeMap<u32, InProgress>,
}

impl Default for Reassembler {
    fn default() -> Self {
        Reassembler::new()
    }
}

struct Facts<'a> {
    packet_type: PacketType,
    p_cont_id: u16,
    opnum: Option<u16>,
    object: Option<Uuid>,
    alloc_hint: u32,
    stub: &'a [u8],
}

impl Reassembler {
    /// A reassembler with the default limit ([`DEFAULT_LIMIT`]).
    pub fn new() -> Self {
        Reassembler::with_limit(DEFAULT_LIMIT)
    }

    /// A reassembler whose calls' stubs may not exceed `limit` bytes.
    pub fn with_limit(limit: usize) -> Self {
        Reassembler {
            limit,
            calls: BTreeMap::new(),
        }
    }

    /// The limit on one call's stub.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Takes the next PDU of the direction. Returns the call it completes, if any.
    pub fn push<'a>(&mut self, pdu: &Pdu<'a>) -> Result<Option<Reassembled<'a>>, ReassemblyError> {
        let call_id = pdu.call_id();
        let facts = match pdu.body() {
            PduBody::Request(r) => Facts {
                packet_type: PacketType::Request,
                p_cont_id: r.p_cont_id(),
                opnum: Some(r.opnum()),
                object: r.object(),
                alloc_hint: r.alloc_hint(),
                stub: r.stub(),
            },
            PduBody::Response(r) => Facts {
                packet_type: PacketType::Response,
                p_cont_id: r.p_cont_id(),
                opnum: None,
                object: None,
                alloc_hint: r.alloc_hint(),
                stub: r.stub(),
            },
            PduBody::Fault(_) | PduBody::Orphaned(_) => {
                self.calls.remove(&call_id);
                return Ok(None);
            }
            _ => return Ok(None),
        };
        let auth = pdu
            .sec_trailer()
            .map(|t| (t.auth_type(), t.auth_level(), t.auth_context_id()));
        let error = |fragment: u32, kind| ReassemblyError {
            call_id,
            fragment,
            kind,
        };

        if pdu.is_first() {
            if let Some(call) = self.calls.remove(&call_id) {
                return Err(error(
                    call.fragments.saturating_add(1),
                    ReassemblyErrorKind::DuplicateFirst,
                ));
            }
            if facts.stub.len() > self.limit {
                return Err(error(
                    1,
                    ReassemblyErrorKind::TooLarge {
                        size: facts.stub.len(),
                        limit: self.limit,
                    },
                ));
            }
            if pdu.is_last() {
                return Ok(Some(Reassembled {
                    call_id,
                    packet_type: facts.packet_type,
                    p_cont_id: facts.p_cont_id,
                    opnum: facts.opnum,
                    object: facts.object,
                    alloc_hint: facts.alloc_hint,
                    fragments: 1,
                    stub: Cow::Borrowed(facts.stub),
                }));
            }
            let hint = usize::try_from(facts.alloc_hint).unwrap_or(usize::MAX);
            let mut stub = Vec::new();
            // Never more than the limit, whatever alloc_hint says; failure is not an error.
            let _ = stub.try_reserve_exact(hint.min(self.limit).max(facts.stub.len()));
            stub.extend_from_slice(facts.stub);
            self.calls.insert(
                call_id,
                InProgress {
                    packet_type: facts.packet_type,
                    p_cont_id: facts.p_cont_id,
                    opnum: facts.opnum,
                    object: facts.object,
                    auth,
                    alloc_hint: facts.alloc_hint,
                    fragments: 1,
                    stub,
                },
            );
            return Ok(None);
        }

        let Some(call) = self.calls.get_mut(&call_id) else {
            return Err(error(1, ReassemblyErrorKind::MissingFirst));
        };
        let fragment = call.fragments.saturating_add(1);
        let mismatch = check_same(call, &facts, auth);
        let size = call.stub.len().saturating_add(facts.stub.len());
        let kind = match mismatch {
            Some(kind) => Some(kind),
            None if size > self.limit => Some(ReassemblyErrorKind::TooLarge {
                size,
                limit: self.limit,
            }),
            None => None,
        };
        if let Some(kind) = kind {
            self.calls.remove(&call_id);
            return Err(error(fragment, kind));
        }
        if size > call.stub.capacity() {
            // Grow geometrically, but never ask for more than the limit.
            let target = size
                .max(call.stub.capacity().saturating_mul(2))
                .min(self.limit);
            let _ = call
                .stub
                .try_reserve_exact(target.saturating_sub(call.stub.len()));
        }
        call.stub.extend_from_slice(facts.stub);
        call.fragments = fragment;
        if !pdu.is_last() {
            return Ok(None);
        }
        let Some(call) = self.calls.remove(&call_id) else {
            return Ok(None);
        };
        Ok(Some(Reassembled {
            call_id,
            packet_type: call.packet_type,
            p_cont_id: call.p_cont_id,
            opnum: call.opnum,
            object: call.object,
            alloc_hint: call.alloc_hint,
            fragments: call.fragments,
            stub: Cow::Owned(call.stub),
        }))
    }

    /// The `call_id`s of the calls in progress (FIRST seen, LAST not yet), ascending.
    pub fn in_progress(&self) -> impl Iterator<Item = u32> + '_ {
        self.calls.keys().copied()
    }

    /// The bytes buffered for the calls in progress.
    pub fn buffered(&self) -> usize {
        self.calls.values().map(|c| c.stub.len()).sum()
    }

    /// The bytes reserved (allocated capacity) for the calls in progress. The reassembler
    /// never asks for more than the limit per call.
    pub fn reserved(&self) -> usize {
        self.calls.values().map(|c| c.stub.capacity()).sum()
    }

    /// Drops the call `call_id`; true if it was in progress.
    pub fn abandon(&mut self, call_id: u32) -> bool {
        self.calls.remove(&call_id).is_some()
    }

    /// Ends the stream: an error ([`ReassemblyErrorKind::MissingLast`]) for every call still in
    /// progress, in `call_id` order. The reassembler is empty afterwards.
    pub fn finish(&mut self) -> Result<(), Vec<ReassemblyError>> {
        let open = core::mem::take(&mut self.calls);
        if open.is_empty() {
            return Ok(());
        }
        Err(open
            .into_iter()
            .map(|(call_id, c)| ReassemblyError {
                call_id,
                fragment: c.fragments,
                kind: ReassemblyErrorKind::MissingLast,
            })
            .collect())
    }
}

fn check_same(
    call: &InProgress,
    facts: &Facts<'_>,
    auth: Option<(u8, u8, u32)>,
) -> Option<ReassemblyErrorKind> {
    let m = |field, first: u32, this: u32| {
        (first != this).then_some(ReassemblyErrorKind::Mismatch { field, first, this })
    };
    let absent = |v: Option<u16>| v.map_or(u32::MAX, u32::from);
    let (ft, fl, fc) = call.auth.map_or((0, 0, 0), |(t, l, c)| (t, l, c));
    let (tt, tl, tc) = auth.map_or((0, 0, 0), |(t, l, c)| (t, l, c));
    m(
        "PTYPE",
        u32::from(call.packet_type.value()),
        u32::from(facts.packet_type.value()),
    )
    .or_else(|| m("opnum", absent(call.opnum), absent(facts.opnum)))
    .or_else(|| m("p_cont_id", call.p_cont_id.into(), facts.p_cont_id.into()))
    .or_else(|| m("auth_type", ft.into(), tt.into()))
    .or_else(|| m("auth_level", fl.into(), tl.into()))
    .or_else(|| m("auth_context_id", fc, tc))
    .or_else(|| (call.object != facts.object).then_some(ReassemblyErrorKind::ObjectMismatch))
}
