//! # mstrp — the Microsoft Telephony Remote Protocol [MS-TRP] as zero-copy views
//!
//! [MS-TRP] is what a Windows TAPI client speaks to the Telephony service (tapsrv) through
//! `ClientRequest`, and what the service speaks back. This crate decodes and encodes its
//! packets without copying: a [`requests::Request`] borrows the buffer it was parsed from, and
//! every offset a packet carries is checked by one resolver, [`vardata`], before a byte behind
//! it is read.
//!
//! ```
//! use mstrp::requests::{builders, Request};
//!
//! // Build a MakeCall (2.2.4.1.3.43) the way a client would...
//! let bytes = builders::LineMakeCall::new()
//!     .h_line(0x1001)
//!     .lpsz_dest_address("+1 425 555 0100")
//!     .lp_call_params(None::<&[u8]>)
//!     .to_bytes();
//!
//! // ...and read it back as a server would.
//! let Request::LineMakeCall(call) = Request::parse(&bytes)? else { unreachable!() };
//! assert_eq!(call.h_line().get(), 0x1001);
//! let dest = call.lpsz_dest_address().resolve()?.expect("present");
//! assert_eq!(dest.to_string(), "+1 425 555 0100");
//! assert!(call.lp_call_params().is_absent());
//! # Ok::<(), mstrp::errors::DecodeError>(())
//! ```
//!
//! Modules, one per concept:
//! * [`header`]: the 60-byte TAPI32_MSG fixed part (2.2.5.2);
//! * [`requests`]: the 132 request packets (2.2.4.1), described once in a catalogue;
//! * [`vardata`]: the resolver for (offset, size) pairs and UTF-16 strings;
//! * [`encoding`]: builders that lay VarData out into `bytes::BytesMut`;
//! * [`errors`]: [`errors::DecodeError`] and the LINEERR/PHONEERR/TAPIERR result codes;
//! * [`handles`]: HLINEAPP, HLINE, HCALL, ... as newtypes, request ids and versions;
//! * [`session`]: version negotiation and the life cycle as sans-IO state machines
//!   ([`session::ServerSession`] answers ClientRequest buffers against simulated devices);
//! * `generate` (feature `arbitrary`): structure-aware generation of requests, replies,
//!   events, structures and request sequences for fuzzing, with targeted rule violations;
//! * `capture` (feature `pcap`): pcap/pcapng reading, TCP reassembly and SMB2 named pipes
//!   down to ordered byte streams, and a capture writer.
//!
//! Every section of the specification that describes a packet, event, structure or method is
//! listed below with its Rust types (generated from the catalogues, docs/spec-map.md).
//!
#![doc = include_str!("../docs/spec-map.md")]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

#[cfg(feature = "pcap")]
#[cfg_attr(docsrs, doc(cfg(feature = "pcap")))]
pub mod capture;
pub mod encoding;
pub mod errors;
pub mod events;
#[cfg(feature = "arbitrary")]
pub mod generate;
pub mod handles;
pub mod header;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod json;
pub mod replies;
pub mod requests;
pub mod rpc;
#[cfg(feature = "serve")]
#[cfg_attr(docsrs, doc(cfg(feature = "serve")))]
pub mod serve;
pub mod session;
pub mod structures;
#[cfg(test)]
mod test_rng;
pub mod validation;
pub mod vardata;
#[cfg(feature = "wireshark")]
pub mod wireshark;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
