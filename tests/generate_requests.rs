//! The generators of issue 12 (`mstrp::generate`): every generated value parses and resolves,
//! valid requests pass every stateless rule, targeted violations break their rule, sequences
//! replay against `ServerSession`, and a seed names one value.
#![cfg(feature = "arbitrary")]

use arbitrary::Unstructured;
use mstrp::events::EventBuffer;
use mstrp::generate::{self, VarCheck, Violate, coverage, sequence};
use mstrp::handles::{TAPI_VERSIONS, Version};
use mstrp::replies::{Reply, ReturnValue};
use mstrp::requests::{Completion, FuncId, Request};
use mstrp::session::replay::{RecordFault, records};
use mstrp::structures::decode_checked;
use mstrp::validation::{self, rules};
use proptest::prelude::*;

fn stateless(bytes: &[u8], v: Option<Version>) -> Vec<&'static str> {
    let r = Request::parse(bytes).expect("parses");
    validation::validate_with(&r, None, v)
        .into_iter()
        .filter(|x| !x.rule.is_stateful())
        .flat_map(|x| [Some(x.rule.id), x.via.map(|r| r.id)])
        .flatten()
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Requests parse, resolve every reference, and pass every stateless rule.
    #[test]
    fn valid_requests(data in prop::collection::vec(any::<u8>(), 0..2048), f in 0..FuncId::ALL.len(), v in prop::option::of(0..7usize)) {
        let version = v.map(|i| TAPI_VERSIONS[i]);
        let mut u = Unstructured::new(&data);
        let bytes = generate::request(&mut u, Some(FuncId::ALL[f]), version).unwrap();
        let r = Request::parse(&bytes).unwrap();
        for x in r.references() { prop_assert!(x.value.is_ok(), "{:?}", x); }
        prop_assert_eq!(stateless(&bytes, version), Vec::<&str>::new(), "{:?}", FuncId::ALL[f]);
    }

    /// Structures decode with every item resolved; replies parse; event buffers split cleanly.
    #[test]
    fn other_kinds(data in prop::collection::vec(any::<u8>(), 0..2048), s in 0..49usize, f in 0..FuncId::ALL.len()) {
        let mut u = Unstructured::new(&data);
        let d = generate::structures()[s];
        let b = generate::structure(&mut u, d, None).unwrap();
        prop_assert!(decode_checked(d.name, &b, None).unwrap().is_ok(), "{}", d.name);
        let func = FuncId::ALL[f];
        let reply = generate::reply(&mut u, Some(func), None).unwrap();
        prop_assert!(Reply::parse(func, &reply).is_ok());
        let ev = generate::events(&mut u, None).unwrap();
        let (_, err) = EventBuffer::new(&ev).split();
        prop_assert!(err.is_none(), "{:?}", err);
    }
}

/// `generate::request` makes a request of `func` from `data` under `version`, and it passes
/// every stateless rule: the check of each regression below.
fn converges(data: &[u8], func: FuncId, version: Option<Version>) {
    let mut u = Unstructured::new(data);
    let bytes = generate::request(&mut u, Some(func), version)
        .unwrap_or_else(|e| panic!("{func:?}: {e:?}"));
    assert_eq!(Request::parse(&bytes).unwrap().func(), Some(func));
    assert_eq!(stateless(&bytes, version), Vec::<&str>::new());
}

/// Found by `valid_requests`: the input runs out at the ninth repair round of SetMediaMode
/// under TAPI 1.3, and 80.2 rejects the first two boundary values (0, and 1, which is not a
/// LINEMEDIAMODE_ constant) and accepts the third (2, LINEMEDIAMODE_UNKNOWN, 2.2.3.1.44); the
/// generator gave up before it walked that far.
#[test]
fn an_input_exhausted_late_still_converges() {
    let data = [
        0u8, 0, 56, 0, 159, 0, 0, 0, 0, 192, 30, 0, 54, 191, 0, 0, 0, 0, 0, 6, 0, 138, 0, 30, 0, 0,
        0, 6,
    ];
    converges(&data, FuncId::LineSetMediaMode, Some(TAPI_VERSIONS[0]));
}

