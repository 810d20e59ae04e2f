//! Fuzz target: validation never panics, and a request that passes every stateless rule
//! resolves every reference (the rules cover every offset the packet carries).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mstrp::requests::Request;
use mstrp::validation;

fuzz_target!(|data: &[u8]| {
    let Ok(request) = Request::parse(data) else {
        return;
    };
    let violations = validation::validate(&request, None);
    let _ = validation::check_client_request(data, data.len() as i32, data.len() as i32);
    if violations.is_empty() && request.func().is_some() {
        for r in request.references() {
            assert!(
                r.value.is_ok(),
                "{:?} validates but {} does not resolve: {:?}",
                request.func(),
                r.field.name,
                r.value
            );
        }
    }
});
