//! (in progress, issue 10)