/// Found by `valid_requests` (SetMediaMode under TAPI 1.3, a 32-byte input that draws 0 and
/// 0xFF for dwMediaMode in turn): the generator returned `IncorrectFormat` for a request it
/// can make.
#[test]
fn a_short_input_under_the_first_version_still_converges() {
    let data = [
        0u8, 0, 4, 30, 0, 6, 20, 126, 12, 0, 0, 6, 0, 0, 0, 78, 151, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0,
        54, 0, 0, 0, 0,
    ];
    converges(&data, FuncId::LineSetMediaMode, Some(TAPI_VERSIONS[0]));
}

/// Found by `valid_requests`: NegotiateAPIVersionForAllDevices from an input exhausted at
/// once. Walking every failing field through the same boundary value never makes the list
/// sizes 4 and 16 times the device count (130.3, 130.5); zeros do.
#[test]
fn related_sizes_converge_from_an_exhausted_input() {
    converges(
        &[0, 0, 0, 0, 0, 1],
        FuncId::NegotiateAPIVersionForAllDevices,
        None,
    );
}

/// Found by `valid_requests`: GenerateTone from an input exhausted at once chose
/// LINETONEMODE_CUSTOM and could not give lpTones data (20.2, 20.3); the rules' condition is
/// now turned off instead.
#[test]
fn a_rule_that_holds_for_one_value_is_turned_off() {
    converges(&[0, 0, 1], FuncId::LineGenerateTone, None);
}

#[test]
fn there_are_49_structures_and_58_event_kinds() {
    assert_eq!(generate::structures().len(), 49);
    assert_eq!(generate::event_kinds().len(), 58);
}

/// Every breakable stateless rule fires with one targeted violation each: the structure-aware
/// source of `generate::coverage` (the one the rule coverage table of the README is measured
/// with) over twice as many inputs as there are targets, so each target is generated once,
/// between valid requests. Every input hits its target (valid ones pass every stateless
/// rule, resolver checks leave a reference unresolved). The rules that also fire are printed
/// (run with --nocapture; spec-notes/validation.md explains them).
#[test]
fn every_breakable_stateless_rule_is_broken() {
    let targets = coverage::violation_targets();
    let cov = coverage::structured_coverage(2 * targets.len() as u64);
    for (a, b, n, both) in cov.also_fires() {
        println!("{a} also fires {b} ({both} of {n})");
    }
    assert_eq!(cov.not_generated, 0, "the generator gave up on some inputs");
    assert_eq!(
        cov.missed_breakable(),
        Vec::<&str>::new(),
        "rules not broken"
    );
    let off: Vec<_> = cov.off_target().collect();
    assert!(off.is_empty(), "inputs off target: {off:?}");
    assert_eq!(cov.targeted().count(), rules_breakable_count());
}

/// The number of breakable rules, counted from the rule table (every stateless rule but the
/// two about the call's arguments, CR.1 and CR.2).
fn rules_breakable_count() -> usize {
    rules::all()
        .filter(|r| !r.is_stateful() && r.id != "CR.1" && r.id != "CR.2")
        .count()
}

#[test]
fn resolver_checks_are_broken() {
    for c in VarCheck::ALL {
        let bytes = generate::from_seed(7, |u| {
            generate::request_violating(u, None, None, Violate::Check(c))
        })
        .unwrap();
        let r = Request::parse(&bytes).unwrap();
        assert!(
            r.references().any(|x| x.value.is_err()),
            "{c:?}: every reference resolves"
        );
    }
}

#[test]
fn a_seed_names_one_value() {
    for seed in [0u64, 1, 42, u64::MAX] {
        let a = generate::from_seed(seed, |u| generate::request(u, None, None)).unwrap();
        let b = generate::from_seed(seed, |u| generate::request(u, None, None)).unwrap();
        assert_eq!(a, b);
        let a = generate::from_seed(seed, sequence::valid).unwrap();
        let b = generate::from_seed(seed, sequence::valid).unwrap();
        assert_eq!(a, b);
    }
    // Known answer: SplitMix64 from state 0 gives 0xE220A8397B1DCDAF first (the reference
    // output of Vigna's splitmix64.c seeded with 0).
    assert_eq!(generate::SplitMix64(0).next_u64(), 0xE220_A839_7B1D_CDAF);
}

