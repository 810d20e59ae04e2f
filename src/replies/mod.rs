//! Replies (in progress).
