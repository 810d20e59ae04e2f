//! Rule coverage (issue 12): which validation rules and which result codes a set of inputs
//! reaches, for raw bytes, for any inputs (a libFuzzer corpus) and for the structure-aware
//! generators.
//!
//! Every input is judged as the buffer of a ClientRequest call whose `lNeededSize` and
//! `plUsedSize` are the buffer's length (a client sends what it built):
//! [`crate::validation::Report::for_call_with`], without server state, so only stateless
//! rules run. A rule **fires** when it is a violation's rule, or the function rule through
//! which a LINECALLPARAMS rule was applied (the violation's `via`: 54.10 fails when CP.2
//! does). The input's **result code** is what a conforming server returns: the error of the
//! first violation in rule order, or `TAPI_SUCCESS` (0) when none.
//!
//! The structure-aware source ([`structured`]) alternates a request of a random function in
//! valid mode ([`super::request`]) with a targeted violation ([`super::request_violating`])
//! cycling over [`violation_targets`]: every rule a packet can break, then every resolver
//! check. [`Coverage`] also records, per targeted rule, which other rules fired with it
//! ([`Coverage::also_fires`]; spec-notes/validation.md explains each pair observed).
//!
//! `cargo run --release --features arbitrary --example rule_coverage -- --count 100000`
//! prints the table of the README ("Rule coverage").

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use arbitrary::Unstructured;

use super::{SplitMix64, VarCheck, Violate};
use crate::errors::TAPI_SUCCESS;
use crate::handles::{TAPI_VERSIONS, Version};
use crate::requests::{FuncId, Request};
use crate::validation::{Block, Report, Rule, rules};

/// What one structure-aware input was generated to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A request that passes every stateless rule.
    Valid,
    /// A request that breaks this rule, validated under this negotiated version.
    Rule(&'static Rule, Option<Version>),
    /// A request that breaks this resolver check.
    Check(VarCheck),
}

impl Target {
    /// The [`Violate`] knob that generates it.
    pub fn violate(self) -> Violate {
        match self {
            Target::Valid => Violate::Nothing,
            Target::Rule(r, _) => Violate::Rule(r.id),
            Target::Check(c) => Violate::Check(c),
        }
    }

    /// The negotiated version the input is generated and validated under.
    pub fn version(self) -> Option<Version> {
        match self {
            Target::Rule(_, v) => v,
            _ => None,
        }
    }
}

/// Every stateless rule a packet can break, with the version it is broken under: the
/// stateless rules of [`rules::all`] except the ClientRequest rules listed in
/// [`rules::NOT_BREAKABLE_ALONE`] (CR.1 and CR.2 are about the call's `lNeededSize` and
/// `plUsedSize`, not the packet). The other rules listed there are version-dependent (80.2:
/// "for version <= 2.1"; `validate` without a version skips them): they are broken under the
/// oldest TAPI version, every other rule without a version.
pub fn breakable_rules() -> Vec<(&'static Rule, Option<Version>)> {
    rules::all()
        .filter(|r| !r.is_stateful())
        .filter_map(|r| match rules::not_breakable_alone(r.id) {
            None => Some((r, None)),
            Some(_) if r.block == Block::ClientRequest => None,
            Some(_) => Some((r, Some(TAPI_VERSIONS[0]))),
        })
        .collect()
}

/// The targeted violations [`structured`] cycles over: every rule of [`breakable_rules`] in
/// rule order, then every resolver check of [`VarCheck::ALL`].
pub fn violation_targets() -> Vec<Target> {
    breakable_rules()
        .into_iter()
        .map(|(r, v)| Target::Rule(r, v))
        .chain(VarCheck::ALL.into_iter().map(Target::Check))
        .collect()
}

/// One input of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// What it was generated to be ([`Target::Valid`] for raw bytes).
    pub target: Target,
    /// The bytes; `None` when the generator gave up (an exhausted or unusable seed).
    pub bytes: Option<Vec<u8>>,
}

