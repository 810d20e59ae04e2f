//! The DCE/RPC layer beneath [MS-TRP]: connection-oriented PDUs (C706 12, [MS-RPCE] 2.2.2),
//! reassembly of fragmented calls, and the NDR20/NDR64 stubs of the six methods of the
//! tapsrv and remotesp interfaces ([MS-TRP] 3.1.4, 3.3.4, 6).
//!
//! Files, bottom up:
//! * [`uuid`]: UUIDs and syntax identifiers, the interface and transfer-syntax constants;
//! * [`pdu`]: the common header, the twelve PDU types and the sec_trailer, views and builders;
//! * [`faults`]: fault status, presentation-context result and bind_nak reason codes;
//! * [`fragments`]: reassembly of multi-fragment requests and responses by call_id;
//! * `ndr`: the NDR shapes the six methods use (context handle, string, conformant-varying
//!   byte array), NDR20 and NDR64;
//! * `methods`: the six methods described once, with their request and response stubs.

pub mod faults;
pub mod fragments;
pub mod methods;
pub mod ndr;
pub mod pdu;
pub mod uuid;
