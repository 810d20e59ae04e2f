//! Typed views of the reply buffers, one per function, derived from the request
//! [catalogue](crate::requests): an accessor per field, named like the request view's,
//! returning the field with its reply meaning ([`Output`](super::Output): the returned
//! structure or data resolved, filled handles and counts flagged).

use crate::requests::for_each_request;

/// Derives one reply view per function from the catalogue.
macro_rules! define_reply_views {
    ($(
        $(#[$doc:meta])*
        $name:ident = $func:literal, $title:literal, $section:literal, $group:ident, $completion:ident {
            $( $f:ident $spec:literal : $role:ident $(($($arg:tt)*))? ),* $(,)?
        }
    )*) => {
            $(
                $(#[$doc])*
                ///
                /// The reply: the same buffer after the server wrote `Ack_ReturnValue` and its outputs.
                #[derive(Debug, Clone, Copy, PartialEq, Eq)]
                pub struct $name<'a>(crate::replies::Reply<'a>);

                impl<'a> $name<'a> {
                    /// Views `bytes` as the reply to this function. Fails only if `bytes` is
                    /// shorter than 60 bytes.
                    pub fn parse(bytes: &'a [u8]) -> Result<Self, crate::errors::DecodeError> {
                        crate::replies::Reply::parse(crate::requests::FuncId::$name, bytes).map($name)
                    }

                    /// The generic reply view.
                    pub fn reply(&self) -> crate::replies::Reply<'a> {
                        self.0
                    }

                    /// `Ack_ReturnValue`, classified.
                    pub fn return_value(&self) -> crate::replies::ReturnValue {
                        self.0.return_value()
                    }

                    $(
                        #[doc = concat!("`", $spec, "` with its reply meaning.")]
                        pub fn $f(&self) -> crate::replies::Output<'a> {
                            self.0.output_at::<{ core::mem::offset_of!(crate::requests::fixed::$name, $f) / 4 }>()
                        }
                    )*
                }
            )*
    };
}

for_each_request!(define_reply_views);
