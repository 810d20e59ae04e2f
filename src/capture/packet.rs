//! From a frame's bytes to a TCP segment: the link layer (Ethernet II with 802.1Q/802.1ad
//! tags, Linux cooked capture v1 and v2, BSD and OpenBSD loopback, raw IP), IPv4 or IPv6 with
//! extension headers, and TCP, through `etherparse`.
//!
//! Checksums are not verified: captures taken on the sending host carry the checksums the
//! NIC had yet to fill in. IP fragments are not reassembled (a fragmented TCP segment is
//! reported as [`Skip::IpFragment`]; DCE/RPC over TCP does not produce them in practice).

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use etherparse::{EtherType, NetSlice, SlicedPacket, TransportSlice};

use super::frames::LinkType;

/// The flags of a TCP segment that reassembly looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TcpFlags {
    /// SYN: the first sequence number is the ISN.
    pub syn: bool,
    /// ACK: the acknowledgment number is valid.
    pub ack: bool,
    /// FIN: the sender has no more data.
    pub fin: bool,
    /// RST: the connection is aborted.
    pub rst: bool,
}

/// A TCP segment taken out of a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpSegment<'a> {
    /// The sender.
    pub src: SocketAddr,
    /// The receiver.
    pub dst: SocketAddr,
    /// The sequence number.
    pub seq: u32,
    /// The acknowledgment number (meaningful when `flags.ack`).
    pub ack: u32,
    /// SYN, ACK, FIN and RST.
    pub flags: TcpFlags,
    /// The segment's data.
    pub payload: &'a [u8],
}

/// Why a frame carries no TCP segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// A link type this module does not decode.
    LinkType(LinkType),
    /// Not IPv4 or IPv6 (ARP, LLDP, ...).
    NotIp,
    /// IP, but not TCP (UDP, ICMP, ...).
    NotTcp,
    /// A fragment of an IP datagram (fragments are not reassembled).
    IpFragment,
    /// The headers are cut short or inconsistent (including a frame cut by the snap length).
    Malformed(String),
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::LinkType(l) => write!(f, "link type {l} is not decoded"),
            Skip::NotIp => f.write_str("not IP"),
            Skip::NotTcp => f.write_str("not TCP"),
            Skip::IpFragment => f.write_str("IP fragment (not reassembled)"),
            Skip::Malformed(why) => write!(f, "malformed: {why}"),
        }
    }
}

/// The loopback address families of IPv6 (BSD variants use 24, 28 or 30).
fn loopback_family(family: u32) -> Option<EtherType> {
    match family {
        2 => Some(EtherType::IPV4),
        24 | 28 | 30 => Some(EtherType::IPV6),
        _ => None,
    }
}

/// Slices a frame of the given link type down to its transport layer.
fn slice(link: LinkType, data: &[u8]) -> Result<SlicedPacket<'_>, Skip> {
    let malformed = |e: &dyn fmt::Display| Skip::Malformed(e.to_string());
    fn by_ether_type(t: EtherType, rest: &[u8]) -> Result<SlicedPacket<'_>, Skip> {
        SlicedPacket::from_ether_type(t, rest).map_err(|e| Skip::Malformed(e.to_string()))
    }
    match link {
        LinkType::ETHERNET => SlicedPacket::from_ethernet(data).map_err(|e| malformed(&e)),
        LinkType::LINUX_SLL => SlicedPacket::from_linux_sll(data).map_err(|e| malformed(&e)),
        LinkType::LINUX_SLL2 => {
            // Protocol type (2), reserved (2), interface index (4), ARPHRD type (2), packet
            // type (1), address length (1), address (8).
            let (Some(proto), Some(rest)) = (data.get(..2), data.get(20..)) else {
                return Err(Skip::Malformed("short SLL2 header".into()));
            };
            by_ether_type(EtherType(u16::from_be_bytes([proto[0], proto[1]])), rest)
        }
        LinkType::NULL | LinkType::LOOP => {
            let (Some(fam), Some(rest)) = (data.get(..4), data.get(4..)) else {
                return Err(Skip::Malformed("short loopback header".into()));
            };
            let fam = [fam[0], fam[1], fam[2], fam[3]];
            let family = if link == LinkType::LOOP {
                u32::from_be_bytes(fam)
            } else if u32::from_le_bytes(fam) < 0x100 {
                // Host byte order: whichever reading is small.
                u32::from_le_bytes(fam)
            } else {
                u32::from_be_bytes(fam)
            };
            match loopback_family(family) {
                Some(t) => by_ether_type(t, rest),
                None => Err(Skip::NotIp),
            }
        }
        LinkType::RAW | LinkType::IPV4 | LinkType::IPV6 => {
            SlicedPacket::from_ip(data).map_err(|e| malformed(&e))
        }
        other => Err(Skip::LinkType(other)),
    }
}

/// Decodes a frame into the TCP segment it carries.
pub fn decode(link: LinkType, data: &[u8]) -> Result<TcpSegment<'_>, Skip> {
    let packet = slice(link, data)?;
    let (src, dst, fragmented) = match &packet.net {
        Some(NetSlice::Ipv4(ip)) => (
            IpAddr::V4(ip.header().source_addr()),
            IpAddr::V4(ip.header().destination_addr()),
            ip.is_payload_fragmented(),
        ),
        Some(NetSlice::Ipv6(ip)) => (
            IpAddr::V6(ip.header().source_addr()),
            IpAddr::V6(ip.header().destination_addr()),
            ip.is_payload_fragmented(),
        ),
        _ => return Err(Skip::NotIp),
    };
    if fragmented {
        return Err(Skip::IpFragment);
    }
    let Some(TransportSlice::Tcp(tcp)) = &packet.transport else {
        return Err(Skip::NotTcp);
    };
    Ok(TcpSegment {
        src: SocketAddr::new(src, tcp.source_port()),
        dst: SocketAddr::new(dst, tcp.destination_port()),
        seq: tcp.sequence_number(),
        ack: tcp.acknowledgment_number(),
        flags: TcpFlags {
            syn: tcp.syn(),
            ack: tcp.ack(),
            fin: tcp.fin(),
            rst: tcp.rst(),
        },
        payload: tcp.payload(),
    })
}
