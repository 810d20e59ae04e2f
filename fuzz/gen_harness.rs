//! Generator-driven fuzz harnesses (issue 12): libFuzzer's bytes drive the structure-aware
//! generators of `mstrp::generate` through an `arbitrary::Unstructured`, and what they
//! generate must hold the generators' promises. Shared by the `gen_request`, `gen_structure`
//! and `gen_events` targets and by tests/gen_fuzz_corpus.rs, which replays their corpora.
//!
//! Invariants for any input (an input the generator cannot use is skipped):
//! * `gen_request`: the first two bytes pick a valid request or one targeted violation
//!   (`generate::coverage::violation_targets`: every breakable stateless rule, every resolver
//!   check). The request parses and passes fuzz/harness.rs's `decode_request` (byte-exact
//!   re-encoding, directly and through JSON; the builder round trip). A valid one fires no
//!   stateless rule and resolves every reference; a targeted rule fires; a broken resolver
//!   check leaves a reference unresolved.
//! * `gen_structure`: the first byte picks one of the 49 structures, the next whether and
//!   which TAPI version lays it out. It decodes and validates under that version; without
//!   one it also passes `decode_structure` (builder round trip, idempotent layout).
//! * `gen_events`: an event buffer of 1 to 4 generated events frames without error, every
//!   event parses, and `mstrp::events::exercise` reads it every other way.

#![allow(dead_code)]

#[path = "harness.rs"]
mod harness;

use arbitrary::Unstructured;
use mstrp::events::{Event, EventBuffer};
use mstrp::generate::{self, coverage};
use mstrp::handles::{TAPI_VERSIONS, Version};
use mstrp::requests::Request;
use mstrp::structures;

/// Which target a generated request was asked to be, as the harness returns it (for tests).
pub use coverage::Target;

/// A version or none, from one byte (none for 0..=127, else one of the seven).
fn version(u: &mut Unstructured<'_>) -> Option<Version> {
    let b = u.arbitrary::<u8>().unwrap_or(0);
    (b >= 128).then(|| TAPI_VERSIONS[usize::from(b) % TAPI_VERSIONS.len()])
}

/// See the module documentation. Returns what was generated, if anything.
pub fn gen_request(data: &[u8]) -> Option<Target> {
    let targets = coverage::violation_targets();
    let mut u = Unstructured::new(data);
    let (target, bytes) = coverage::from_unstructured(&mut u, &targets).ok()?;
    let request = Request::parse(&bytes).expect("a generated request parses");
    harness::decode_request(&bytes);
    let judged = coverage::judge(&bytes, target.version());
    let all_resolve = request.references().all(|r| r.value.is_ok());
    match target {
        Target::Valid => {
            assert!(
                judged.fired.is_empty(),
                "{:?}: a valid request fires {:?}",
                request.func(),
                judged.fired
            );
            assert!(
                all_resolve,
                "{:?}: a valid request resolves",
                request.func()
            );
        }
        Target::Rule(rule, _) => assert!(
            judged.fired.contains(&rule.id),
            "rule {} targeted, fired {:?}",
            rule.id,
            judged.fired
        ),
        Target::Check(c) => assert!(!all_resolve, "check {} targeted, all resolve", c.name()),
    }
    Some(target)
}

/// See the module documentation. Returns whether a structure was generated.
pub fn gen_structure(data: &[u8]) -> bool {
    let mut u = Unstructured::new(data);
    let all = generate::structures();
    let Ok(which) = u.choose_index(all.len()) else {
        return false;
    };
    let desc = all[which];
    let version = version(&mut u);
    let Ok(bytes) = generate::structure(&mut u, desc, version) else {
        return false;
    };
    match structures::decode_checked(desc.name, &bytes, version) {
        Some(Ok(_)) => {}
        other => panic!("{} under {version:?}: {other:?}", desc.name),
    }
    let mut input = Vec::with_capacity(bytes.len() + 1);
    input.push(u8::try_from(which).expect("49 structures"));
    input.extend_from_slice(&bytes);
    let validated = harness::decode_structure(&input);
    if version.is_none() {
        assert!(validated, "{} decodes and validates", desc.name);
    }
    true
}

/// See the module documentation. Returns the number of events generated.
pub fn gen_events(data: &[u8]) -> usize {
    let mut u = Unstructured::new(data);
    let version = version(&mut u);
    let Ok(bytes) = generate::events(&mut u, version) else {
        return 0;
    };
    let (events, err) = EventBuffer::new(&bytes).split();
    assert!(err.is_none(), "generated events frame: {err:?}");
    for raw in &events {
        Event::parse(*raw).expect("a generated event parses");
    }
    mstrp::events::exercise(&bytes);
    events.len()
}
