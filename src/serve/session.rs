//! The session layer served: [`ServerSession`] as a [`Service`], so `trp serve` answers with
//! the simulated devices of a [`ServerConfig`](crate::session::ServerConfig).
//!
//! The adapter only translates: ClientAttach's outcome becomes the server's callback
//! decision ([`Delivery::Push`] → [`Attached::push_to`]), and everything else is passed
//! through, so the network layer and the sans-IO session stay independent of each other.

use super::{Attached, Service};
use crate::session::{Delivery, ServerSession};

impl Service for ServerSession {
    fn attach(&mut self, process_id: i32, domain_user: &str, machine: &str) -> Attached {
        let attached = ServerSession::attach(self, process_id, domain_user, machine);
        let push_to = match attached.delivery {
            Delivery::Push { machine } if attached.return_value == 0 => Some(machine),
            _ => None,
        };
        Attached {
            return_value: attached.return_value,
            async_events_event: attached.async_events_event,
            push_to,
        }
    }

    fn request(&mut self, buffer: &[u8], capacity: u32) -> Vec<u8> {
        ServerSession::request(self, buffer, capacity)
    }

    fn detach(&mut self) -> i32 {
        ServerSession::detach(self)
    }

    fn take_events(&mut self, max_bytes: usize) -> Vec<u8> {
        ServerSession::take_events(self, max_bytes)
    }

    fn has_events(&self) -> bool {
        ServerSession::has_events(self)
    }
}
