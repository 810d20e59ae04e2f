//! Sessions ([MS-TRP] 2.2.2, 3.1.1, 3.1.4, section 4): the conversation around the packets,
//! as sans-IO state machines. Nothing here opens a socket, starts a thread or reads a clock;
//! the network server (`trp serve`) and the examples drive these types with the bytes of
//! ClientAttach, ClientRequest and ClientDetach.
//!
//! # The life cycle
//!
//! Lifetimes nest (2.2.2 "HANDLE TABLE"; the TSPI life cycle of seed 002):
//!
//! ```text
//! ClientAttach ............................................. ClientDetach   (3.1.4.1, 3.1.4.3)
//!   Initialize (47) -> HLINEAPP ......................... Shutdown (86)    (2.2.4.1.1.1, 2.2.4.1.2.2)
//!     NegotiateAPIVersion (52) / ForAllDevices (130): "willing"
//!     Open (54) -> HLINE, commits the version ........... Close (9)        (2.2.4.1.1.5, 2.2.4.1.2.1)
//!       MakeCall (48) / LINE_APPNEWCALL -> HCALL ........ DeallocateCall (12)
//! ```
//!
//! * **ClientAttach** starts a session ([`ServerSession::attach`]). `lProcessID` −1 is a
//!   remote client that controls devices; the server answers `phAsyncEventsEvent` =
//!   0xA5C369A5 because it supports NegotiateAPIVersionForAllDevices (3.1.4.1). A non-empty
//!   pszDomainUser names a mailslot: the pull model, events fetched with GetAsyncEvents
//!   (Req_Func 0, 2.2.4.1.8.1); an empty one: the push model, events sent with
//!   RemoteSPEventProc (3.3.4.2) to the endpoint pszMachine names ([`Delivery`]). −3 is an
//!   MMC client (4.7) that gets no events.
//! * **Initialize** gives the HLINEAPP (or HPHONEAPP for the phone Initialize, 2.2.4.1.4.1)
//!   every later request names; a second one while the first lives fails with
//!   `LINEERR_REINIT` ("The application attempted to initialize TAPI twice", 2.2.4.1.1.1).
//! * **Version negotiation** ([`negotiate`]): the highest version in the overlap of the
//!   client's and the device's ranges; Open commits; extension versions are selected and
//!   canceled with SelectExtVersion.
//! * **Open/Close** bracket everything done on a device; Close forces every outstanding
//!   asynchronous request on the line and its calls to complete (seed 002: "Closing the phone
//!   forces outstanding asynchronous operations to complete (possibly with a 'failure'
//!   indication)") and ends the calls' lifetimes ("The life cycles of calls are bracketed
//!   strictly between the Open/Close of the line that contains them"). Shutdown closes
//!   everything the app opened.
//! * **Asynchronous requests** (those with dwRequestID) return a positive request id in
//!   Ack_ReturnValue: the client's when nonzero, one the server picks when 0 (3.1.4.2). Each
//!   completes exactly once with LINE_REPLY (2.2.4.2.1.25) or its special-case completion
//!   (2.2.4.2.2; MakeCall's carries the new HCALL), either at once or, with
//!   [`AsyncCompletion::OnClose`], when its line or call closes.
//! * **ClientDetach** forgets everything: the next session gets new handles and negotiates
//!   again (seed 002: "The service provider must not retain information from one session to
//!   the next").
//!
//! [`client::ClientSession`] is the other side: it builds each request, refuses out-of-order
//! use before anything is sent, and follows replies and events (`spec-notes/session-client.md`).
//!
//! The decisions taken where the spec is silent or contradicts itself are in
//! `spec-notes/session.md`.

pub mod client;
pub mod config;
pub mod negotiate;
pub mod replay;
pub mod server;

pub use config::{AsyncCompletion, ConfigError, LineConfig, PhoneConfig, ServerConfig};
pub use negotiate::{DeviceVersions, NegotiateError};
pub use server::{Attached, Delivery, ServerSession};