/// Valid sequences replayed byte for byte: every request succeeds, every request id the server
/// returns is completed by a LINE_REPLY in a later GetAsyncEvents reply.
#[test]
fn valid_sequences_replay() {
    for seed in 0..32u64 {
        let seq = generate::from_seed(seed, sequence::valid).unwrap();
        let file = sequence::encode_records(&seq);
        let records: Vec<&[u8]> = records(&file).map(|r| r.unwrap().bytes).collect();
        assert_eq!(records, seq);
        let mut server = sequence::attached_server();
        let mut pending = Vec::new();
        for rec in records {
            let func = FuncId::from_u32(u32::from_le_bytes(rec[..4].try_into().unwrap())).unwrap();
            let reply = server.request(rec, rec.len() as u32);
            let r = Reply::parse(func, &reply).unwrap();
            match r.return_value() {
                ReturnValue::Success => {}
                ReturnValue::RequestId(id) if func.desc().completion == Completion::Async => {
                    pending.push(id.0)
                }
                other => panic!("seed {seed}: {func:?} -> {other:?}"),
            }
            if func == FuncId::GetAsyncEvents {
                for e in EventBuffer::from_get_async_events_reply(&reply)
                    .unwrap()
                    .iter()
                {
                    let e = e.unwrap();
                    if e.msg() == 0x0C {
                        let id = e.dword(6).unwrap();
                        assert_eq!(e.dword(7), Some(0), "LINE_REPLY success");
                        pending.retain(|p| *p != id);
                    }
                }
            }
        }
        assert!(pending.is_empty(), "seed {seed}: not completed {pending:?}");
    }
}

/// The layout the issue gives, `[u32 little-endian length][TAPI32_MSG bytes]`, written by
/// `encode_records` and read back by the one reader, `session::replay::records`.
#[test]
fn records_round_trip_through_the_one_reader() {
    let file = sequence::encode_records(&[vec![1u8, 2, 3], vec![]]);
    assert_eq!(file, [3, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0]);
    let read: Vec<(usize, usize, &[u8])> = records(&file)
        .map(|r| r.map(|r| (r.index, r.offset, r.bytes)).unwrap())
        .collect();
    assert_eq!(read, [(0, 0, &[1u8, 2, 3][..]), (1, 7, &[][..])]);
    // Cut inside the first record: its error, after nothing.
    let e = records(&file[..5]).next().unwrap().unwrap_err();
    assert_eq!((e.index, e.offset), (0, 0));
    assert_eq!(
        e.fault,
        RecordFault::TruncatedBody {
            len: 3,
            available: 1
        }
    );
}

#[test]
fn mutations_keep_sequences_readable() {
    for seed in 0..16u64 {
        let seq = generate::from_seed(seed, sequence::mutated).unwrap();
        let file = sequence::encode_records(&seq);
        assert_eq!(records(&file).filter(Result::is_ok).count(), seq.len());
        let mut server = sequence::attached_server();
        for r in &seq {
            let _ = server.request(r, r.len() as u32);
        }
    }
}

/// Regression (found by the `gen_request` fuzz target, input `00 00 4A 00`): from an exhausted
/// input, valid-mode generation of SetCallTreatment kept dwTreatment at 0 and returned a
/// request that 75.2 rejects. Now every function gives a valid request or none.
#[test]
fn an_exhausted_input_gives_a_valid_request_or_none() {
    let bytes = generate::request(
        &mut Unstructured::new(&[]),
        Some(FuncId::LineSetCallTreatment),
        None,
    )
    .expect("dwTreatment 1 (LINECALLTREATMENT_SILENCE) is reached");
    assert_eq!(stateless(&bytes, None), Vec::<&str>::new());
    for func in FuncId::ALL {
        if let Ok(bytes) = generate::request(&mut Unstructured::new(&[]), Some(*func), None) {
            assert_eq!(stateless(&bytes, None), Vec::<&str>::new(), "{func:?}");
        }
    }
}
