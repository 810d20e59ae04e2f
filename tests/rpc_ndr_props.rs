//! Properties of the twelve stubs in NDR20 and NDR64 (`mstrp::rpc::methods`):
//! * every valid stub a builder makes decodes to the builder's values, and its view's
//!   `to_builder()` encodes to the same bytes;
//! * every proper prefix of a valid stub fails with a truncation error;
//! * arbitrary bytes, and valid stubs with bytes changed, never panic any of the 24
//!   (method, direction, syntax) decoders, and whatever is accepted is rebuilt byte for byte.

use mstrp::rpc::methods::*;
use mstrp::rpc::ndr::*;
use proptest::prelude::*;

fn syntax() -> impl Strategy<Value = Syntax> {
    prop_oneof![Just(Syntax::Ndr20), Just(Syntax::Ndr64)]
}

fn ctx() -> impl Strategy<Value = ContextHandle> {
    any::<[u8; 20]>().prop_map(ContextHandle::from_bytes)
}

/// A handle the server could have issued: non-nil UUID.
fn live_ctx() -> impl Strategy<Value = ContextHandle> {
    any::<[u8; 20]>().prop_map(|mut b| {
        b[4] |= 1;
        ContextHandle::from_bytes(b)
    })
}

fn padding() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        proptest::collection::vec(any::<u8>(), 0..12)
    ]
}

