//! Sessions ([MS-TRP] 2.2.2, 3.1.1, 4): sans-IO state machines of the conversation.
pub mod client;