/// Structure-aware input `i` (seeded by `i`, see [`super::from_seed`]): even `i` a valid
/// request of a random function, odd `i` the targeted violation `targets[(i / 2) %
/// targets.len()]` (`targets` = [`violation_targets`], passed in so that a loop computes it
/// once).
pub fn structured(i: u64, targets: &[Target]) -> Input {
    let target = if i % 2 == 0 || targets.is_empty() {
        Target::Valid
    } else {
        targets[((i / 2) % targets.len() as u64) as usize]
    };
    let bytes = super::from_seed(i, |u| {
        super::request_violating(u, None, target.version(), target.violate())
    })
    .ok();
    Input { target, bytes }
}

/// Raw input `i` of the seeded random-bytes source: SplitMix64 seeded with `seed ^ i`, a
/// length from 0 to 1024, then that many bytes. With `documented_func`, the first DWORD is
/// replaced by a `Req_Func` drawn from the 132 documented ones (how far random bytes get once
/// the function is right).
pub fn raw(seed: u64, i: u64, documented_func: bool) -> Vec<u8> {
    let mut rng = SplitMix64(seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let len = (rng.next_u64() % 1025) as usize;
    let mut out = alloc::vec![0; len];
    rng.fill(&mut out);
    if documented_func && out.len() >= 4 {
        let f = FuncId::ALL[(rng.next_u64() % FuncId::ALL.len() as u64) as usize];
        out[..4].copy_from_slice(&(f as u32).to_le_bytes());
    }
    out
}

/// What [`Coverage::add`] saw for one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// Whether the input parsed as a TAPI32_MSG (60 bytes or more).
    pub parsed: bool,
    /// Every rule that fired, each once, in report order.
    pub fired: Vec<&'static str>,
    /// The result code a conforming server returns.
    pub code: u32,
    /// Every violation as (rule, the function rule it was applied through), in report order.
    pub violations: Vec<(&'static str, Option<&'static str>)>,
}

impl Judged {
    /// The rules that fired besides `target`: the rules (and the rules they were applied
    /// through) of every violation that is not `target`'s own. A violation is `target`'s own
    /// when its rule is `target` or it was applied through `target` (54.10 fails through a
    /// CP rule); the rule a violation of `target` was applied through does not count either
    /// (CP.2 fails through 54.10).
    pub fn others(&self, target: &str) -> Vec<&'static str> {
        let own = |(r, via): &(&str, Option<&str>)| *r == target || *via == Some(target);
        let own_via: Vec<&str> = self
            .violations
            .iter()
            .filter(|v| own(v))
            .filter_map(|(_, via)| *via)
            .collect();
        let mut out: Vec<&'static str> = Vec::new();
        for (r, via) in self.violations.iter().filter(|v| !own(v)) {
            for id in core::iter::once(*r).chain(*via) {
                if id != target && !own_via.contains(&id) && !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }
}

/// Rules and result codes reached by a set of inputs (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Inputs judged.
    pub inputs: u64,
    /// Inputs a generator gave up on (counted in `inputs`, judged as nothing).
    pub not_generated: u64,
    /// Inputs that parse as a TAPI32_MSG.
    pub parsed: u64,
    /// Inputs no stateless rule rejects.
    pub passed: u64,
    fired: BTreeMap<&'static str, u64>,
    codes: BTreeMap<u32, u64>,
    /// Per targeted rule: inputs generated for it, inputs where it fired.
    targeted: BTreeMap<&'static str, (u64, u64)>,
    /// (targeted rule, other rule) -> inputs where both fired.
    pairs: BTreeMap<(&'static str, &'static str), u64>,
    /// Valid-mode inputs some stateless rule rejected, and resolver-check inputs whose
    /// references all resolved: (what was asked, the first few seeds).
    off_target: BTreeMap<String, Vec<u64>>,
}

/// Judges one ClientRequest buffer (see the module documentation).
pub fn judge(bytes: &[u8], version: Option<Version>) -> Judged {
    let len = i32::try_from(bytes.len()).unwrap_or(i32::MAX);
    let report = Report::for_call_with(bytes, len, len, None, version);
    let mut fired: Vec<&'static str> = Vec::new();
    for v in &report.violations {
        for id in core::iter::once(v.rule.id).chain(v.via.map(|r| r.id)) {
            if !fired.contains(&id) {
                fired.push(id);
            }
        }
    }
    Judged {
        parsed: Request::parse(bytes).is_ok(),
        code: report
            .violations
            .first()
            .map_or(TAPI_SUCCESS, |v| v.error().value()),
        fired,
        violations: report
            .violations
            .iter()
            .map(|v| (v.rule.id, v.via.map(|r| r.id)))
            .collect(),
    }
}