fn wstr() -> impl Strategy<Value = WStrBuilder> {
    prop_oneof![
        "\\PC{0,24}".prop_map(|s| WStrBuilder::new(&s)),
        proptest::collection::vec(any::<u16>(), 0..24).prop_map(|mut u| {
            u.push(0);
            WStrBuilder {
                text: String::new(),
                units: Some(u),
                counts: Counts::default(),
            }
        }),
    ]
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

/// A builder of any of the twelve stubs whose stub passes every check.
fn valid_builder() -> impl Strategy<Value = StubBuilder> {
    prop_oneof![
        (any::<i32>(), wstr(), wstr(), padding()).prop_map(|(pid, d, m, padding)| {
            ClientAttachRequestBuilder {
                l_process_id: pid,
                psz_domain_user: d,
                psz_machine: m,
                padding,
            }
            .into()
        }),
        (ctx(), any::<i32>(), any::<i32>()).prop_map(|(c, e, r)| ClientAttachResponseBuilder {
            pph_context: c,
            ph_async_events_event: e,
            return_value: r,
        }
        .into()),
        (live_ctx(), bytes(200), 0..4096i32, padding()).prop_map(|(c, buf, extra, padding)| {
            ClientRequestRequestBuilder {
                l_needed_size: Some(buf.len() as i32 + extra),
                padding,
                ..ClientRequestRequestBuilder::new(c, &buf)
            }
            .into()
        }),
        (bytes(200), 0..4096i32, padding()).prop_map(|(buf, extra, padding)| {
            ClientRequestResponseBuilder {
                padding,
                ..ClientRequestResponseBuilder::new(&buf, buf.len() as i32 + extra)
            }
            .into()
        }),
        ctx().prop_map(|c| ClientDetachRequestBuilder { pph_context: c }.into()),
        ctx().prop_map(|c| ClientDetachResponseBuilder { pph_context: c }.into()),
        Just(RemoteSPAttachRequestBuilder {}.into()),
        (ctx(), any::<i32>()).prop_map(|(c, r)| RemoteSPAttachResponseBuilder {
            pph_context: c,
            return_value: r,
        }
        .into()),
        (live_ctx(), bytes(200), padding()).prop_map(|(c, buf, padding)| {
            RemoteSPEventProcRequestBuilder {
                padding,
                ..RemoteSPEventProcRequestBuilder::new(c, &buf)
            }
            .into()
        }),
        Just(RemoteSPEventProcResponseBuilder {}.into()),
        ctx().prop_map(|c| RemoteSPDetachRequestBuilder { pph_context: c }.into()),
        ctx().prop_map(|c| RemoteSPDetachResponseBuilder { pph_context: c }.into()),
    ]
}

fn method_direction() -> impl Strategy<Value = (Method, Direction)> {
    (0..6usize, 0..2usize).prop_map(|(m, d)| (Method::ALL[m], Direction::ALL[d]))
}

/// The decoded values equal the builder's (the parts a builder holds directly).
fn same_values(b: &StubBuilder, s: &Stub<'_>) {
    match (b, s) {
        (StubBuilder::ClientAttachRequest(b), Stub::ClientAttachRequest(v)) => {
            assert_eq!(v.l_process_id(), b.l_process_id);
            let units: Vec<u16> = v.psz_domain_user().units_with_nul().collect();
            assert_eq!(units, b.psz_domain_user.wire_units());
            let units: Vec<u16> = v.psz_machine().units_with_nul().collect();
            assert_eq!(units, b.psz_machine.wire_units());
        }
        (StubBuilder::ClientAttachResponse(b), Stub::ClientAttachResponse(v)) => {
            assert_eq!(v.pph_context(), b.pph_context);
            assert_eq!(v.ph_async_events_event(), b.ph_async_events_event);
            assert_eq!(v.return_value(), b.return_value);
        }
        (StubBuilder::ClientRequestRequest(b), Stub::ClientRequestRequest(v)) => {
            assert_eq!(v.ph_context(), b.ph_context);
            assert_eq!(v.p_buffer().bytes(), &b.p_buffer[..]);
            assert_eq!(Some(v.l_needed_size()), b.l_needed_size);
            assert_eq!(v.pl_used_size() as usize, b.p_buffer.len());
            assert_eq!(v.p_buffer().max_count, v.l_needed_size() as u64);
        }
        (StubBuilder::ClientRequestResponse(b), Stub::ClientRequestResponse(v)) => {
            assert_eq!(v.p_buffer().bytes(), &b.p_buffer[..]);
            assert_eq!(v.pl_used_size() as usize, b.p_buffer.len());
        }
        (StubBuilder::RemoteSPEventProcRequest(b), Stub::RemoteSPEventProcRequest(v)) => {
            assert_eq!(v.ph_context(), b.ph_context);
            assert_eq!(v.p_buffer().bytes(), &b.p_buffer[..]);
            assert_eq!(v.l_size() as usize, b.p_buffer.len());
        }
        (StubBuilder::RemoteSPAttachResponse(b), Stub::RemoteSPAttachResponse(v)) => {
            assert_eq!(v.pph_context(), b.pph_context);
            assert_eq!(v.return_value(), b.return_value);
        }
        (StubBuilder::ClientDetachRequest(b), Stub::ClientDetachRequest(v)) => {
            assert_eq!(v.pph_context(), b.pph_context)
        }
        (StubBuilder::ClientDetachResponse(b), Stub::ClientDetachResponse(v)) => {
            assert_eq!(v.pph_context(), b.pph_context)
        }
        (StubBuilder::RemoteSPDetachRequest(b), Stub::RemoteSPDetachRequest(v)) => {
            assert_eq!(v.pph_context(), b.pph_context)
        }
        (StubBuilder::RemoteSPDetachResponse(b), Stub::RemoteSPDetachResponse(v)) => {
            assert_eq!(v.pph_context(), b.pph_context)
        }
        (StubBuilder::RemoteSPAttachRequest(_), Stub::RemoteSPAttachRequest(_))
        | (StubBuilder::RemoteSPEventProcResponse(_), Stub::RemoteSPEventProcResponse(_)) => {}
        _ => panic!("decoded as another stub"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn valid_stubs_round_trip(b in valid_builder(), syntax in syntax()) {
        let stub = b.encode(syntax);
        let s = decode(b.method(), b.direction(), syntax, &stub)
            .unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!((s.method(), s.direction(), s.syntax()), (b.method(), b.direction(), syntax));
        prop_assert_eq!(s.as_bytes(), &stub[..]);
        same_values(&b, &s);
        prop_assert_eq!(s.to_builder().encode(syntax), stub);
    }

    #[test]
    fn every_prefix_is_truncated(b in valid_builder(), syntax in syntax()) {
        let stub = b.encode(syntax);
        for n in 0..stub.len() {
            let e = decode(b.method(), b.direction(), syntax, &stub[..n]).unwrap_err();
            prop_assert!(
                matches!(e.kind, NdrErrorKind::Truncated { .. } | NdrErrorKind::MissingPadding { .. }),
                "prefix {} of {}: {}", n, stub.len(), e
            );
            prop_assert_eq!(e.fault_status(), FAULT_NDR);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        (method, direction) in method_direction(),
        syntax in syntax(),
        stub in bytes(300),
    ) {
        if let Ok(s) = decode(method, direction, syntax, &stub) {
            prop_assert_eq!(s.to_builder().encode(syntax), stub);
        }
    }

    #[test]
    fn changed_stubs_never_panic_and_rebuild_exactly(
        b in valid_builder(),
        syntax in syntax(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        (method, direction) in method_direction(),
    ) {
        let mut stub = b.encode(syntax);
        if !stub.is_empty() {
            for (i, v) in edits {
                let i = i.index(stub.len());
                stub[i] = v;
            }
        }
        for (m, d) in [(b.method(), b.direction()), (method, direction)] {
            for syn in Syntax::ALL {
                if let Ok(s) = decode(m, d, syn, &stub) {
                    prop_assert_eq!(s.to_builder().encode(syn), stub.clone());
                }
            }
        }
    }
}
