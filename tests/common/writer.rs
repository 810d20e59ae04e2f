//! A little-endian writer for hand-laid structures and packets, shared by the known-answer
//! tests (`#[path]`-included, so each test adds the helpers it needs as inherent methods).
#![allow(dead_code)]

/// A little-endian buffer under construction.
#[derive(Default)]
pub struct W(pub Vec<u8>);

impl W {
    /// Appends a DWORD.
    pub fn d(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// Appends bytes as they are.
    pub fn raw(&mut self, b: &[u8]) -> &mut Self {
        self.0.extend_from_slice(b);
        self
    }
    /// Appends a NUL-terminated UTF-16LE string.
    pub fn utf16(&mut self, s: &str) -> &mut Self {
        for u in s.encode_utf16().chain([0]) {
            self.0.extend_from_slice(&u.to_le_bytes());
        }
        self
    }
    /// Pads with zeros to a DWORD boundary.
    pub fn pad(&mut self) -> &mut Self {
        while self.0.len() % 4 != 0 {
            self.0.push(0);
        }
        self
    }
    /// Bytes written so far.
    pub fn len(&self) -> u32 {
        self.0.len() as u32
    }
    /// Overwrites the DWORD at byte `at`.
    pub fn put(&mut self, at: usize, v: u32) -> &mut Self {
        self.0[at..at + 4].copy_from_slice(&v.to_le_bytes());
        self
    }
    /// Sets dwTotalSize, dwNeededSize and dwUsedSize to the length written so far.
    pub fn sizes(&mut self) -> &mut Self {
        let n = self.len();
        self.put(0, n).put(4, n).put(8, n)
    }
}
