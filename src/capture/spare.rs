//! A small bounded pool of byte buffers handed back after use, so that the next stub or
//! segment is copied into one instead of a fresh allocation: shared by [`super::calls::Calls`]
//! (request and response stubs) and [`super::tcp::Reassembler`] (delivered segment data).

/// At most [`Spares::KEPT`] buffers, each of at most [`Spares::CAPACITY`] bytes.
#[derive(Debug, Default)]
pub(crate) struct Spares(Vec<Vec<u8>>);

impl Spares {
    /// How many buffers are kept for reuse.
    pub(crate) const KEPT: usize = 16;
    /// The largest buffer kept: an unfragmented PDU's stub and a segment's payload fit (a
    /// fragment and an IP packet are at most 65,535 bytes); a larger buffer (a reassembled
    /// stub) is freed.
    pub(crate) const CAPACITY: usize = 1 << 16;

    /// `bytes` in an owned buffer: a kept one when there is one, a new one otherwise.
    #[inline]
    pub(crate) fn copy_of(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut v = self.0.pop().unwrap_or_default();
        v.clear();
        v.extend_from_slice(bytes);
        v
    }

    /// Keeps `buffer` for a later [`Spares::copy_of`] while fewer than [`Spares::KEPT`] are
    /// kept and it is at most [`Spares::CAPACITY`] bytes; drops it otherwise.
    #[inline]
    pub(crate) fn give(&mut self, buffer: Vec<u8>) {
        if self.0.len() < Self::KEPT && buffer.capacity() <= Self::CAPACITY {
            self.0.push(buffer);
        }
    }
}