impl Coverage {
    /// An empty record.
    pub fn new() -> Coverage {
        Coverage::default()
    }

    /// Judges `bytes` under `version` and records it.
    pub fn add(&mut self, bytes: &[u8], version: Option<Version>) -> Judged {
        let j = judge(bytes, version);
        self.inputs += 1;
        self.parsed += u64::from(j.parsed);
        self.passed += u64::from(j.fired.is_empty());
        for id in &j.fired {
            *self.fired.entry(id).or_default() += 1;
        }
        *self.codes.entry(j.code).or_default() += 1;
        j
    }

    /// Records input `seed` of a structure-aware source: judged as [`Coverage::add`], and
    /// checked against its target (the targeted rule fired, and which others did; a valid
    /// one passed; a resolver check left a reference unresolved).
    pub fn add_input(&mut self, seed: u64, input: &Input) {
        let Some(bytes) = &input.bytes else {
            self.inputs += 1;
            self.not_generated += 1;
            if let Target::Rule(r, _) = input.target {
                self.targeted.entry(r.id).or_default().0 += 1;
            }
            return;
        };
        let j = self.add(bytes, input.target.version());
        let mut off = |what: String| {
            let seeds = self.off_target.entry(what).or_default();
            if seeds.len() < 4 {
                seeds.push(seed);
            }
        };
        match input.target {
            Target::Valid => {
                if !j.fired.is_empty() {
                    off(format!("valid ({})", j.fired.join(", ")));
                }
            }
            Target::Check(c) => {
                let resolves = Request::parse(bytes)
                    .map(|r| r.references().all(|x| x.value.is_ok()))
                    .unwrap_or(false);
                if resolves {
                    off(format!("check {}", c.name()));
                }
            }
            Target::Rule(r, _) => {
                let hit = j.fired.contains(&r.id);
                let e = self.targeted.entry(r.id).or_default();
                e.0 += 1;
                e.1 += u64::from(hit);
                if hit {
                    for other in j.others(r.id) {
                        *self.pairs.entry((r.id, other)).or_default() += 1;
                    }
                } else {
                    off(format!("rule {}", r.id));
                }
            }
        }
    }

    /// Every rule that fired, with the number of inputs it fired on, by id.
    pub fn rules_fired(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.fired.iter().map(|(k, v)| (*k, *v))
    }

    /// Every result code reached, with the number of inputs that got it.
    pub fn codes(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.codes.iter().map(|(k, v)| (*k, *v))
    }

    /// The rules of [`breakable_rules`] that never fired, in rule order.
    pub fn missed_breakable(&self) -> Vec<&'static str> {
        breakable_rules()
            .into_iter()
            .map(|(r, _)| r.id)
            .filter(|id| !self.fired.contains_key(id))
            .collect()
    }

    /// How many of the stateless rules (of [`rules::all`]) fired.
    pub fn stateless_fired(&self) -> usize {
        rules::all()
            .filter(|r| !r.is_stateful() && self.fired.contains_key(r.id))
            .count()
    }

    /// Per targeted rule: (rule, inputs generated for it, inputs where it fired).
    pub fn targeted(&self) -> impl Iterator<Item = (&'static str, u64, u64)> + '_ {
        self.targeted.iter().map(|(k, (n, h))| (*k, *n, *h))
    }

    /// The "also fires" pairs: (targeted rule A, rule B, inputs targeting A, inputs where A
    /// fired and B fired as a separate violation, see [`Judged::others`]), by rule id.
    pub fn also_fires(&self) -> Vec<(&'static str, &'static str, u64, u64)> {
        self.pairs
            .iter()
            .map(|((a, b), n)| (*a, *b, self.targeted.get(a).map_or(0, |t| t.0), *n))
            .collect()
    }

    /// Inputs that missed what they were generated to be: valid-mode requests a stateless
    /// rule rejected (with the rules), targeted rules that did not fire, resolver checks
    /// that left every reference resolving; each with up to four seeds.
    pub fn off_target(&self) -> impl Iterator<Item = (&str, &[u64])> + '_ {
        self.off_target
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The header of the table [`Coverage::markdown_row`] writes rows of.
    pub fn markdown_header() -> String {
        let stateless = rules::all().filter(|r| !r.is_stateful()).count();
        format!(
            "| source | inputs | parse as a request | pass every stateless rule | stateless rules fired (of {stateless}) | breakable rules fired (of {}) | distinct result codes |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            breakable_rules().len()
        )
    }

    /// One row of the table: `source` and the counts.
    pub fn markdown_row(&self, source: &str) -> String {
        let breakable = breakable_rules().len() - self.missed_breakable().len();
        format!(
            "| {source} | {} | {} | {} | {} | {breakable} | {} |",
            self.inputs,
            self.parsed,
            self.passed,
            self.stateless_fired(),
            self.codes.len()
        )
    }
}

