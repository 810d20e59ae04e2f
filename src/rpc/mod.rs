//! The DCE/RPC layer beneath [MS-TRP]: connection-oriented PDUs (\[C706\] 12, [MS-RPCE]
//! 2.2.2), reassembly of fragmented calls, and the NDR20/NDR64 stubs of the six methods of
//! the tapsrv and remotesp interfaces ([MS-TRP] 3.1.4, 3.3.4, 6).
//!
//! Files, bottom up:
//! * [`uuid`]: UUIDs and syntax identifiers, the interface and transfer-syntax constants;
//! * [`pdu`]: the common header, the twelve PDU types and the sec_trailer, views and builders;
//! * [`faults`]: fault status, presentation-context result and bind_nak reason codes;
//! * [`fragments`]: reassembly of multi-fragment requests and responses by call_id;
//! * [`ndr`]: the NDR shapes the six methods use (context handle, string, conformant-varying
//!   byte array), NDR20 (\[C706\] 14) and NDR64 ([MS-RPCE] 2.2.5): a bounded zero-copy reader
//!   with the strict checks of [MS-RPCE] 3.1.1.5.3, typed [`ndr::NdrError`]s with the fault
//!   status a Windows server answers, and a writer that takes any counts (for fuzzing);
//! * [`methods`]: the six methods described once ([`methods::METHODS`]), with their twelve
//!   request and response stubs as zero-copy views and byte-exact builders, and `pBuffer`
//!   handed to the TAPI32_MSG, reply and event decoders without copying
//!   (spec-notes/rpc-ndr.md);
//! * [`association`]: the contexts a bind agreed on and the calls in flight, so that a stub
//!   is read as the method it belongs to.

pub mod association;
pub mod faults;
pub mod fragments;
pub mod methods;
pub mod ndr;
pub mod pdu;
pub mod uuid;
