//! The twelve section 4 captures in `samples/captures/` (issue 11), without `.pcapng`: one
//! per exchange, written by examples/write_capture_samples.rs from tests/common/exchanges.rs.

/// `4.N-<short name>` for N = 1..12.
pub const EXCHANGE_CAPTURES: [&str; 12] = [
    "4.1-establish",
    "4.2-terminate",
    "4.3-outgoing-call",
    "4.4-answer-incoming-call",
    "4.5-blind-transfer",
    "4.6-forward",
    "4.7-management-session",
    "4.8-terminate-management-session",
    "4.9-get-server-config",
    "4.10-set-server-config",
    "4.11-acd-proxy-request",
    "4.12-agent-session",
];