/// The structure-aware source for `n` inputs (seeds `0..n`, see [`structured`]), recorded.
pub fn structured_coverage(n: u64) -> Coverage {
    let targets = violation_targets();
    let mut cov = Coverage::new();
    for i in 0..n {
        cov.add_input(i, &structured(i, &targets));
    }
    cov
}

/// The raw random-bytes source for `n` inputs (see [`raw`]), recorded.
pub fn raw_coverage(seed: u64, n: u64, documented_func: bool) -> Coverage {
    let mut cov = Coverage::new();
    for i in 0..n {
        cov.add(&raw(seed, i, documented_func), None);
    }
    cov
}

/// A request drawn by libFuzzer-style bytes: the first two bytes of `u` pick a target of
/// [`Target::Valid`] followed by `targets` (`targets` = [`violation_targets`]), the rest
/// drives the generator. Used by the `gen_request` fuzz target.
pub fn from_unstructured(
    u: &mut Unstructured<'_>,
    targets: &[Target],
) -> arbitrary::Result<(Target, Vec<u8>)> {
    let k = usize::from(u.arbitrary::<u16>()?) % (targets.len() + 1);
    let target = if k == 0 {
        Target::Valid
    } else {
        targets[k - 1]
    };
    let bytes = super::request_violating(u, None, target.version(), target.violate())?;
    Ok((target, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeSet;

    #[test]
    fn the_breakable_set_is_the_stateless_rules_but_cr1_and_cr2() {
        let stateless: BTreeSet<&str> = rules::all()
            .filter(|r| !r.is_stateful())
            .map(|r| r.id)
            .collect();
        let breakable: BTreeSet<&str> = breakable_rules().iter().map(|(r, _)| r.id).collect();
        let left: Vec<&str> = stateless.difference(&breakable).copied().collect();
        assert_eq!(left, ["CR.1", "CR.2"]);
        // 80.2 ("for version <= 2.1") is broken under a version.
        assert!(
            breakable_rules()
                .iter()
                .any(|(r, v)| r.id == "80.2" && v.is_some_and(|v| v.0 <= 0x0002_0001))
        );
    }

    #[test]
    fn others_leave_out_the_targets_own_violations() {
        let j = Judged {
            parsed: true,
            fired: alloc::vec!["CP.2", "54.10", "54.3"],
            code: 0,
            violations: alloc::vec![("CP.2", Some("54.10")), ("54.3", None)],
        };
        assert_eq!(j.others("CP.2"), ["54.3"]);
        assert_eq!(j.others("54.10"), ["54.3"]);
        assert_eq!(j.others("54.3"), ["CP.2", "54.10"]);
    }

    #[test]
    fn a_short_buffer_is_judged_by_the_client_request_rules() {
        // 3.1.4.2: lNeededSize under the size of TAPI32_MSG (60) fails with
        // LINEERR_STRUCTURETOOSMALL (0x8000004D, 2.2.3.1).
        let j = judge(&[0x2F, 0, 0, 0], None);
        assert!(!j.parsed);
        assert_eq!(j.fired, ["CR.1"]);
        assert_eq!(j.code, 0x8000_004D);
    }
}
