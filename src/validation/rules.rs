//! The rule table: every sentence of 3.1.4.2, once, by function.
//!
//! Each block is `Func = Req_Func { [n: shape(args) if guard(args) => SET CODE, "sentence"] }`
//! where `n` is the sentence's bullet number in the function's block (so `47.3` is the third
//! bullet under "When Req_Func is equal to 47"), `shape` is one of the [`Check`] shapes, field
//! arguments are the packet's field names as the catalogue spells them (a name the packet does
//! not have fails to compile), and `SET CODE` is the error (`L` for LINEERR_, `P` for
//! PHONEERR_). `pkt n:` entries are requirements of the packet's own section that 3.1.4.2
//! leaves out (ids `<Req_Func>.P<n>`). Bullets that are not checks ("On success, ...", list
//! items) and the sentences this crate does not apply are listed in [`NOT_APPLIED`].
//!
//! Nothing here restates what the catalogues describe. Field names become indexes at compile
//! time ([`fi`] in a `const` item), also inside the predicates, which read fields with
//! `get!(c, dwName)` against their block's function: a misspelt field does not compile. Sizes
//! ("the size of the X packet") are the structure catalogue's fixed part of X in the
//! request's TAPI version ([`super::struct_size`]: `fixed_size(version)`, or the oldest fixed
//! part `min_size` when the version is not known), and rules over an embedded structure read
//! it through the catalogue's views (LINECALLPARAMS, LINEFORWARDLIST and its entries,
//! LINECALLHUBTRACKINGINFO). `decodes(field)` packet-section rules require the structure to
//! decode as the decoder reads it.
//!
//! Choices (error codes the spec does not name, fields the sentence misnames, the
//! 0xFFFFFFFF exception) are recorded in `spec-notes/validation.md`; each deviating rule also
//! carries a `note`.

use crate::errors::{ErrorCode, LineErr, PhoneErr};
use crate::handles::{HCall, HLine, HPhone, HandleKind, Version};
use crate::header::HEADER_DWORDS;
use crate::requests::{FuncId, Request};
use crate::structures::{self, StructDesc};
use crate::vardata::ABSENT;

use super::callparams::CALLPARAMS_RULES;
use super::consts::*;
use super::engine::{Memo, passes_stateless, step};
use super::{
    Bits, Block, Bound, CLIENT_REQUEST_RULES, Check, Ctx, Device, Fact, FieldIndex, FwdCheck,
    Guard, Rule, ServerState, VersionSource, Violation, resolve_version,
};

/// Index of the field `name` in `func`'s packet. Every rule of the table and every predicate
/// (through `get!`) computes it in a `const` item, so a name the packet does not have is a
/// compile error (already under `cargo check`):
///
/// ```compile_fail
/// use mstrp::requests::FuncId;
/// use mstrp::validation::rules::fi;
/// // GetAgentInfo has lpAgentInfo, not lpAgentInfos.
/// let read = |d: [u32; 15]| {
///     const I: u8 = fi(FuncId::LineGetAgentInfo, "lpAgentInfos");
///     d[I as usize]
/// };
/// assert_eq!(read([0; 15]), 0);
/// ```
///
/// ```
/// use mstrp::requests::FuncId;
/// use mstrp::validation::rules::fi;
/// let read = |d: [u32; 15]| {
///     const I: u8 = fi(FuncId::LineGetAgentInfo, "lpAgentInfo");
///     d[I as usize]
/// };
/// assert_eq!(read([7; 15]), 7);
/// ```
pub const fn fi(func: FuncId, name: &str) -> FieldIndex {
    let fields = &func.desc().fields;
    let n = name.as_bytes();
    let mut i = 0;
    while i < fields.len() {
        let a = fields[i].name.as_bytes();
        if a.len() == n.len() {
            let mut j = 0;
            while j < a.len() && a[j] == n[j] {
                j += 1;
            }
            if j == a.len() {
                return i as FieldIndex;
            }
        }
        i += 1;
    }
    panic!("the rule names a field the packet does not have")
}

macro_rules! err {
    (L $c:ident) => {
        ErrorCode::Line(LineErr::$c)
    };
    (P $c:ident) => {
        ErrorCode::Phone(PhoneErr::$c)
    };
}

/// The index of field `$f` of packet `$F`, computed at compile time.
macro_rules! f {
    ($F:ident, $f:ident) => {{
        const I: FieldIndex = fi(FuncId::$F, stringify!($f));
        I
    }};
}

/// The value of field `$f` of the packet whose block is being defined (the `F` of the
/// block's module), its index computed at compile time: a misspelt field does not compile.
macro_rules! get {
    ($c:expr, $f:ident) => {
        $c.get({
            const I: FieldIndex = fi(F, stringify!($f));
            I
        })
    };
}

/// Structure `$n`'s description in the structure catalogue: "the size of the `$n` packet" is
/// its fixed part in the request's version ([`super::struct_size`]).
macro_rules! desc {
    ($n:ident) => {
        &crate::structures::descs::$n::DESC
    };
}

/// The oldest (smallest) fixed size of structure `$n` in the structure catalogue
/// ([`crate::structures::StructDesc::min_size`]), for the structures with one layout
/// (LINEGENERATETONE, LINEEXTENSIONID, PHONEEXTENSIONID) that predicates multiply.
macro_rules! min_size {
    ($n:ident) => {{
        const N: u32 = {
            let n = crate::structures::descs::$n::DESC.min_size;
            assert!(n <= u32::MAX as usize);
            n as u32
        };
        N
    }};
}

/// `(field name, Check)` for a shape.
macro_rules! shape {
    ($F:ident; str_aligned($f:ident)) => {
        (stringify!($f), Check::StrAligned(f!($F, $f)))
    };
    ($F:ident; str_within($f:ident)) => {
        (stringify!($f), Check::StrWithin(f!($F, $f)))
    };
    ($F:ident; str_terminated($f:ident)) => {
        (stringify!($f), Check::StrTerminated(f!($F, $f)))
    };
    ($F:ident; string($f:ident)) => {
        (stringify!($f), Check::Str(f!($F, $f)))
    };
    ($F:ident; aligned_within($f:ident)) => {
        (stringify!($f), Check::AlignedWithin(f!($F, $f)))
    };
    ($F:ident; extent($f:ident, $s:ident)) => {
        (stringify!($f), Check::Extent(f!($F, $f), f!($F, $s)))
    };
    ($F:ident; block($f:ident, $s:ident)) => {
        (stringify!($f), Check::Block(f!($F, $f), f!($F, $s)))
    };
    ($F:ident; fits($f:ident, $n:ident)) => {
        (stringify!($f), Check::Fits(f!($F, $f), desc!($n)))
    };
    ($F:ident; resolves($f:ident)) => {
        (stringify!($f), Check::Resolves(f!($F, $f)))
    };
    ($F:ident; var_min($n:ident)) => {
        ("VarData", Check::VarDataAtLeast(Bound::Struct(desc!($n))))
    };
    ($F:ident; var_min_field($f:ident)) => {
        (
            stringify!($f),
            Check::VarDataAtLeast(Bound::Field(f!($F, $f))),
        )
    };
    ($F:ident; at_least($f:ident, GUID)) => {
        (
            stringify!($f),
            Check::AtLeast(f!($F, $f), Bound::Const(GUID_SIZE)),
        )
    };
    ($F:ident; at_least($f:ident, $n:ident)) => {
        (
            stringify!($f),
            Check::AtLeast(f!($F, $f), Bound::Struct(desc!($n))),
        )
    };
    ($F:ident; at_most($f:ident, $n:ident)) => {
        (stringify!($f), Check::AtMost(f!($F, $f), $n))
    };
    ($F:ident; forward($f:ident, $k:ident)) => {
        (stringify!($f), Check::Forward(f!($F, $f), FwdCheck::$k))
    };
    ($F:ident; decodes($f:ident)) => {
        (stringify!($f), Check::Decodes(f!($F, $f)))
    };
    ($F:ident; multiple_of($f:ident, $n:literal)) => {
        (stringify!($f), Check::MultipleOf(f!($F, $f), $n))
    };
    ($F:ident; nonzero($f:ident)) => {
        (stringify!($f), Check::NonZero(f!($F, $f)))
    };
    ($F:ident; equals($f:ident, $v:ident)) => {
        (stringify!($f), Check::Equals(f!($F, $f), $v))
    };
    ($F:ident; bits($f:ident, $m:expr, $how:ident)) => {
        (stringify!($f), Check::Bits(f!($F, $f), $m, Bits::$how))
    };
    ($F:ident; version($f:ident, $set:ident)) => {
        (stringify!($f), Check::Version(f!($F, $f), $set))
    };
    ($F:ident; not_greater($a:ident, $b:ident)) => {
        (stringify!($a), Check::NotGreater(f!($F, $a), f!($F, $b)))
    };
    ($F:ident; version_between($a:ident, $b:ident)) => {
        (
            stringify!($a),
            Check::VersionBetween(f!($F, $a), f!($F, $b)),
        )
    };
    ($F:ident; handle($f:ident, $k:ident)) => {
        (
            stringify!($f),
            Check::Handle(f!($F, $f), HandleKind::$k, false),
        )
    };
    ($F:ident; opt_handle($f:ident, $k:ident)) => {
        (
            stringify!($f),
            Check::Handle(f!($F, $f), HandleKind::$k, true),
        )
    };
    ($F:ident; device($f:ident, $d:ident)) => {
        (stringify!($f), Check::DeviceId(f!($F, $f), Device::$d))
    };
    ($F:ident; proxy($f:ident)) => {
        (stringify!($f), Check::ProxyRegistered(f!($F, $f)))
    };
    ($F:ident; proxy_handles($f:ident)) => {
        (stringify!($f), Check::ProxyHandles(f!($F, $f)))
    };
    ($F:ident; fact($f:ident, $p:expr)) => {
        (stringify!($f), Check::Fact($p))
    };
    ($F:ident; custom($f:ident, $p:expr)) => {
        (stringify!($f), Check::Custom($p))
    };
    ($F:ident; with_state($f:ident, $p:expr)) => {
        (stringify!($f), Check::WithState($p))
    };
    ($F:ident; callparams($f:ident, field($v:ident))) => {
        (
            stringify!($f),
            Check::CallParams(f!($F, $f), VersionSource::Field(f!($F, $v))),
        )
    };
    ($F:ident; callparams($f:ident, handle($h:ident, $k:ident))) => {
        (
            stringify!($f),
            Check::CallParams(
                f!($F, $f),
                VersionSource::Handle(f!($F, $h), HandleKind::$k),
            ),
        )
    };
}

macro_rules! guard {
    ($F:ident;) => {
        Guard::Always
    };
    ($F:ident; present($f:ident)) => {
        Guard::Present(f!($F, $f))
    };
    ($F:ident; eq($f:ident, $v:expr)) => {
        Guard::Eq(f!($F, $f), $v)
    };
    ($F:ident; any($f:ident, $v:expr)) => {
        Guard::Any(f!($F, $f), $v)
    };
    ($F:ident; nonzero($f:ident)) => {
        Guard::NonZero(f!($F, $f))
    };
    ($F:ident; when($p:expr)) => {
        Guard::If($p)
    };
}

macro_rules! entry {
    ($F:ident $num:literal; pkt $n:literal : $($rest:tt)*) => {
        entry!(@ $F, Block::Packet(FuncId::$F), concat!($num, ".P", $n); $($rest)*)
    };
    ($F:ident $num:literal; $n:literal : $($rest:tt)*) => {
        entry!(@ $F, Block::Function(FuncId::$F), concat!($num, ".", $n); $($rest)*)
    };
    (@ $F:ident, $block:expr, $id:expr;
        $shape:ident ( $($a:tt)* ) $(if $g:ident ( $($ga:tt)* ))? => $set:ident $code:ident, $text:literal $(, note $note:literal)?) => {{
        let (field, check) = shape!($F; $shape($($a)*));
        Rule {
            id: $id,
            block: $block,
            field,
            check,
            guard: guard!($F; $($g($($ga)*))?),
            error: err!($set $code),
            text: $text,
            note: { #[allow(unused_mut, unused_assignments)] let mut n = None; $( n = Some($note); )? n },
        }
    }};
}

macro_rules! table {
    ($( $F:ident = $num:literal { $( [ $($e:tt)* ] )* } )*) => {
        /// One module per function block; `F` is the block's function, which `get!` reads.
        mod by_func {
            $(
                #[allow(non_snake_case, dead_code)]
                pub(super) mod $F {
                    use super::super::*;
                    pub(super) const F: FuncId = FuncId::$F;
                    pub(in super::super) const RULES: &[Rule] = &[ $( entry!($F $num; $($e)*), )* ];
                    const _: () = assert!(FuncId::$F as u32 == $num);

                    /// Where the request's version comes from, worked out at compile time.
                    const VERSION: VersionFrom = version_from(F, RULES);

                    /// Builds the request's context (its description, a constant here, and
                    /// its version, resolved as `VERSION` says) and runs the block's rules in
                    /// order, one call per rule with the rule a constant, so that each rule's
                    /// shape, guard and fields are known when this is compiled (no dispatch
                    /// on the shape at run time).
                    ///
                    /// Inlined into [`run`] and [`run_stateless`], the block's two runners.
                    ///
                    /// The rules before `from` are left out (`run_stateless` found that they
                    /// pass: they would hand over no violation, mark no field broken and
                    /// leave in the memo, a cache, nothing the later rules' results depend
                    /// on).
                    #[inline(always)]
                    fn run_with<'a>(
                        request: &Request<'a>,
                        capacity: u64,
                        state: Option<&dyn ServerState>,
                        api_version: Option<Version>,
                        sink: &mut dyn FnMut(Violation),
                        from: usize,
                    ) {
                        let dwords = request.msg().dwords();
                        let ctx = Ctx {
                            desc: const { F.desc() },
                            version: resolve_version(VERSION, &dwords, state, api_version),
                            dwords,
                            var: request.var_data(),
                            capacity,
                        };
                        // What several rules read from the same embedded structure, worked
                        // out once.
                        let mut memo = Memo::new();
                        let memo = &mut memo;
                        let mut broken = 0u16;
                        let mut k = 0usize;
                        $(
                            {
                                let _ = stringify!($($e)*);
                                if k >= from {
                                    step(&RULES[k], &ctx, state, memo, &mut broken, sink);
                                }
                                k += 1;
                            }
                        )*
                        let _ = (k, &mut broken, memo);
                    }

                    /// The block's runner with a state (see `run_with`).
                    pub(in super::super) fn run<'a>(
                        request: &Request<'a>,
                        capacity: u64,
                        state: Option<&dyn ServerState>,
                        api_version: Option<Version>,
                        sink: &mut dyn FnMut(Violation),
                    ) {
                        run_with(request, capacity, state, api_version, sink, 0)
                    }

                    /// The block's runner without a state: compiled without the stateful
                    /// rules and the state's version look-up, and with its arguments in
                    /// registers (no state to pass). First every rule in turn, each with the
                    /// rule a constant, decided from the DWORDs and the bytes alone
                    /// ([`passes_stateless`]: no memo, no violation to hand over); at the
                    /// first rule that may fail, the block's full rules (`run_full`), which
                    /// give every violation.
                    pub(in super::super) fn run_stateless<'a>(
                        request: &Request<'a>,
                        capacity: u64,
                        api_version: Option<Version>,
                        sink: &mut dyn FnMut(Violation),
                    ) {
                        let dwords = request.msg().dwords();
                        let ctx = Ctx {
                            desc: const { F.desc() },
                            version: resolve_version(VERSION, &dwords, None, api_version),
                            dwords,
                            var: request.var_data(),
                            capacity,
                        };
                        // The structure fields whose `decodes` rule an earlier rule found to
                        // pass (a LINECALLPARAMS block that parsed the structure).
                        let mut decoded = 0u16;
                        let mut k = 0usize;
                        $(
                            {
                                let _ = stringify!($($e)*);
                                if !passes_stateless(&RULES[k], &ctx, &mut decoded) {
                                    return run_full(request, capacity, api_version, sink, k);
                                }
                                k += 1;
                            }
                        )*
                        let _ = (k, &ctx, decoded);
                    }

                    /// The block's full rules without a state, for a request some rule of
                    /// which may fail (`run_stateless`).
                    #[cold]
                    #[inline(never)]
                    fn run_full<'a>(
                        request: &Request<'a>,
                        capacity: u64,
                        api_version: Option<Version>,
                        sink: &mut dyn FnMut(Violation),
                        from: usize,
                    ) {
                        run_with(request, capacity, None, api_version, sink, from)
                    }
                }
            )*
        }

        /// Every function's block compiled once, at compile time, indexed by `Req_Func`
        /// (the documented values are all below 256).
        static COMPILED: [Compiled; 256] = {
            let mut a = [Compiled::EMPTY; 256];
            $( a[FuncId::$F as usize] = Compiled::new(FuncId::$F, by_func::$F::RULES); )*
            a
        };

        /// Every block's runner indexed by `Req_Func` value, `None` for an undocumented
        /// value (the documented values are all below 256).
        static RUNNERS: [Option<Runner>; 256] = {
            let mut a: [Option<Runner>; 256] = [None; 256];
            $( a[FuncId::$F as usize] = Some(by_func::$F::run); )*
            a
        };

        /// [`RUNNERS`] for validation without a state: each block's runner compiled for
        /// `state` `None`.
        static STATELESS_RUNNERS: [Option<StatelessRunner>; 256] = {
            let mut a: [Option<StatelessRunner>; 256] = [None; 256];
            $( a[FuncId::$F as usize] = Some(by_func::$F::run_stateless); )*
            a
        };
    };
}

/// The rules of `func`'s block, in bullet order (packet-section rules last).
pub fn block(func: FuncId) -> &'static [Rule] {
    compiled(func).rules
}

/// `func`'s block as [`super::validate`] runs it.
pub(super) fn compiled(func: FuncId) -> &'static Compiled {
    COMPILED.get(func as usize).unwrap_or(&Compiled::EMPTY)
}

/// The runner of the block of `Req_Func` value `req_func` (a block per documented function:
/// `None` exactly when [`crate::requests::Request::desc`] is `None`, checked by a test).
#[inline(always)]
pub(super) fn runner(req_func: u32) -> Option<Runner> {
    RUNNERS.get(req_func as usize).copied().flatten()
}

/// [`runner`] for validation without a state: the block's runner compiled for none
/// (`run_stateless`), the same for exactly the same values.
#[inline(always)]
pub(super) fn stateless_runner(req_func: u32) -> Option<StatelessRunner> {
    STATELESS_RUNNERS.get(req_func as usize).copied().flatten()
}

/// Where a request finds its TAPI version when the caller gives none (see
/// [`super::version_for`]), worked out once per function from its block and its packet.
#[derive(Debug, Clone, Copy)]
pub(super) enum VersionFrom {
    /// Nowhere.
    Nowhere,
    /// A version field of the request (the [`VersionSource::Field`] of its LINECALLPARAMS rule).
    Field(FieldIndex),
    /// The state's version for the handle in the field (the [`VersionSource::Handle`] of its
    /// LINECALLPARAMS rule, else its first HLINE, HCALL or HPHONE field).
    Handle(FieldIndex, HandleKind),
}

/// A function's block, compiled: its rules, where its version comes from, and the
/// catalogue structures of its fields (its runner is in [`runner`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Compiled {
    /// The rules, in bullet order.
    pub(super) rules: &'static [Rule],
    /// Where the request's version comes from.
    pub(super) version: VersionFrom,
    /// For each of the fifteen fields whose role is a structure of the catalogue, that
    /// structure's description (the name of the request catalogue's role looked up in
    /// [`structures::ALL`] once, here, instead of by name per request).
    pub(super) structures: [Option<&'static StructDesc>; HEADER_DWORDS],
    /// The fields whose role is a LINECALLPARAMS, one bit per field ([`super::bit`]): their
    /// structure opens over [`super::callparams::CP_OPEN`].
    pub(super) callparams: u16,
}

/// The catalogue structure called `name`, looked up at compile time.
const fn structure_named(name: &str) -> Option<&'static StructDesc> {
    let all = structures::ALL;
    let mut k = 0;
    while k < all.len() {
        if str_eq(all[k].name, name) {
            return Some(all[k]);
        }
        k += 1;
    }
    None
}

/// `a == b`, in a `const fn`.
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut j = 0;
    while j < a.len() {
        if a[j] != b[j] {
            return false;
        }
        j += 1;
    }
    true
}

/// Whether field `i` of `func`'s packet is a structure called `name` (the rules that read a
/// structure through a fixed view, LINECALLPARAMS or LINEFORWARDLIST, share the field's
/// parsed structure with its `decodes` rule, so the two must name the same structure).
const fn field_is(func: FuncId, i: FieldIndex, name: &str) -> bool {
    let fields = &func.desc().fields;
    if i as usize >= fields.len() {
        return false;
    }
    match fields[i as usize].role {
        crate::requests::Role::Structure { name: n, .. } => str_eq(n, name),
        _ => false,
    }
}

impl Compiled {
    const EMPTY: Compiled = Compiled {
        rules: &[],
        version: VersionFrom::Nowhere,
        structures: [None; HEADER_DWORDS],
        callparams: 0,
    };

    const fn new(func: FuncId, rules: &'static [Rule]) -> Compiled {
        let version = version_from(func, rules);
        let mut k = 0;
        while k < rules.len() {
            match rules[k].check {
                Check::CallParams(i, _) => assert!(
                    field_is(func, i, "LINECALLPARAMS"),
                    "a LINECALLPARAMS rule names a field that is not a LINECALLPARAMS"
                ),
                Check::Forward(i, _) => assert!(
                    field_is(func, i, "LINEFORWARDLIST"),
                    "a LINEFORWARDLIST rule names a field that is not a LINEFORWARDLIST"
                ),
                _ => {}
            }
            k += 1;
        }
        let mut structures = [None; HEADER_DWORDS];
        let mut callparams = 0u16;
        let fields = &func.desc().fields;
        let mut i = 0;
        while i < fields.len() && i < HEADER_DWORDS {
            if let crate::requests::Role::Structure { name, .. } = fields[i].role {
                structures[i] = structure_named(name);
                if str_eq(name, "LINECALLPARAMS") {
                    callparams |= super::bit(i as FieldIndex);
                }
            }
            i += 1;
        }
        Compiled {
            rules,
            version,
            structures,
            callparams,
        }
    }
}

/// Where a request of `func` whose block is `rules` finds its version (see
/// [`super::version_for`]): the [`VersionSource`] of its first LINECALLPARAMS rule, else its
/// first HLINE, HCALL or HPHONE field, else nowhere.
const fn version_from(func: FuncId, rules: &'static [Rule]) -> VersionFrom {
    let mut k = 0;
    while k < rules.len() {
        if let Check::CallParams(_, source) = rules[k].check {
            return match source {
                VersionSource::Field(i) => VersionFrom::Field(i),
                VersionSource::Handle(i, kind) => VersionFrom::Handle(i, kind),
            };
        }
        k += 1;
    }
    let fields = &func.desc().fields;
    let mut i = 0;
    while i < fields.len() {
        if let crate::requests::Role::Handle(
            kind @ (HandleKind::HLine | HandleKind::HCall | HandleKind::HPhone),
        ) = fields[i].role
        {
            return VersionFrom::Handle(i as FieldIndex, kind);
        }
        i += 1;
    }
    VersionFrom::Nowhere
}

/// A block's rules compiled into one function (each block's `run`, found by [`runner`]):
/// without a state only the rules that can fail without one run (every rule but the stateful
/// shapes, which pass when there is no state: [`Check::needs_state`]).
/// The arguments: the request, the capacity of its VarData ([`Ctx::capacity`]), the state,
/// the caller's version and the sink.
pub(super) type Runner = for<'a> fn(
    &Request<'a>,
    u64,
    Option<&dyn ServerState>,
    Option<Version>,
    &mut dyn FnMut(Violation),
);

/// A block's rules compiled for validation without a state (each block's `run_stateless`,
/// found by [`stateless_runner`]): [`Runner`] without the state.
pub(super) type StatelessRunner =
    for<'a> fn(&Request<'a>, u64, Option<Version>, &mut dyn FnMut(Violation));

// ---- predicates for the rules that do not fit a common shape ----

/// The LINECALLPARAMS at field `i`, read through the structure catalogue's view.
fn callparams<'a>(c: &Ctx<'a>, i: FieldIndex) -> Option<crate::structures::LINECALLPARAMS<'a>> {
    super::callparams::view(c, i)?.ok()
}

/// dwCurrentTracking of the LINECALLHUBTRACKINGINFO at field `i` (2.2.6.18), read through
/// the structure catalogue's view.
fn tracking(c: &Ctx<'_>, i: FieldIndex) -> Option<u32> {
    let raw = c.get(i);
    if raw == ABSENT {
        return None;
    }
    let bytes = c
        .var
        .structure(c.origin(i), raw, crate::vardata::Align::Dword)
        .ok()??;
    match c.version {
        Some(v) => crate::structures::LINECALLHUBTRACKINGINFO::parse_with(bytes, v),
        None => crate::structures::LINECALLHUBTRACKINGINFO::parse(bytes),
    }
    .ok()
    .map(|t| t.dw_current_tracking())
}

// ---- the table ----

table! {
    LineInitialize = 47 {
        [1: str_aligned(dwFriendlyNameOffset) => L INVALPOINTER, "The server MUST fail if dwFriendlyNameOffset is not WCHAR-aligned."]
        [2: str_within(dwFriendlyNameOffset) => L INVALPOINTER, "The server MUST fail if dwFriendlyNameOffset lies outside the variable data area (VarData)."]
        [3: str_terminated(dwFriendlyNameOffset) => L INVALPOINTER, "The server MUST fail if the string pointed by dwFriendlyNameOffset is not NULL-terminated."]
        [4: str_aligned(dwModuleNameOffset) => L INVALPOINTER, "The server MUST fail if dwModuleNameOffset is not WCHAR-aligned."]
        [5: str_within(dwModuleNameOffset) => L INVALPOINTER, "The server MUST fail if dwModuleNameOffset lies outside the variable data area (VarData)."]
        [6: str_terminated(dwModuleNameOffset) => L INVALPOINTER, "The server MUST fail if the string pointed by dwModuleNameOffset is not NULL-terminated."]
    }
    LineNegotiateAPIVersion = 52 {
        [1: var_min(LINEEXTENSIONID) => L STRUCTURETOOSMALL, "The server MUST fail if the size of VarData is less than the size of the LINEEXTENSIONID structure."]
        [2: device(dwDeviceID, Line) => L BADDEVICEID, "The server MUST fail if dwDeviceID is invalid."]
        [3: handle(hLineApp, HLineApp) => L INVALAPPHANDLE, "The server MUST fail if hLineApp is an invalid handle."]
        [4: not_greater(dwVersion, dwVersionCurrent) => L INCOMPATIBLEAPIVERSION, "The server MUST fail if dwVersion is greater than dwVersionCurrent."]
        [5: version_between(dwVersion, dwVersionCurrent) => L INCOMPATIBLEAPIVERSION, "The server MUST fail if no valid TAPI version exists between dwVersion or dwVersionCurrent (both inclusive)."]
    }
    LineGetDevCaps = 34 {
        [1: var_min_field(lpLineDevCaps) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than the size of lpLineDevCaps."]
        [2: at_least(lpLineDevCaps, LINEDEVCAPS) => L STRUCTURETOOSMALL, "The server MUST fail if the size of lpLineDevCaps is less than the size of the LINEDEVCAPS packet."]
        [3: device(dwDeviceID, Line) => L BADDEVICEID, "The server MUST fail if dwDeviceID is invalid."]
        [4: version(dwTSPIVersion, TAPI_VERSIONS) => L INCOMPATIBLEAPIVERSION, "The server MUST fail if dwTSPIVersion is invalid."]
        [5: fact(dwExtVersion, |c| Some(Fact::ExtVersion { func: c.desc.func, target: get!(c, dwDeviceID), version: Version(get!(c, dwExtVersion)) })) => L INCOMPATIBLEEXTVERSION, "The server MUST fail if dwExtVersion is invalid."]
        [6: handle(hLineApp, HLineApp) => L INVALAPPHANDLE, "The server MUST fail if hLineApp is an invalid handle."]
    }
    LineGetAddressCaps = 21 {
        [1: handle(hLineApp, HLineApp) => L INVALAPPHANDLE, "The server MUST fail if hLineApp is an invalid handle."]
        [2: var_min_field(lpAddressCaps) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than the size of lpAddressCaps."]
        [3: at_least(lpAddressCaps, LINEADDRESSCAPS) => L STRUCTURETOOSMALL, "The server MUST fail if the size of lpAddressCaps is less than size of the LINEADDRESSCAPS packet."]
        [4: var_min(LINEADDRESSCAPS) => L STRUCTURETOOSMALL, "The server MUST fail if VarData is less than the size of the LINEADDRESSCAPS packet."]
        [5: device(dwDeviceID, Line) => L BADDEVICEID, "The server MUST fail if dwDeviceID is invalid."]
        [6: version(dwTSPIVersion, TAPI_VERSIONS) => L INCOMPATIBLEAPIVERSION, "The server MUST fail if dwTSPIVersion is invalid."]
        [7: fact(dwExtVersion, |c| Some(Fact::ExtVersion { func: c.desc.func, target: get!(c, dwDeviceID), version: Version(get!(c, dwExtVersion)) })) => L INCOMPATIBLEEXTVERSION, "The server MUST fail if dwExtVersion is invalid."]
    }
    LineOpen = 54 {
        [1: handle(hLineApp, HLineApp) => L INVALAPPHANDLE, "The server MUST fail if hLineApp is an invalid handle."]
        [2: version(dwNegotiatedVersion, TAPI_VERSIONS) => L INCOMPATIBLEAPIVERSION, "The server MUST fail if dwAPIVersion is invalid.", note "Open has no dwAPIVersion; the version it carries is dwNegotiatedVersion"]
        [3: custom(dwPrivileges, |c| { let p = get!(c, dwPrivileges) & LINECALLPRIVILEGE; p == 0 || (p & LINECALLPRIVILEGE_NONE != 0 && p & (LINECALLPRIVILEGE_MONITOR | LINECALLPRIVILEGE_OWNER) != 0) }) => L INVALPRIVSELECT, "The server MUST fail if none of the privilege bits are set in dwPrivileges or LINECALLPRIVILEGE_NONE is set with either LINECALLPRIVILEGE_MONITOR and LINECALLPRIVILEGE_OWNER also being set."]
        [4: bits(dwPrivileges, LINECALLPRIVILEGE | LINEOPENOPTION_SINGLEADDRESS | LINEOPENOPTION_PROXY, Subset) => L INVALPRIVSELECT, "The server MUST fail if any bit other than a valid bit is set in dwPrivileges."]
        [5: aligned_within(pCallParams) if any(dwPrivileges, LINEOPENOPTION_SINGLEADDRESS | LINEOPENOPTION_PROXY) => L INVALPOINTER, "The server MUST fail if dwPrivileges is set to LINEOPENOPTION_SINGLEADDRESS or LINEOPENOPTION_PROXY and the LINECALLPARAMS packet pointed to by pCallParams lies outside VarData or is not DWORD-aligned."]
        [6: custom(pCallParams, |c| callparams(c, f!(LineOpen, pCallParams)).is_some_and(|p| p.dw_address_mode() != LINEADDRESSMODE_ADDRESSID)) if any(dwPrivileges, LINEOPENOPTION_SINGLEADDRESS) => L INVALADDRESSMODE, "The server MUST fail if dwPrivileges has LINEOPENOPTION_SINGLEADDRESS set and dwAddressMode is not set to LINEADDRESSMODE_ADDRESSID.", note "dwAddressMode is the LINECALLPARAMS member at pCallParams"]
        [7: bits(dwMediaModes, LINEMEDIAMODE, NonZeroSubset) if any(dwPrivileges, LINECALLPRIVILEGE_OWNER) => L INVALMEDIAMODE, "The server MUST fail if dwPrivileges has LINEOPENOPTION_OWNER set and dwMediaModes is invalid.", note "LINEOPENOPTION_OWNER does not exist; LINECALLPRIVILEGE_OWNER is meant"]
        [8: fact(dwExtVersion, |c| Some(Fact::ExtVersion { func: c.desc.func, target: get!(c, dwDeviceID), version: Version(get!(c, dwExtVersion)) })) => L INCOMPATIBLEEXTVERSION, "The server MUST fail if dwExtVersion is invalid."]
        [9: fact(pCallParams, |c| callparams(c, f!(LineOpen, pCallParams)).map(|p| Fact::AddressId { line: get!(c, dwDeviceID), by_device: true, address_id: p.dw_address_id() })) if any(dwPrivileges, LINEOPENOPTION_SINGLEADDRESS) => L INVALADDRESSID, "The server MUST fail if dwPrivileges has LINEOPENOPTION_SINGLEADDRESS set and dwAddressID is invalid.", note "dwAddressID is the LINECALLPARAMS member at pCallParams"]
        [10: callparams(pCallParams, field(dwNegotiatedVersion)) if any(dwPrivileges, LINEOPENOPTION_SINGLEADDRESS | LINEOPENOPTION_PROXY) => L INVALCALLPARAMS, "The server MUST fail if dwPrivileges is set to LINEOPENOPTION_SINGLEADDRESS or LINEOPENOPTION_PROXY and the LINECALLPARAMS packet pointed by pCallParams is invalid."]
        [pkt 1: fits(pCallParams, LINECALLPARAMS) if any(dwPrivileges, LINEOPENOPTION_SINGLEADDRESS | LINEOPENOPTION_PROXY) => L INVALPOINTER, "pCallParams: the offset of a LINECALLPARAMS packet in VarData (the packet must lie within VarData)."]
        [pkt 2: resolves(pCallParams) if when(|c| get!(c, pCallParams) != ABSENT && get!(c, dwPrivileges) & (LINEOPENOPTION_SINGLEADDRESS | LINEOPENOPTION_PROXY) == 0) => L INVALPOINTER, "pCallParams: the offset of a LINECALLPARAMS packet in VarData (when present without SINGLEADDRESS or PROXY, it must still resolve)."]
        [pkt 3: decodes(pCallParams) if any(dwPrivileges, LINEOPENOPTION_SINGLEADDRESS | LINEOPENOPTION_PROXY) => L INVALCALLPARAMS, "pCallParams: the offset of a LINECALLPARAMS packet (2.2.6.20) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.20 describes it.", note "packet-section rule: what no 3.1.4.2 rule on pCallParams already reports (spec-notes/validation.md)"]
    }
    LineClose = 9 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
    }
    LineShutDown = 86 {
        [1: handle(hLineApp, HLineApp) => L INVALAPPHANDLE, "The server MUST fail if hLineApp is an invalid handle."]
    }
    LineAccept = 4 {
        [1: aligned_within(lpsUserUserInfo) if present(lpsUserUserInfo) => L INVALPOINTER, "If lpsUserUserInfo is not set to -1(0xFFFFFFFF), the server MUST check that lpsUserUserInfo (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [2: extent(lpsUserUserInfo, dwSize) if present(lpsUserUserInfo) => L INVALPOINTER, "If lpsUserUserInfo is not set to -1(0xFFFFFFFF), the server MUST fail if the sum of lpsUserUserInfo (offset) and dwSize falls beyond VarData."]
        [3: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineAddToConference = 5 {
        [1: handle(hConfCall, HCall) => L INVALCONFCALLHANDLE, "The server MUST fail if hConfCall is an invalid handle."]
        [2: handle(hConsultCall, HCall) => L INVALCONSULTCALLHANDLE, "The server MUST fail if hConsultCall is an invalid handle."]
    }
    LineAgentSpecific = 6 {
        [1: aligned_within(lpParams) => L INVALPOINTER, "The server MUST check that lpParams (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [2: extent(lpParams, dwSize) => L INVALPOINTER, "The server MUST fail if the sum of lpParams (offset) and dwSize falls beyond VarData."]
        [3: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [4: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [5: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineAnswer = 7 {
        [1: aligned_within(lpsUserUserInfo) if present(lpsUserUserInfo) => L INVALPOINTER, "The server MUST check that lpsUserUserInfo (offset) is DWORD-aligned and lies within VarData and fail otherwise.", note "0xFFFFFFFF exception from the packet text (2.2.4.1.3.4)"]
        [2: extent(lpsUserUserInfo, dwSize) if present(lpsUserUserInfo) => L INVALPOINTER, "The server MUST fail if the sum of lpsUserUserInfo (offset) and dwSize falls beyond VarData.", note "0xFFFFFFFF exception from the packet text (2.2.4.1.3.4)"]
        [3: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineBlindTransfer = 8 {
        [1: string(lpszDestAddress) => L INVALPOINTER, "The server MUST fail if the string pointed to by lpszDestAddress is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [2: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineDeallocateCall = 12 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineCompleteCall = 10 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [2: bits(dwCompletionMode, LINECALLCOMPLMODE, One) => L INVALCALLCOMPLMODE, "The server MUST fail if dwCompletionMode has more than one bit set or its value is not one among LINECALLCOMPLMODE_Constants."]
    }
    LineCompleteTransfer = 11 {
        [1: bits(dwTransferMode, LINETRANSFERMODE, One) => L INVALTRANSFERMODE, "The server MUST fail if dwTransferMode is not one among LINETRANSFERMODE_Constants."]
        [2: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [3: handle(hConsultCall, HCall) => L INVALCONSULTCALLHANDLE, "The server MUST fail if hConsultCall is an invalid handle."]
        [4: custom(hConsultCall, |c| get!(c, hCall) == get!(c, hConsultCall)) => L INVALCALLHANDLE, "The server MUST fail if hCall and hConsultCall are the same."]
        [5: fact(hConsultCall, |c| Some(Fact::SameLine { a: HCall(get!(c, hCall)), b: HCall(get!(c, hConsultCall)) })) => L INVALCALLHANDLE, "The server MUST fail if hCall and hConsultCall are not on the same line."]
    }
    LineConditionalMediaDetection = 127 {
        [1: callparams(lpCallParams, handle(hLine, HLine)) => L INVALCALLPARAMS, "The server MUST fail if LINECALLPARAMS packet pointed by lpCallParams is invalid."]
        [2: aligned_within(lpCallParams) => L INVALPOINTER, "The server MUST fail if the lpCallParams(offset) lies outside VarData or is not DWORD-aligned."]
        [3: fits(lpCallParams, LINECALLPARAMS) => L INVALPOINTER, "The server MUST fail if VarData is not big enough to accommodate LINECALLPARAMS packet."]
        [4: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [pkt 1: decodes(lpCallParams) => L INVALCALLPARAMS, "lpCallParams: the offset of a LINECALLPARAMS packet (2.2.6.20) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.20 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpCallParams already reports (spec-notes/validation.md)"]
    }
    LineCreateAgent = 146 {
        [1: string(lpszAgentPIN) if present(lpszAgentPIN) => L INVALPOINTER, "If lpszAgentPIN is not set to TAPI_NO_DATA (0xffffffff), the server MUST fail if the string pointed to by lpszAgentPIN is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [2: string(lpszAgentID) if present(lpszAgentID) => L INVALPOINTER, "If lpszAgentID is not set to TAPI_NO_DATA (0xffffffff), the server MUST fail if the string pointed to by lpszAgentID is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [3: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [4: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [5: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineCreateAgentSession = 147 {
        [1: string(lpszAgentPIN) if present(lpszAgentPIN) => L INVALPOINTER, "If lpszAgentPIN is not set to TAPI_NO_DATA (0xffffffff), the server MUST fail if the string pointed to by lpszAgentPIN is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [2: aligned_within(lpGroupID) => L INVALPOINTER, "The server MUST check that lpGroupID (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [3: extent(lpGroupID, dwSize) => L INVALPOINTER, "The server MUST fail if the sum of lpGroupID (offset) and dwSize falls beyond VarData."]
        [4: at_least(dwSize, GUID) => L INVALPARAM, "The server MUST fail if dwSize is less than the size of GUID."]
        [5: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [6: fact(dwWorkingAddressID, |c| Some(Fact::AddressId { line: get!(c, hLine), by_device: false, address_id: get!(c, dwWorkingAddressID) })) => L INVALADDRESSID, "The server MUST fail if dwWorkingAddressID is invalid."]
        [7: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [8: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineDevSpecific = 13 {
        [1: opt_handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is specified and is an invalid handle."]
        [2: handle(hLine, HLine) if eq(hCall, 0) => L INVALLINEHANDLE, "The server MUST fail if hCall is not specified and hLine is an invalid handle."]
        [3: aligned_within(lpParams) => L INVALPOINTER, "The server MUST check that lpParams (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [4: extent(lpParams, dwSize) => L INVALPOINTER, "The server MUST fail if the sum of lpParams (offset) and dwSize falls beyond VarData."]
        [5: opt_handle(hCall, HCall) => L INVALCALLHANDLE, "If hCall is passed, the server MUST fail if hCall is an invalid handle.", note "repeats 13.1"]
    }
    LineDevSpecificFeature = 14 {
        [1: aligned_within(lpParams) => L INVALPOINTER, "The server MUST check that lpParams (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [2: extent(lpParams, dwSize) => L INVALPOINTER, "The server MUST fail if the sum of lpParams (offset) and dwSize falls beyond VarData."]
        [3: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [4: fact(dwFeature, |c| Some(Fact::Feature { h_line: HLine(get!(c, hLine)), feature: get!(c, dwFeature) })) => L INVALFEATURE, "The server MUST fail if dwFeature is invalid."]
    }
    LineDial = 15 {
        [1: string(lpszDestAddress) => L INVALPOINTER, "The server MUST fail if the string pointed to by lpszDestAddress is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [2: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineDrop = 16 {
        [1: aligned_within(lpsUserUserInfo) if present(lpsUserUserInfo) => L INVALPOINTER, "The server MUST check that lpsUserUserInfo (offset) is DWORD-aligned and lies within VarData and fail otherwise.", note "0xFFFFFFFF exception from the packet text (2.2.4.1.3.15)"]
        [2: extent(lpsUserUserInfo, dwSize) if present(lpsUserUserInfo) => L INVALPOINTER, "The server MUST fail if the sum of lpsUserUserInfo (offset) and dwSize falls beyond VarData.", note "0xFFFFFFFF exception from the packet text (2.2.4.1.3.15)"]
        [3: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineForward = 17 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: aligned_within(lpForwardList) if present(lpForwardList) => L INVALPOINTER, "If lpForwardList is not set to 0xffffffff, the server MUST fail if the LINEFORWARDLIST packet pointed by lpForwardList lies outside VarData or is not DWORD-aligned."]
        [3: aligned_within(lpCallParams) if present(lpCallParams) => L INVALPOINTER, "If lpCallParams is not set to 0xffffffff, the server MUST fail if the LINECALLPARAMS packet pointed by lpCallParams lies outside VarData or is not DWORD-aligned."]
        [4: fits(lpForwardList, LINEFORWARDLIST) if present(lpForwardList) => L STRUCTURETOOSMALL, "The server MUST fail if the size of lpForwardList is less than size of LINEFORWARDLIST packet.", note "read as: the LINEFORWARDLIST at lpForwardList fits VarData; 0xFFFFFFFF allowed as in 17.2"]
        [6: forward(lpForwardList, Mode) => L INVALPARAM, "The server MUST fail if dwForwardMode has more than one bit set or its value is not one among LINEFORWARDMODE_Constants."]
        [7: forward(lpForwardList, CallerOffset) => L INVALPOINTER, "The server MUST check that dwCallerAddressOffset is DWORD-aligned and lies within VarData and fail otherwise.", note "LINEFORWARD offsets resolved within the LINEFORWARDLIST"]
        [8: forward(lpForwardList, CallerExtent) => L INVALPOINTER, "The server MUST fail if the sum of dwCallerAddressOffset and dwSize falls beyond VarData.", note "dwSize is dwCallerAddressSize"]
        [9: forward(lpForwardList, DestOffset) => L INVALPOINTER, "The server MUST check that dwDestAddressOffset is DWORD-aligned and lies within VarData and fail otherwise.", note "LINEFORWARD offsets resolved within the LINEFORWARDLIST"]
        [10: forward(lpForwardList, DestExtent) => L INVALPOINTER, "The server MUST fail if the sum of dwDestAddressOffset and dwSize falls beyond VarData.", note "dwSize is dwDestAddressSize"]
        [11: callparams(lpCallParams, handle(hLine, HLine)) => L INVALCALLPARAMS, "The server MUST fail if the LINECALLPARAMS packet pointed by lpCallParams is invalid."]
        [pkt 1: forward(lpForwardList, Entries) if present(lpForwardList) => L STRUCTURETOOSMALL, "dwNumEntries: the number of entries in the array specified as ForwardList (2.2.6.31); the entries lie within dwTotalSize."]
        [pkt 2: fits(lpCallParams, LINECALLPARAMS) if present(lpCallParams) => L INVALPOINTER, "lpCallParams: the offset in VarData of a LINECALLPARAMS packet (the packet must lie within VarData)."]
        [pkt 3: decodes(lpForwardList) if present(lpForwardList) => L INVALPARAM, "lpForwardList: the offset of a LINEFORWARDLIST packet (2.2.6.31) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.31 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpForwardList already reports (spec-notes/validation.md)"]
        [pkt 4: decodes(lpCallParams) if present(lpCallParams) => L INVALCALLPARAMS, "lpCallParams: the offset of a LINECALLPARAMS packet (2.2.6.20) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.20 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpCallParams already reports (spec-notes/validation.md)"]
    }
    LineGatherDigits = 18 {
        [1: string(lpszTerminationDigits) if present(lpszTerminationDigits) => L INVALPOINTER, "If lpszTerminationDigits is not set to TAPI_NO_DATA (0xffffffff), the server MUST fail if the string pointed to by lpszTerminationDigits is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [2: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [3: bits(dwDigitModes, LINEDIGITMODE_PULSE | LINEDIGITMODE_DTMF, NonZeroSubset) => L INVALDIGITMODE, "The server MUST fail if dwDigitModes does not have value either LINEDIGITMODE_PULSE or LINEDIGITMODE_DTMF (LINEDIGITMODE_Constants).", note "PULSE|DTMF together accepted (dwDigitModes is a set)"]
        [4: custom(lpsDigitsContext, |c| get!(c, lpsDigitsContext) != 0 && get!(c, dwNumDigits) == 0) => L INVALPARAM, "The server MUST fail if lpsDigitsContext is not set to 0 and the value of dwNumDigits is set to 0."]
    }
    LineGenerateDigits = 19 {
        [1: string(lpszDigits) if present(lpszDigits) => L INVALPOINTER, "If lpszDigits is not set to 0xffffffff, server MUST fail if the string pointed to by lpszDigits is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [2: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [3: bits(dwDigitMode, LINEDIGITMODE_PULSE | LINEDIGITMODE_DTMF, One) => L INVALDIGITMODE, "The server MUST fail if dwDigitMode does not have a value of either LINEDIGITMODE_PULSE or LINEDIGITMODE_DTMF."]
    }
    LineGenerateTone = 20 {
        [1: custom(dwNumTones, |c| (c.var.len() as u64) < u64::from(get!(c, dwNumTones)) * u64::from(min_size!(LINEGENERATETONE))) if eq(dwToneMode, LINETONEMODE_CUSTOM) => L INVALPOINTER, "If dwToneMode is set to LINETONEMODE_CUSTOM, the server MUST fail if the size of VarData is less than the size of the LINEGENERATETONE packets which will be dwNumTones in number."]
        [2: aligned_within(lpTones) if eq(dwToneMode, LINETONEMODE_CUSTOM) => L INVALPOINTER, "For dwToneMode = LINETONEMODE_CUSTOM, the server MUST check that lpTones (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [3: extent(lpTones, dwSize) if eq(dwToneMode, LINETONEMODE_CUSTOM) => L INVALPOINTER, "For dwToneMode = LINETONEMODE_CUSTOM, the server MUST fail if the sum of lpTones (offset) and dwSize falls beyond VarData."]
        [4: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [5: bits(dwToneMode, LINETONEMODE, ZeroOrOne) => L INVALTONEMODE, "The server MUST fail if dwToneMode has more than one bit set or its value is not one among LINETONEMODE_Constants.", note "zero accepted: the packet text makes 0 cancel tone generation"]
        [pkt 1: resolves(lpTones) if when(|c| get!(c, lpTones) != ABSENT && get!(c, dwToneMode) != LINETONEMODE_CUSTOM) => L INVALPOINTER, "lpTones: if dwToneMode is not LINETONEMODE_CUSTOM this field is set to TAPI_NO_DATA (0xFFFFFFFF); any other value is an offset that must resolve."]
    }
    LineGetAddressID = 22 {
        [1: aligned_within(lpsAddress) => L INVALPOINTER, "The server MUST check that lpsAddress (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [2: extent(lpsAddress, dwSize) => L INVALPOINTER, "The server MUST fail if the sum of lpsAddress (offset) and dwSize falls beyond VarData."]
        [3: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [4: equals(dwAddressMode, LINEADDRESSMODE_DIALABLEADDR) => L INVALADDRESSMODE, "The server MUST fail if dwAddressMode does not have value LINEADDRESSMODE_DIALABLEADDR."]
    }
    LineGetAddressStatus = 23 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: var_min_field(lpAddressStatus) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than lpAddressCaps.", note "GetAddressStatus has no lpAddressCaps; lpAddressStatus is meant"]
        [3: at_least(lpAddressStatus, LINEADDRESSSTATUS) => L STRUCTURETOOSMALL, "The server MUST fail if lpAddressCaps is less than size of the LINEADDRESSSTATUS packet.", note "GetAddressStatus has no lpAddressCaps; lpAddressStatus is meant"]
    }
    LineGetAgentActivityList = 24 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: fact(dwAddressID, |c| Some(Fact::AgentOnAddress { h_line: HLine(get!(c, hLine)), address_id: get!(c, dwAddressID) })) => L INVALADDRESSID, "The server MUST fail if dwAddressID is invalid or there is no agent associated with dwAddressID."]
        [3: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [4: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
        [5: at_most(lpAgentActivityList, AGENT_BUFFER_MAX) => L INVALPARAM, "The server MUST fail if lpAgentActivityList is greater than 0x40000."]
        [6: at_least(lpAgentActivityList, LINEAGENTACTIVITYLIST) => L STRUCTURETOOSMALL, "The server MUST fail if lpAgentActivityList is less than size of LINEAGENTACTIVITYLIST packet."]
    }
    LineGetAgentCaps = 25 {
        [1: handle(hLineApp, HLineApp) => L INVALAPPHANDLE, "The server MUST fail if hLineApp is an invalid handle."]
        [2: var_min_field(lpAgentCapsSize) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than lpAgentCapsSize."]
        [3: at_least(lpAgentCapsSize, LINEAGENTCAPS) => L STRUCTURETOOSMALL, "The server MUST fail if lpAgentCapsSize is less than the size of LINEAGENTCAPS packet."]
        [4: version(dwAppAPIVersion, TAPI_VERSIONS_2) => L INCOMPATIBLEAPIVERSION, "The server MUST fail if dwAppAPIVersion is invalid. The valid values are 0x00020000, 0x00020001, 0x00020002, 0x00030000, and 0x00030001."]
        [5: fact(dwDeviceID, |c| Some(Fact::ProxyForDevice { device_id: get!(c, dwDeviceID), func: None })) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for the line handle.", note "GetAgentCaps names the line by dwDeviceID"]
        [6: fact(dwDeviceID, |c| Some(Fact::ProxyForDevice { device_id: get!(c, dwDeviceID), func: Some(c.desc.func) })) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request.", note "GetAgentCaps names the line by dwDeviceID"]
    }
    LineGetAgentGroupList = 26 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: fact(dwAddressID, |c| Some(Fact::AgentOnAddress { h_line: HLine(get!(c, hLine)), address_id: get!(c, dwAddressID) })) => L INVALADDRESSID, "The server MUST fail if dwAddressID is invalid or there is no agent associated with dwAddressID."]
        [3: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [4: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
        [5: at_most(lpAgentGroupListSize, AGENT_BUFFER_MAX) => L INVALPARAM, "The server MUST fail if lpAgentGroupListSize is greater than 0x40000."]
        [6: at_least(lpAgentGroupListSize, LINEAGENTGROUPLIST) => L STRUCTURETOOSMALL, "The server MUST fail if lpAgentGroupListSize is less than the size of the LINEAGENTGROUPLIST packet."]
    }
    LineGetAgentInfo = 148 {
        [1: at_most(lpAgentInfo, AGENT_BUFFER_MAX) => L INVALPARAM, "The server MUST fail if lpAgentInfo is greater than 0x40000."]
        [2: at_least(lpAgentInfo, LINEAGENTINFO) => L STRUCTURETOOSMALL, "The server MUST fail if lpAgentInfo is less than the size of the LINEAGENTINFO packet."]
        [3: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [4: handle(hAgent, HAgent) => L INVALPARAM, "The server MUST fail if hAgent is an invalid handle."]
        [5: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [6: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineGetAgentSessionInfo = 149 {
        [1: at_most(lpAgentSessionInfo, AGENT_BUFFER_MAX) => L INVALPARAM, "The server MUST fail if lpAgentSessionInfo is greater than 0x40000."]
        [2: at_least(lpAgentSessionInfo, LINEAGENTSESSIONINFO) => L STRUCTURETOOSMALL, "The server MUST fail if lpAgentSessionInfo is less than the size of the LINEAGENTSESSIONINFO packet."]
        [3: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [4: handle(hAgentSession, HAgentSession) => L INVALPARAM, "The server MUST fail if hAgentSession is an invalid handle."]
        [5: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [6: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineGetAgentSessionList = 150 {
        [1: at_most(lpAgentSessionList, AGENT_BUFFER_MAX) => L INVALPARAM, "The server MUST fail if lpAgentSessionList is greater than 0x40000."]
        [2: at_least(lpAgentSessionList, LINEAGENTSESSIONLIST) => L STRUCTURETOOSMALL, "The server MUST fail if lpAgentSessionList is less than the size of the LINEAGENTSESSIONLIST packet."]
        [3: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [4: handle(hAgent, HAgent) => L INVALPARAM, "The server MUST fail if hAgent is an invalid handle."]
        [5: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [6: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineGetAgentStatus = 27 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: fact(dwAddressID, |c| Some(Fact::AgentOnAddress { h_line: HLine(get!(c, hLine)), address_id: get!(c, dwAddressID) })) => L INVALADDRESSID, "The server MUST fail if dwAddressID is invalid or there is no agent associated with dwAddressID."]
        [3: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [4: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
        [5: at_most(lpAgentStatusSize, AGENT_BUFFER_MAX) => L INVALPARAM, "The server MUST fail if lpAgentStatusSize is greater than 0x40000."]
        [6: at_least(lpAgentStatusSize, LINEAGENTSTATUS) => L STRUCTURETOOSMALL, "The server MUST fail if lpAgentStatusSize is less than the size of the LINEAGENTSTATUS packet."]
    }
    LineGetCallHubTracking = 140 {
        [1: var_min_field(lpTrackingInfo) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than lpTrackingInfo."]
        [2: at_least(lpTrackingInfo, LINECALLHUBTRACKINGINFO) => L STRUCTURETOOSMALL, "The server MUST fail if the size of lpTrackingInfo is less than the size of the LINECALLHUBTRACKINGINFO packet."]
        [3: var_min(LINECALLHUBTRACKINGINFO) => L STRUCTURETOOSMALL, "The server MUST fail if the size of VarData is less than the size of the LINECALLHUBTRACKINGINFO packet."]
        [4: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
    }
    LineGetCallIDs = 141 {
        [1: fact(hCall, |_| Some(Fact::LinesInitialized)) => L UNINITIALIZED, "The server MUST fail if no lines are initialized on the server."]
        [2: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineGetCallInfo = 30 {
        [1: var_min_field(lpCallInfo) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than lpCallInfo."]
        [2: at_least(lpCallInfo, LINECALLINFO) => L STRUCTURETOOSMALL, "The server MUST fail if lpCallInfo is less than size of the LINECALLINFO packet."]
        [3: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineGetCallStatus = 31 {
        [1: var_min_field(lpCallStatus) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than lpCallStatus."]
        [2: at_least(lpCallStatus, LINECALLSTATUS) => L STRUCTURETOOSMALL, "The server MUST fail if lpCallStatus is less than size of the LINECALLSTATUS packet."]
        [3: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineGetDevConfig = 35 {
        [1: var_min(VARSTRING) => L STRUCTURETOOSMALL, "The server MUST fail if the size of VarData is less than the size of the VARSTRING packet."]
        [2: string(lpszDeviceClass) => L INVALPOINTER, "The server MUST fail if the string pointed to by lpszDeviceClass is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [3: device(dwDeviceID, Line) => L BADDEVICEID, "The server MUST fail if dwDeviceID is invalid."]
    }
    LineGetGroupList = 152 {
        [1: at_most(lpAgentGroupListSize, AGENT_BUFFER_MAX) => L INVALPARAM, "The server MUST fail if lpAgentGroupListSize is greater than 0x40000."]
        [2: at_least(lpAgentGroupListSize, LINEAGENTGROUPLIST) => L STRUCTURETOOSMALL, "The server MUST fail if lpAgentGroupListSize is less than the size of the LINEAGENTGROUPLIST packet."]
        [3: var_min(LINEAGENTGROUPLIST) => L STRUCTURETOOSMALL, "The server MUST fail if the size of VarData is less than the size of the LINEAGENTGROUPLIST packet."]
        [4: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [5: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for the line handle."]
        [6: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineGetID = 37 {
        [1: at_least(lpDeviceID, VARSTRING) => L STRUCTURETOOSMALL, "The Server MUST fail if lpDeviceId is less than size of the VARSTRING packet."]
        [2: var_min_field(lpDeviceID) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than lpDeviceID."]
        [3: string(lpszDeviceClass) => L INVALPOINTER, "The server MUST fail if the string pointed to by lpszDeviceClass is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [4: handle(hLine, HLine) if when(|c| get!(c, dwSelect) & (LINECALLSELECT_LINE | LINECALLSELECT_ADDRESS) != 0) => L INVALLINEHANDLE, "Depending upon the type of parameter passed in dwSelect, the server MUST check that hCall and hLine handles are valid and fail otherwise.", note "hLine part: dwSelect LINECALLSELECT_LINE or _ADDRESS"]
        [4: handle(hCall, HCall) if when(|c| get!(c, dwSelect) & (LINECALLSELECT_CALL) != 0) => L INVALCALLHANDLE, "Depending upon the type of parameter passed in dwSelect, the server MUST check that hCall and hLine handles are valid and fail otherwise.", note "hCall part: dwSelect LINECALLSELECT_CALL"]
        [5: device(dwAddressID, Line) if eq(dwSelect, LINECALLSELECT_DEVICEID) => L INVALADDRESSID, "The server MUST fail if dwSelect is set to LINECALLSELECT_DEVICEID and dwAddressID is invalid.", note "with LINECALLSELECT_DEVICEID, dwAddressID carries a line device id"]
        [6: bits(dwSelect, LINECALLSELECT, One) => L INVALCALLSELECT, "The server MUST fail if dwSelect is invalid."]
    }
    LineGetLineDevStatus = 38 {
        [1: var_min_field(lpLineDevStatus) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than lpLineDevStatus."]
        [2: at_least(lpLineDevStatus, LINEDEVSTATUS) => L STRUCTURETOOSMALL, "The server MUST fail if lpLineDevStatus is less than size of the LINEDEVSTATUS packet."]
        [3: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
    }
    LineGetNewCalls = 39 {
        [1: var_min_field(pCallList) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than pCallList."]
        [2: at_least(pCallList, LINECALLLIST) => L STRUCTURETOOSMALL, "The server MUST fail if the pCallList is less than size of the LINECALLLIST packet."]
        [3: bits(dwSelect, LINECALLSELECT_ADDRESS | LINECALLSELECT_LINE, One) => L INVALCALLSELECT, "The server MUST fail if dwSelect does not have value either LINECALLSELECT_ADDRESS or LINECALLSELECT_LINE."]
        [4: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
    }
    LineGetNumAddressIDs = 40 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
    }
    LineGetProxyStatus = 158 {
        [1: device(dwDeviceID, Line) => L BADDEVICEID, "The server MUST fail if dwDeviceID is invalid."]
        [2: version(dwAppAPIVersion, TAPI_VERSIONS) => L INCOMPATIBLEAPIVERSION, "The server MUST fail if dwAppAPIVersion is invalid."]
        [3: var_min_field(lpLineProxyRequestList) => L INVALPOINTER, "The server MUST fail if the size of VarData is less than lpLineProxyRequestList."]
        [4: at_least(lpLineProxyRequestList, LINEPROXYREQUESTLIST) => L STRUCTURETOOSMALL, "The server MUST fail if the lpLineProxyRequestList is less than size of the LINEPROXYREQUESTLIST packet."]
    }
    LineGetQueueInfo = 151 {
        [1: at_least(lpQueueInfo, LINEQUEUEINFO) => L STRUCTURETOOSMALL, "The server MUST fail if lpQueueInfo is less than the size of the LINEQUEUEINFO packet."]
        [2: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [3: at_most(lpQueueInfo, AGENT_BUFFER_MAX) => L INVALPARAM, "The server MUST fail if the size of lpQueueInfo is greater than 0x40000."]
        [4: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [5: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineGetQueueList = 153 {
        [1: var_min(LINEQUEUELIST) => L STRUCTURETOOSMALL, "The server MUST fail if the size of VarData is less than the size of the LINEQUEUELIST packet."]
        [2: aligned_within(pGroupID) => L INVALPOINTER, "The server MUST check that pGroupID (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [3: extent(pGroupID, cbGUID) => L INVALPOINTER, "The server MUST fail if the sum of pGroupID (offset) and cbGUID falls beyond VarData."]
        [4: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [5: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [6: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler doesn't handle this request."]
    }
    LineHold = 46 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineMakeCall = 48 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: string(lpszDestAddress) if present(lpszDestAddress) => L INVALPOINTER, "The server MUST fail if the string pointed to by lpszDestAddress is not WCHAR-aligned, not NULL-terminated, or lies outside VarData.", note "0xFFFFFFFF exception from the packet text (2.2.4.1.3.43)"]
        [3: aligned_within(lpCallParams) if present(lpCallParams) => L INVALPOINTER, "If lpszDigits is not set to 0xffffffff, the server MUST fail if the LINECALLPARAMS packet pointed by dwCallParamsOffset lies outside VarData or is not DWORD-aligned.", note "MakeCall has neither lpszDigits nor dwCallParamsOffset; lpCallParams is meant"]
        [4: fits(lpCallParams, LINECALLPARAMS) if present(lpCallParams) => L INVALPOINTER, "The server MUST fail if VarData is not big enough to accommodate LINECALLPARAMS packet.", note "0xFFFFFFFF exception from the packet text (2.2.4.1.3.43)"]
        [5: callparams(lpCallParams, handle(hLine, HLine)) => L INVALCALLPARAMS, "The server MUST fail if the LINECALLPARAMS packet pointed by lpCallParams is invalid."]
        [pkt 1: decodes(lpCallParams) if present(lpCallParams) => L INVALCALLPARAMS, "lpCallParams: the offset of a LINECALLPARAMS packet (2.2.6.20) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.20 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpCallParams already reports (spec-notes/validation.md)"]
    }
    LineMonitorDigits = 49 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [2: bits(dwDigitModes, LINEDIGITMODE, Subset) => L INVALDIGITMODE, "The server MUST fail if dwDigitModes is invalid."]
    }
    LineMonitorMedia = 50 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [2: bits(dwMediaModes, LINEMEDIAMODE, Subset) => L INVALMEDIAMODE, "The server MUST fail if dwMediaModes is invalid."]
    }
    LineMonitorTones = 51 {
        [1: aligned_within(lpToneList) if present(lpToneList) => L INVALPOINTER, "If lpTones is not set to -1(0xFFFFFFFF), the server MUST check that lpToneList (offset) is DWORD-aligned and lies within VarData and fail otherwise.", note "lpTones is lpToneList"]
        [2: extent(lpToneList, dwNumEntries) if present(lpToneList) => L INVALPOINTER, "The server MUST fail if the sum of lpToneList (offset) and dwNumEntries falls beyond VarData.", note "0xFFFFFFFF exception as in 51.1"]
        [3: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineNegotiateExtVersion = 53 {
        [1: handle(hLineApp, HLineApp) => L INVALAPPHANDLE, "The Server MUST fail if hLineApp is an invalid handle."]
        [2: device(dwDeviceID, Line) => L BADDEVICEID, "The server MUST fail if dwDeviceID is invalid."]
        [3: version(dwTSPIVersion, TAPI_VERSIONS) => L INCOMPATIBLEAPIVERSION, "The server MUST fail if dwTSPIVersion is invalid."]
    }
    LinePark = 55 {
        [1: bits(dwParkMode, LINEPARKMODE, One) => L INVALPARKMODE, "The Server MUST fail if dwParkMode is invalid."]
        [2: string(lpszDirAddress) if eq(dwParkMode, LINEPARKMODE_DIRECTED) => L INVALPOINTER, "If dwParkMode is equal to LINEPARKMODE_DIRECTED, the server MUST fail if the string pointed to by lpszDirAddress is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [3: at_least(lpNonDirAddress, VARSTRING) if eq(dwParkMode, LINEPARKMODE_NONDIRECTED) => L STRUCTURETOOSMALL, "If dwParkMode is equal to LINEPARKMODE_NONDIRECTED, the server MUST fail if the size of lpNonDirAddress is less than the size of the VARSTRING packet."]
        [4: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [pkt 1: resolves(lpszDirAddress) if when(|c| get!(c, lpszDirAddress) != ABSENT && get!(c, dwParkMode) != LINEPARKMODE_DIRECTED) => L INVALPOINTER, "lpszDirAddress: when present, the offset of a NUL-terminated string in VarData (also when dwParkMode is not LINEPARKMODE_DIRECTED)."]
    }
    LinePickUp = 56 {
        [1: string(lpszDestAddress) if present(lpszDestAddress) => L INVALPOINTER, "If lpszDestAddress is not set to 0xffffffff, the server MUST fail if the string pointed to by lpszDestAddress is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [2: string(lpszGroupID) if present(lpszGroupID) => L INVALPOINTER, "If lpszGroupID is not set to 0xffffffff, the server MUST fail if the string pointed to by lpszGroupID is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [3: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
    }
    LinePrepareAddToConference = 57 {
        [1: handle(hConfCall, HCall) => L INVALCONFCALLHANDLE, "The server MUST fail if hConfCall is an invalid handle."]
        [2: aligned_within(lpCallParams) if present(lpCallParams) => L INVALPOINTER, "The server MUST fail if the LINECALLPARAMS packet pointed by lpCallParams lies outside VarData buffer or is not DWORD-aligned.", note "0xFFFFFFFF exception from the packet text (2.2.4.1.3.50)"]
        [3: fits(lpCallParams, LINECALLPARAMS) if present(lpCallParams) => L INVALPOINTER, "The server MUST fail if VarData is not big enough to accommodate LINECALLPARAMS packet.", note "0xFFFFFFFF exception from the packet text (2.2.4.1.3.50)"]
        [4: callparams(lpCallParams, handle(hConfCall, HCall)) => L INVALCALLPARAMS, "The server MUST fail if the LINECALLPARAMS packet pointed by lpCallParams is invalid."]
        [pkt 1: decodes(lpCallParams) if present(lpCallParams) => L INVALCALLPARAMS, "lpCallParams: the offset of a LINECALLPARAMS packet (2.2.6.20) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.20 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpCallParams already reports (spec-notes/validation.md)"]
    }
    LineRedirect = 60 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [2: string(lpszDestAddress) => L INVALPOINTER, "The server MUST fail if the string pointed to by lpszDestAddress is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
    }
    LineReleaseUserUserInfo = 62 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineRemoveFromConference = 63 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [2: fact(hCall, |c| Some(Fact::Conferenced(HCall(get!(c, hCall))))) => L INVALCALLSTATE, "The server MUST fail if the call is not currently conferenced."]
    }
    LineSecureCall = 64 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineSelectExtVersion = 128 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
    }
    LineSendUserUserInfo = 65 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [2: aligned_within(lpsUserUserInfo) if present(lpsUserUserInfo) => L INVALPOINTER, "The server MUST check that lpsUserUserInfo (offset) is DWORD-aligned and lies within VarData and fail otherwise.", note "0xFFFFFFFF exception from the packet text (2.2.4.1.3.56)"]
        [3: extent(lpsUserUserInfo, dwSize) if present(lpsUserUserInfo) => L INVALPOINTER, "The server MUST fail if the sum of lpsUserUserInfo (offset) and dwSize falls beyond VarData.", note "0xFFFFFFFF exception from the packet text (2.2.4.1.3.56)"]
    }
    LineSetAgentActivity = 66 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [3: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineSetAgentGroup = 67 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: aligned_within(lpAgentGroupList) => L INVALPOINTER, "The server MUST fail if the LINEAGENTGROUPLIST packet pointed by lpAgentGroupList (offset) lies outside VarData or is not DWORD-aligned."]
        [3: fits(lpAgentGroupList, LINEAGENTGROUPLIST) => L INVALPOINTER, "The server MUST fail if VarData is not big enough to accommodate LINEAGENTGROUPLIST packet."]
        [4: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [5: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
        [pkt 1: decodes(lpAgentGroupList) => L INVALPOINTER, "lpAgentGroupList: the offset of a LINEAGENTGROUPLIST packet (2.2.6.11) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.11 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpAgentGroupList already reports (spec-notes/validation.md)"]
    }
    LineSetAgentMeasurementPeriod = 154 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: nonzero(dwMeasurementPeriod) => L INVALPARAM, "The server MUST fail if the value of dwMeasurementPeriod is zero."]
        [3: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [4: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineSetAgentSessionState = 155 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: custom(dwAgentSessionState, |c| get!(c, dwAgentSessionState) == 0 && get!(c, dwNextAgentSessionState) == 0) => L INVALPARAM, "The server MUST fail if the values of both dwAgentSessionState and dwNextAgentSessionState are zero."]
        [3: bits(dwAgentSessionState, LINEAGENTSESSIONSTATE, ZeroOrOne) => L INVALPARAM, "If the value of dwAgentSessionState is nonzero, the server MUST fail if dwAgentSessionState has more than one bit set or its value is not one among LINEAGENTSESSIONSTATE_Constants."]
        [4: bits(dwNextAgentSessionState, LINEAGENTSESSIONSTATE, ZeroOrOne) => L INVALPARAM, "If the value of dwNextAgentSessionState is nonzero, the server MUST fail if dwNextAgentSessionState has more than one bit set or its value is not one among LINEAGENTSESSIONSTATE_Constants."]
        [5: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [6: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineSetAgentState = 68 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: custom(dwAgentState, |c| get!(c, dwAgentState) == 0 && get!(c, dwNextAgentState) == 0) => L INVALPARAM, "The server MUST fail if the values of both dwAgentState and dwNextAgentState are zero."]
        [3: bits(dwAgentState, LINEAGENTSESSIONSTATE, ZeroOrOne) => L INVALPARAM, "If the value of dwAgentState is nonzero, server MUST fail if dwAgentState has more than one bit set or its value is not one among LINEAGENTSESSIONSTATE_Constants."]
        [4: bits(dwNextAgentState, LINEAGENTSESSIONSTATE, ZeroOrOne) => L INVALPARAM, "If the value of dwNextAgentState is nonzero, the server MUST fail if dwNextAgentState has more than one bit set or its value is not one among LINEAGENTSESSIONSTATE_Constants."]
        [5: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [6: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineSetAgentStateEx = 157 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: custom(dwAgentState, |c| get!(c, dwAgentState) == 0 && get!(c, dwNextAgentState) == 0) => L INVALPARAM, "The server MUST fail if the values of both dwAgentState and dwNextAgentState are zero."]
        [3: bits(dwAgentState, LINEAGENTSTATEEX, ZeroOrOne) => L INVALPARAM, "If the value of dwAgentState is nonzero, the server MUST fail if dwAgentState has more than one bit set or its value is not one among LINEAGENTSTATEEX_Constants."]
        [4: bits(dwNextAgentState, LINEAGENTSTATEEX, ZeroOrOne) => L INVALPARAM, "If the value of dwNextAgentState is nonzero, the server MUST fail if dwBearerMode has more than one bit set or its value is not one among LINEAGENTSTATEEX_Constants.", note "SetAgentStateEx has no dwBearerMode; dwNextAgentState is meant"]
        [5: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [6: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineSetAppSpecific = 70 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineSetCallData = 71 {
        [1: aligned_within(lpCallData) => L INVALPOINTER, "The server MUST check that lpCallData (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [2: extent(lpCallData, dwSize) => L INVALPOINTER, "The server MUST fail if the sum of lpCallData (offset) and dwSize falls beyond VarData."]
        [3: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineSetCallHubTracking = 143 {
        [1: aligned_within(lpTrackingInfo) => L INVALPOINTER, "The server MUST fail if the LINECALLHUBTRACKINGINFO packet pointed by lpTrackingInfo lies outside VarData or is not DWORD-aligned."]
        [2: fits(lpTrackingInfo, LINECALLHUBTRACKINGINFO) => L INVALPOINTER, "The server MUST fail if VarData is not big enough to accommodate the LINECALLHUBTRACKINGINFO packet."]
        [3: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [4: custom(lpTrackingInfo, |c| tracking(c, f!(LineSetCallHubTracking, lpTrackingInfo)).is_some_and(|t| t > LINECALLHUBTRACKING_MAX)) => L INVALPARAM, "The server MUST fail if LINECALLHUBTRACKINGINFO.dwCurrentTracking is invalid.", note "valid: one of LINECALLHUBTRACKING_Constants (0, 1, 2)"]
        [pkt 1: decodes(lpTrackingInfo) => L INVALPOINTER, "lpTrackingInfo: the offset of a LINECALLHUBTRACKINGINFO packet (2.2.6.18) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.18 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpTrackingInfo already reports (spec-notes/validation.md)"]
    }
    LineSetCallParams = 72 {
        [1: aligned_within(lpDialParams) if present(lpDialParams) => L INVALPOINTER, "If lpDialParams is not set to -1(0xffffffff), the server MUST check that lpDialParams (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [2: extent(lpDialParams, dwSize) if present(lpDialParams) => L INVALPOINTER, "If lpDialParams is not set to -1(0xffffffff), the server MUST fail if the sum of lpDialParams (offset) and dwSize falls beyond VarData."]
        [3: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [4: bits(dwBearerMode, LINEBEARERMODE, One) => L INVALBEARERMODE, "The server MUST fail if dwBearerMode has more than one bit set or its value is not one among LINEBEARERMODE_Constants."]
    }
    LineSetCallQualityOfService = 74 {
        [1: aligned_within(lpSendingFlowspec) => L INVALPOINTER, "The server MUST check that lpSendingFlowspec (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [2: extent(lpSendingFlowspec, dwSendingFlowspecSize) => L INVALPOINTER, "The server MUST fail if the sum of lpSendingFlowspec (offset) and dwSendingFlowspecSize falls beyond VarData."]
        [3: aligned_within(lpReceivingFlowspec) => L INVALPOINTER, "The server MUST check that lpReceivingFlowspec (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [4: extent(lpReceivingFlowspec, dwReceivingFlowspecSize) => L INVALPOINTER, "The server MUST fail if the sum of lpReceivingFlowspec (offset) and dwSendingFlowspecSize falls beyond VarData.", note "the size of lpReceivingFlowspec is dwReceivingFlowspecSize"]
        [5: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineSetCallTreatment = 75 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [2: custom(dwTreatment, |c| { let t = get!(c, dwTreatment); t == 0 || (5..=0xFF).contains(&t) }) => L INVALPARAM, "The server MUST fail if the value of dwTreatment is zero or between 4 to 256.", note "exclusive: 4 is LINECALLTREATMENT_MUSIC, 0x100 and up are provider values (2.2.3.1.30)"]
    }
    LineSetDefaultMediaDetection = 76 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
    }
    LineSetDevConfig = 77 {
        [1: aligned_within(lpDeviceConfig) => L INVALPOINTER, "The server MUST check that lpDeviceConfig (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [2: extent(lpDeviceConfig, dwSize) => L INVALPOINTER, "The server MUST fail if the sum of lpDeviceConfig (offset) and dwSize falls beyond VarData."]
        [3: string(lpszDeviceClass) => L INVALPOINTER, "The server MUST fail if the string pointed to by lpszDeviceClass is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [4: device(dwDeviceID, Line) => L BADDEVICEID, "The server MUST fail if dwDeviceID is invalid."]
    }
    LineSetLineDevStatus = 78 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: bits(dwStatusToChange, LINEDEVSTATUSFLAGS, NonZeroSubset) => L INVALPARAM, "The server MUST fail if dwStatusToChange is zero or does not have a value among LINEDEVSTATUSFLAGS_Constants."]
    }
    LineSetMediaControl = 79 {
        [1: aligned_within(lpDigitList) => L INVALPOINTER, "The server MUST check that lpDigitList (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [2: extent(lpDigitList, dwDigitNumEntries) => L INVALPOINTER, "The server MUST fail if the sum of lpDigitList (offset) and dwDigitNumEntries falls beyond VarData."]
        [3: aligned_within(lpMediaList) => L INVALPOINTER, "The server MUST check that lpMediaList (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [4: extent(lpMediaList, dwMediaNumEntries) => L INVALPOINTER, "The server MUST fail if the sum of lpMediaList (offset) and dwMediaNumEntries falls beyond VarData."]
        [5: aligned_within(lpToneList) => L INVALPOINTER, "The server MUST check that lpToneList (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [6: extent(lpToneList, dwToneNumEntries) => L INVALPOINTER, "The server MUST fail if the sum of lpToneList (offset) and dwToneNumEntries falls beyond VarData."]
        [7: aligned_within(lpCallStateList) => L INVALPOINTER, "The server MUST check that lpCallStateList (offset) is DWORD-aligned and lies within VarData and fail otherwise."]
        [8: extent(lpCallStateList, dwCallStateNumEntries) => L INVALPOINTER, "The server MUST fail if the sum of lpCallStateList (offset) and dwCallStateNumEntries falls beyond VarData."]
        [9: handle(hLine, HLine) if when(|c| get!(c, dwSelect) & (LINECALLSELECT_LINE | LINECALLSELECT_ADDRESS) != 0) => L INVALLINEHANDLE, "Depending upon the type of parameter passed in dwSelect, the server MUST check that hCall and hLine handles are valid or fail otherwise.", note "hLine part: dwSelect LINECALLSELECT_LINE or _ADDRESS"]
        [9: handle(hCall, HCall) if when(|c| get!(c, dwSelect) & (LINECALLSELECT_CALL) != 0) => L INVALCALLHANDLE, "Depending upon the type of parameter passed in dwSelect, the server MUST check that hCall and hLine handles are valid or fail otherwise.", note "hCall part: dwSelect LINECALLSELECT_CALL"]
    }
    LineSetMediaMode = 80 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [2: custom(dwMediaMode, |c| {
            let v = get!(c, dwMediaMode);
            c.version.is_some_and(|ver| ver.0 <= 0x0002_0001)
                && (v & !LINEMEDIAMODE != 0 || v == 0 || (v.count_ones() > 1 && v & LINEMEDIAMODE_UNKNOWN == 0))
        }) => L INVALMEDIAMODE, "For version < = 2.1, the server MUST fail if there is more than one bit set in dwMediaModes without the UNKNOWN flag set or its value is not one among LINEMEDIAMODE_Constants.", note "SetMediaMode has no dwMediaModes; dwMediaMode is meant. The version is the request's (validate_with's, else hCall's from ServerState::api_version); skipped when unknown"]
    }
    LineSetQueueMeasurementPeriod = 156 {
        [1: nonzero(dwMeasurementPeriod) => L INVALPARAM, "The Server MUST fail if dwMeasurementPeriod is set to zero."]
        [2: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [3: proxy(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if there is no registered proxy function handler for line handle."]
        [4: proxy_handles(hLine) => L OPERATIONUNAVAIL, "The server MUST fail if the registered proxy function handler does not handle this request."]
    }
    LineSetStatusMessages = 82 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
        [2: bits(dwLineStates, LINEDEVSTATE, Subset) => L INVALLINESTATE, "The server MUST fail if dwLineStates value is not one among valid LINEDEVSTATE_Constants."]
        [3: bits(dwAddressStates, LINEADDRESSSTATE, Subset) => L INVALADDRESSSTATE, "The server MUST fail if the dwAddressStates value is not one among valid LINEADDRESSSTATE_Constants."]
    }
    LineSetTerminal = 83 {
        [1: handle(hLine, HLine) if when(|c| get!(c, dwSelect) & (LINECALLSELECT_LINE | LINECALLSELECT_ADDRESS) != 0) => L INVALLINEHANDLE, "Depending upon the type of parameter passed in dwSelect, the server MUST check that hCall and hLine handles are valid or fail otherwise.", note "hLine part: dwSelect LINECALLSELECT_LINE or _ADDRESS"]
        [1: handle(hCall, HCall) if when(|c| get!(c, dwSelect) & (LINECALLSELECT_CALL) != 0) => L INVALCALLHANDLE, "Depending upon the type of parameter passed in dwSelect, the server MUST check that hCall and hLine handles are valid or fail otherwise.", note "hCall part: dwSelect LINECALLSELECT_CALL"]
        [2: bits(dwSelect, LINECALLSELECT, One) => L INVALCALLSELECT, "The server MUST fail if dwSelect has more than one bit set or its value is not one among LINECALLSELECT_Constants."]
        [3: bits(dwTerminalModes, LINETERMMODE, NonZeroSubset) => L INVALTERMINALMODE, "The server MUST fail if the dwTerminalModes is zero or its value is not one among valid LINETERMMODE_Constants."]
    }
    LineSetUpConference = 84 {
        [1: opt_handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST check that hCall and hLine handles are valid or fail otherwise.", note "hCall part: zero means no call"]
        [1: handle(hLine, HLine) if eq(hCall, 0) => L INVALLINEHANDLE, "The server MUST check that hCall and hLine handles are valid or fail otherwise.", note "hLine part: used when hCall is zero"]
        [2: aligned_within(lpCallParams) if present(lpCallParams) => L INVALPOINTER, "If lpCallParams is not set to 0xffffffff, the server MUST fail if the LINECALLPARAMS packet pointed by lpCallParams lies outside VarData buffer or is not DWORD-aligned."]
        [3: fits(lpCallParams, LINECALLPARAMS) if present(lpCallParams) => L INVALPOINTER, "The server MUST fail if VarData is not big enough to accommodate the LINECALLPARAMS packet.", note "0xFFFFFFFF exception as in 84.2"]
        [4: callparams(lpCallParams, handle(hLine, HLine)) => L INVALCALLPARAMS, "The server MUST fail if the LINECALLPARAMS packet pointed by lpCallParams is invalid."]
        [pkt 1: decodes(lpCallParams) if present(lpCallParams) => L INVALCALLPARAMS, "lpCallParams: the offset of a LINECALLPARAMS packet (2.2.6.20) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.20 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpCallParams already reports (spec-notes/validation.md)"]
    }
    LineSetUpTransfer = 85 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
        [2: aligned_within(lpCallParams) if present(lpCallParams) => L INVALPOINTER, "If lpCallParams is not set to 0xffffffff, the server MUST fail if the LINECALLPARAMS packet pointed by lpCallParams lies outside VarData buffer or is not DWORD-aligned."]
        [3: fits(lpCallParams, LINECALLPARAMS) if present(lpCallParams) => L INVALPOINTER, "The server MUST fail if VarData is not big enough to accommodate the LINECALLPARAMS packet.", note "0xFFFFFFFF exception as in 85.2"]
        [4: callparams(lpCallParams, handle(hCall, HCall)) => L INVALCALLPARAMS, "The server MUST fail if the LINECALLPARAMS packet pointed by lpCallParams is invalid."]
        [pkt 1: decodes(lpCallParams) if present(lpCallParams) => L INVALCALLPARAMS, "lpCallParams: the offset of a LINECALLPARAMS packet (2.2.6.20) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.20 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpCallParams already reports (spec-notes/validation.md)"]
    }
    LineSwapHold = 87 {
        [1: handle(hActiveCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hActiveCall is an invalid handle."]
        [2: handle(hHeldCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hHeldCall is an invalid handle."]
        [3: custom(hHeldCall, |c| get!(c, hActiveCall) == get!(c, hHeldCall)) => L INVALCALLHANDLE, "The server MUST fail if call handle for HeldCall and ActiveCall are the same."]
    }
    LineUnCompleteCall = 88 {
        [1: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
    }
    LineUnHold = 89 {
        [1: handle(hCall, HCall) => L INVALCALLHANDLE, "The server MUST fail if hCall is an invalid handle."]
    }
    LineUnPark = 90 {
        [1: string(lpszDestAddress) => L INVALPOINTER, "The server MUST fail if the string pointed to by lpszDestAddress is not WCHAR-aligned, not NULL-terminated, or lies outside VarData."]
        [2: handle(hLine, HLine) => L INVALLINEHANDLE, "The server MUST fail if hLine is an invalid handle."]
    }
    PhoneInitialize = 106 {
        [1: str_aligned(dwFriendlyNameOffset) => P INVALPOINTER, "The server MUST fail if dwFriendlyNameOffset is not WCHAR-aligned."]
        [2: str_within(dwFriendlyNameOffset) => P INVALPOINTER, "The server MUST fail if the string pointed by dwFriendlyNameOffset lies outside the variable data area (VarData)."]
        [3: str_terminated(dwFriendlyNameOffset) => P INVALPOINTER, "The server MUST fail if the string pointed by dwFriendlyNameOffset is not NULL-terminated."]
        [4: str_aligned(dwModuleNameOffset) => P INVALPOINTER, "The server MUST fail if dwModuleNameOffset is not WCHAR-aligned."]
        [5: str_within(dwModuleNameOffset) => P INVALPOINTER, "The server MUST fail if the string pointed by dwModuleNameOffset lies outside the variable data area."]
        [6: str_terminated(dwModuleNameOffset) => P INVALPOINTER, "The server MUST fail if the string pointed by dwModuleNameOffset is not NULL-terminated."]
    }
    PhoneNegotiateAPIVersion = 108 {
        [1: var_min(PHONEEXTENSIONID) => P STRUCTURETOOSMALL, "The server MUST fail if the size of vardata is less than the size of the PHONEEXTENSIONID structure."]
        [2: device(dwDeviceIDLocal, Phone) => P BADDEVICEID, "The server MUST fail if dwDeviceIDLocal is invalid."]
        [3: handle(hPhoneApp, HPhoneApp) => P INVALAPPHANDLE, "The server MUST fail if hPhoneApp is invalid."]
        [4: not_greater(dwVersion, dwVersionCurrent) => P INCOMPATIBLEAPIVERSION, "The server MUST fail if dwVersion is greater than dwVersionCurrent."]
        [5: version_between(dwVersion, dwVersionCurrent) => P INCOMPATIBLEAPIVERSION, "The server MUST fail if no valid TAPI version exists between dwVersion or dwVersionCurrent (both inclusive)."]
    }
    PhoneGetDevCaps = 95 {
        [1: var_min(PHONECAPS) => P STRUCTURETOOSMALL, "The server MUST fail if the size of VarData is less than the size of the PHONECAPS structure."]
        [2: fact(dwExtVersion, |c| Some(Fact::ExtVersion { func: c.desc.func, target: get!(c, dwDeviceID), version: Version(get!(c, dwExtVersion)) })) => P INCOMPATIBLEEXTVERSION, "The server MUST fail if dwExtVersion is invalid."]
        [3: device(dwDeviceID, Phone) => P BADDEVICEID, "The server MUST fail if dwDeviceID is invalid."]
    }
    PhoneOpen = 107 {
        [1: handle(hPhoneApp, HPhoneApp) => P INVALAPPHANDLE, "The server MUST fail if hPhoneApp is an invalid handle."]
        [2: bits(dwPrivilege, PHONEPRIVILEGE_MONITOR | PHONEPRIVILEGE_OWNER, One) => P INVALPRIVILEGE, "The server MUST fail if dwPrivilege is invalid. The valid values are PHONEPRIVILEGE_MONITOR and PHONEPRIVILEGE_OWNER."]
        [3: version(dwNegotiatedVersion, TAPI_VERSIONS) => P INCOMPATIBLEAPIVERSION, "The server MUST fail if dwNegotiatedVersion is invalid."]
        [4: fact(dwExtVersion, |c| Some(Fact::ExtVersion { func: c.desc.func, target: get!(c, dwDeviceID), version: Version(get!(c, dwExtVersion)) })) => P INCOMPATIBLEEXTVERSION, "The server MUST fail if dwExtVersion is invalid."]
    }
    PhoneClose = 91 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
    }
    PhoneShutDown = 119 {
        [1: handle(hPhoneApp, HPhoneApp) => P INVALAPPHANDLE, "The server MUST fail if hPhoneApp is an invalid handle."]
    }
    PhoneDevSpecific = 92 {
        [1: block(lpParams, dwSize) => P INVALPOINTER, "The server MUST fail if lpParams is invalid (negative) or dwSize + lpParams points outside VarData.", note "read as: lpParams DWORD-aligned, inside VarData, and lpParams + dwSize inside VarData"]
        [2: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
    }
    PhoneGetButtonInfo = 93 {
        [1: custom(lpButtonInfo, |c| u64::from(get!(c, lpButtonInfo)) > c.var.len() as u64) => P INVALPOINTER, "The server MUST fail if lpButtonInfo is greater than the size of the VarData."]
        [2: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
        [3: at_least(lpButtonInfo, PHONEBUTTONINFO) => P STRUCTURETOOSMALL, "The server MUST fail if lpButtonInfo is less than size of PHONEBUTTONINFO."]
    }
    PhoneGetData = 94 {
        [1: var_min_field(dwSize) => P INVALPOINTER, "The server MUST fail if dwSize is greater than the size of VarData."]
    }
    PhoneGetDisplay = 96 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
        [2: var_min_field(lpDisplay) => P INVALPOINTER, "The server MUST fail if lpDisplay greater than the size of VarData."]
        [3: at_least(lpDisplay, VARSTRING) => P STRUCTURETOOSMALL, "The server MUST fail if lpDisplay is less than the size of VARSTRING structure."]
    }
    PhoneGetGain = 97 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
        [2: bits(dwHookSwitchDev, PHONEHOOKSWITCHDEV, One) => P INVALHOOKSWITCHDEV, "The server MUST fail if dwHookSwitchDev has more than one bit set or its value is not one among PHONEHOOKSWITCHDEV_Constants."]
    }
    PhoneGetHookSwitch = 98 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
    }
    PhoneGetID = 99 {
        [1: var_min_field(lpDeviceID) => P INVALPOINTER, "The server MUST fail if lpDeviceID is greater than the size of varData."]
        [2: at_least(lpDeviceID, VARSTRING) => P STRUCTURETOOSMALL, "The server MUST fail if lpDeviceID is less than the size of VARSTRING packet."]
        [3: string(lpszDeviceClass) => P INVALPOINTER, "The server MUST fail if the string pointed to by lpszDeviceClass is not WCHAR-aligned, not NULL-terminated, or lies outside varData."]
        [4: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
    }
    PhoneGetLamp = 101 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
    }
    PhoneGetRing = 102 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
    }
    PhoneGetStatus = 103 {
        [1: var_min_field(lpPhoneStatus) => P INVALPOINTER, "The server MUST fail if lpPhoneStatus is greater than the size of varData."]
        [2: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
        [3: at_least(lpPhoneStatus, PHONESTATUS) => P STRUCTURETOOSMALL, "The server MUST fail if lpPhoneStatus is not equal to the size of the PHONESTATUS packet.", note "read as 'less than': PHONESTATUS grows with the version (dwPhoneFeatures is optional)"]
    }
    PhoneGetVolume = 105 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
        [2: bits(dwHookSwitchDev, PHONEHOOKSWITCHDEV, One) => P INVALHOOKSWITCHDEV, "The server MUST fail if exactly one of the following bits are not set in dwHookSwitchDev: PHONEHOOKSWITCHDEV_HANDSET, PHONEHOOKSWITCHDEV_SPEAKER, PHONEHOOKSWITCHDEV_HEADSET."]
    }
    PhoneNegotiateExtVersion = 109 {
        [1: handle(hPhoneApp, HPhoneApp) => P INVALAPPHANDLE, "The server MUST fail if hPhoneApp is an invalid handle."]
        [2: device(dwDeviceID, Phone) => P BADDEVICEID, "The server MUST fail if dwDeviceID is an invalid handle."]
        [3: version(dwTSPIVersion, TAPI_VERSIONS) => P INCOMPATIBLEAPIVERSION, "The server MUST fail if dwTSPIVersion is invalid."]
    }
    PhoneSelectExtVersion = 129 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
    }
    PhoneSetButtonInfo = 110 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is an invalid handle."]
        [2: aligned_within(lpButtonInfo) => P INVALPOINTER, "The server MUST fail if the PHONEBUTTIONINFO packet lies outside varData buffer or is not DWORD-aligned."]
        [pkt 1: fits(lpButtonInfo, PHONEBUTTONINFO) => P STRUCTURETOOSMALL, "lpButtonInfo: the offset in VarData of a PHONEBUTTONINFO packet (the packet must lie within VarData)."]
        [pkt 2: decodes(lpButtonInfo) => P INVALPOINTER, "lpButtonInfo: the offset of a PHONEBUTTONINFO packet (2.2.6.41) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.41 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpButtonInfo already reports (spec-notes/validation.md)"]
    }
    PhoneSetData = 111 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is invalid."]
        [2: aligned_within(lpData) => P INVALPOINTER, "The server MUST check that lpData (offset) is DWORD-aligned and lies within varData and fail otherwise."]
        [3: extent(lpData, dwSize) => P INVALPOINTER, "The server MUST fail if the sum of lpData (offset) and dwSize falls beyond varData."]
        [4: fact(hPhone, |c| Some(Fact::PhonePrivilege { h_phone: HPhone(get!(c, hPhone)), privilege: PHONEPRIVILEGE_OWNER })) => P NOTOWNER, "The server MUST fail if the client does not have privileges greater than or equal to PHONEPRIVILEGE_OWNER."]
    }
    PhoneSetDisplay = 112 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is invalid."]
        [2: aligned_within(lpsDisplay) => P INVALPOINTER, "The server MUST check that lpsDisplay (offset) is DWORD-aligned and lies within varData and fail otherwise."]
        [3: extent(lpsDisplay, dwSize) => P INVALPOINTER, "The server MUST fail if the sum of lpsDisplay (offset) and dwSize falls beyond varData."]
        [4: fact(hPhone, |c| Some(Fact::PhonePrivilege { h_phone: HPhone(get!(c, hPhone)), privilege: PHONEPRIVILEGE_OWNER })) => P NOTOWNER, "The server MUST fail if the client does not have privileges greater than or equal to PHONEPRIVILEGE_OWNER."]
    }
    PhoneSetGain = 113 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is invalid."]
        [2: bits(dwHookSwitchDev, PHONEHOOKSWITCHDEV, One) => P INVALHOOKSWITCHDEV, "The server MUST fail if dwHookSwitchDev is invalid."]
        [3: fact(hPhone, |c| Some(Fact::PhonePrivilege { h_phone: HPhone(get!(c, hPhone)), privilege: PHONEPRIVILEGE_OWNER })) => P NOTOWNER, "The server MUST fail if the client does not have privileges greater than or equal to PHONEPRIVILEGE_OWNER."]
    }
    PhoneSetHookSwitch = 114 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is invalid."]
        [2: bits(dwHookSwitchDevs, PHONEHOOKSWITCHDEV, NonZeroSubset) => P INVALHOOKSWITCHDEV, "The server MUST fail if dwHookSwitchDev is invalid.", note "SetHookSwitch has dwHookSwitchDevs (a set of devices), not dwHookSwitchDev"]
        [3: bits(dwHookSwitchMode, PHONEHOOKSWITCHMODE, One) => P INVALHOOKSWITCHMODE, "The server MUST fail if dwHookSwitchMode is invalid."]
        [4: fact(hPhone, |c| Some(Fact::PhonePrivilege { h_phone: HPhone(get!(c, hPhone)), privilege: PHONEPRIVILEGE_OWNER })) => P NOTOWNER, "The server MUST fail if the client does not have privileges greater than or equal to PHONEPRIVILEGE_OWNER."]
    }
    PhoneSetLamp = 115 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is invalid."]
        [2: bits(dwLampMode, PHONELAMPMODE, One) => P INVALLAMPMODE, "The server MUST fail if dwLampMode is invalid."]
        [3: fact(hPhone, |c| Some(Fact::PhonePrivilege { h_phone: HPhone(get!(c, hPhone)), privilege: PHONEPRIVILEGE_OWNER })) => P NOTOWNER, "The server MUST fail if the client does not have privileges greater than or equal to PHONEPRIVILEGE_OWNER."]
    }
    PhoneSetRing = 116 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is invalid."]
        [2: fact(hPhone, |c| Some(Fact::PhonePrivilege { h_phone: HPhone(get!(c, hPhone)), privilege: PHONEPRIVILEGE_OWNER })) => P NOTOWNER, "The server MUST fail if the client does not have privileges greater than or equal to PHONEPRIVILEGE_OWNER."]
    }
    PhoneSetStatusMessages = 117 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is invalid."]
        [2: bits(dwPhoneStates, PHONESTATE, Subset) => P INVALPHONESTATE, "The server MUST fail if dwPhoneStates is invalid."]
        [3: bits(dwButtonModes, PHONEBUTTONMODE, Subset) => P INVALBUTTONMODE, "The server MUST fail if dwButtonModes is invalid."]
        [4: bits(dwButtonStates, PHONEBUTTONSTATE, Subset) => P INVALBUTTONSTATE, "The server MUST fail if dwButtonStates is invalid."]
        [5: custom(dwButtonStates, |c| get!(c, dwButtonModes) & PHONEBUTTONMODE != 0 && get!(c, dwButtonStates) & PHONEBUTTONSTATE == 0) => P INVALBUTTONSTATE, "The server MUST fail if dwButtonModes has at least one valid flag set and dwButtonStates has no valid flag set."]
        [6: fact(hPhone, |c| Some(Fact::PhonePrivilege { h_phone: HPhone(get!(c, hPhone)), privilege: PHONEPRIVILEGE_MONITOR })) => P NOTOWNER, "The server MUST fail if the client does not have privileges greater than or equal to PHONEPRIVILEGE_MONITOR."]
    }
    PhoneSetVolume = 118 {
        [1: handle(hPhone, HPhone) => P INVALPHONEHANDLE, "The server MUST fail if hPhone is invalid."]
        [2: bits(dwHookSwitchDev, PHONEHOOKSWITCHDEV, One) => P INVALHOOKSWITCHDEV, "The server MUST fail if dwHookSwitchDev is invalid."]
        [3: fact(hPhone, |c| Some(Fact::PhonePrivilege { h_phone: HPhone(get!(c, hPhone)), privilege: PHONEPRIVILEGE_OWNER })) => P NOTOWNER, "The server MUST fail if the client does not have privileges greater than or equal to PHONEPRIVILEGE_OWNER."]
    }
    GetAvailableProviders = 131 {
        [1: var_min_field(lpProviderList) => L INVALPOINTER, "The server MUST fail if lpProviderList is greater than size of VarData."]
        [2: at_least(lpProviderList, AVAILABLEPROVIDERLIST) => L STRUCTURETOOSMALL, "The server MUST fail if lpProviderList is less than size of AVAILABLEPROVIDERLIST."]
    }
    GetDeviceFlags = 165 {
        [1: fact(dwProviderID, |c| Some(Fact::ProviderId(get!(c, dwProviderID)))) => L INVALPARAM, "The server MUST fail if dwProviderID is invalid."]
    }
    GetLineInfo = 132 {
        [1: var_min_field(lpDeviceInfoList) => L INVALPOINTER, "The server MUST fail if lpDeviceInfoList is greater than size of VarData."]
        [2: var_min(DEVICEINFOLIST) => L STRUCTURETOOSMALL, "The server MUST fail if VarData is not big enough to accommodate DEVICEINFOLIST."]
    }
    GetPhoneInfo = 133 {
        [1: var_min_field(lpDeviceInfoList) => L INVALPOINTER, "The server MUST fail if lpDeviceInfoList is greater than size of VarData."]
        [2: var_min(DEVICEINFOLIST) => L STRUCTURETOOSMALL, "The server MUST fail if VarData is not big enough to accommodate DEVICEINFOLIST."]
    }
    GetProviderList = 42 {
        [1: var_min_field(lpProviderList) => L INVALPOINTER, "The server MUST fail if lpProviderList is greater than size of VarData."]
        [2: version(dwAPIVersion, TAPI_VERSIONS) => L INCOMPATIBLEAPIVERSION, "The server MUST fail if dwAPIVersion is invalid."]
        [3: at_least(lpProviderList, LINEPROVIDERLIST) => L STRUCTURETOOSMALL, "The server MUST fail if lpProviderList is less than size of LINEPROVIDERLIST."]
    }
    GetServerConfig = 134 {
        [1: var_min_field(lpProviderList) => L INVALPOINTER, "The server MUST fail if lpProviderList is greater than size of VarData."]
        [2: var_min(TAPISERVERCONFIG) => L STRUCTURETOOSMALL, "The server MUST fail if VarData is not big enough to accommodate TAPISERVERCONFIG."]
    }
    SetLineInfo = 135 {
        [1: fact(hLineApp, |_| Some(Fact::Admin)) => L OPERATIONFAILED, "The server MUST fail if client does not have admin privileges."]
        [2: multiple_of(lpDeviceInfoList, 4) => L INVALPOINTER, "The server MUST fail if lpDeviceInfoList is not a multiple of 4."]
        [3: fits(lpDeviceInfoList, DEVICEINFOLIST) => L STRUCTURETOOSMALL, "The server MUST fail if VarData is not big enough to accommodate DEVICEINFOLIST."]
        [pkt 1: decodes(lpDeviceInfoList) => L INVALPOINTER, "lpDeviceInfoList: the offset of a DEVICEINFOLIST packet (2.2.6.4) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.4 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpDeviceInfoList already reports (spec-notes/validation.md)"]
    }
    SetPhoneInfo = 136 {
        [1: fact(hPhoneApp, |_| Some(Fact::Admin)) => L OPERATIONFAILED, "The server MUST fail if client does not have admin privileges."]
        [2: multiple_of(lpDeviceInfoList, 4) => L INVALPOINTER, "The server MUST fail if lpDeviceInfoList is not a multiple of 4."]
        [3: fits(lpDeviceInfoList, DEVICEINFOLIST) => L STRUCTURETOOSMALL, "The server MUST fail if VarData is not big enough to accommodate DEVICEINFOLIST."]
        [pkt 1: decodes(lpDeviceInfoList) => L INVALPOINTER, "lpDeviceInfoList: the offset of a DEVICEINFOLIST packet (2.2.6.4) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.4 describes it.", note "packet-section rule: what no 3.1.4.2 rule on lpDeviceInfoList already reports (spec-notes/validation.md)"]
    }
    GetUIDllName = 1 {
        [1: fact(dwObjectType, |c| matches!(get!(c, dwObjectType), TUISPIDLL_OBJECT_LINEID | TUISPIDLL_OBJECT_PHONEID).then_some(Fact::Admin)) => L OPERATIONFAILED, "The server MUST fail if dwObjectType is set to TUISPIDLL_OBJECT_LINEID or TUISPIDLL_OBJECT_PHONEID and the client does not have admin privileges."]
        [2: fact(dwObjectType, |c| (get!(c, dwObjectType) == TUISPIDLL_OBJECT_PROVIDERID).then_some(Fact::ProviderInstallAllowed)) => L OPERATIONFAILED, "The server MUST fail if dwObjectType is set to TUISPIDLL_OBJECT_PROVIDERID and the client is trying to install or uninstall the TSP and does not have admin privileges."]
        [2: fact(dwObjectID, |c| Some(Fact::ObjectId { object_type: get!(c, dwObjectType), object_id: get!(c, dwObjectID) })) => L BADDEVICEID, "The server MUST fail if dwObjectID is invalid.", note "second sentence of bullet 2"]
        [4: str_aligned(dwProviderFilenameOffset) if present(dwProviderFilenameOffset) => L INVALPOINTER, "The server MUST fail if dwProviderFileNameOffset is not WCHAR-aligned.", note "bullet 3 makes bullets 4-6 apply only when the offset is not 0xffffffff"]
        [5: str_within(dwProviderFilenameOffset) if present(dwProviderFilenameOffset) => L INVALPOINTER, "The server MUST fail if the string pointed by dwProviderFileNameOffset lies outside the variable data area (VarData)."]
        [6: str_terminated(dwProviderFilenameOffset) if present(dwProviderFilenameOffset) => L INVALPOINTER, "The server MUST fail if the string pointed by dwProviderFileNameOffset is not NULL-terminated."]
    }
    TUISPIDLLCallback = 2 {
        [1: aligned_within(dwParamsInOffset) => L INVALPOINTER, "The server MUST check that dwParamsInOffset is DWORD-aligned and lies within varData and fail otherwise."]
        [2: extent(dwParamsInOffset, dwParamsInSize) => L INVALPOINTER, "The server MUST fail if the sum of dwParamsInOffset and dwParamsInSize falls beyond varData."]
        [3: fact(dwObjectType, |c| matches!(get!(c, dwObjectType), TUISPIDLL_OBJECT_LINEID | TUISPIDLL_OBJECT_PHONEID).then_some(Fact::Admin)) => L OPERATIONFAILED, "The server MUST fail if dwObjectType is set to TUISPIDLL_OBJECT_LINEID or TUISPIDLL_OBJECT_PHONEID and the client does not have admin privileges."]
        [4: fact(dwObjectID, |c| Some(Fact::ObjectId { object_type: get!(c, dwObjectType), object_id: get!(c, dwObjectID) })) => L BADDEVICEID, "The server MUST fail if dwObjectID is invalid."]
    }
    FreeDialogInstance = 3 {
        [1: fact(htDlgInst, |c| Some(Fact::DialogInstance(get!(c, htDlgInst)))) => L INVALPARAM, "The server MUST fail if htDlgInst is an invalid handle."]
    }
    SetServerConfig = 137 {
        [1: fact(hLineApp, |_| Some(Fact::Admin)) => L OPERATIONFAILED, "The server MUST fail if client does not have admin privileges."]
        [2: fits(dwServerConfigOffset, TAPISERVERCONFIG) => L STRUCTURETOOSMALL, "The server MUST fail if VarData is not big enough to accommodate TAPISERVERCONFIG."]
        [pkt 1: aligned_within(dwServerConfigOffset) => L INVALPOINTER, "dwServerConfigOffset: the offset of a TAPISERVERCONFIG packet in VarData (DWORD-aligned, as VarData contents MUST be)."]
        [pkt 2: decodes(dwServerConfigOffset) => L INVALPOINTER, "dwServerConfigOffset: the offset of a TAPISERVERCONFIG packet (2.2.6.5) in VarData: the packet decodes, every variable item inside it resolving as 2.2.6.5 describes it.", note "packet-section rule: what no 3.1.4.2 rule on dwServerConfigOffset already reports (spec-notes/validation.md)"]
    }
    GetAsyncEvents = 0 {
        [1: var_min_field(dwTotalBufferSize) => L INVALPOINTER, "The server MUST fail if dwTotalBufferSize is greater than the size of VarData."]
    }
    NegotiateAPIVersionForAllDevices = 130 {
        [1: custom(dwNumLineDevices, |c| { let need = u64::from(get!(c, dwLineAPIVersionListSize)) + u64::from(get!(c, dwLineExtensionIDListSize)) + u64::from(get!(c, dwPhoneAPIVersionListSize)) + u64::from(get!(c, dwPhoneExtensionIDListSize)); (c.var.len() as u64) < need }) => L STRUCTURETOOSMALL, "The server MUST fail if VarData is not big enough to accommodate a LINEEXTENSIONID packet, a PHONEEXTENSIONID packet, and DWORD-arrays of Line API Version and Phone API Version.", note "read as: VarData holds the four lists whose sizes the request gives"]
        [2: fact(dwNumLineDevices, |c| Some(Fact::NumDevices { lines: get!(c, dwNumLineDevices), phones: get!(c, dwNumPhoneDevices) })) => L BADDEVICEID, "The server MUST fail if dwNumLineDevices or dwNumPhoneDevices is invalid."]
        [3: custom(dwLineAPIVersionListSize, |c| u64::from(get!(c, dwLineAPIVersionListSize)) != 4 * u64::from(get!(c, dwNumLineDevices))) => L INVALPARAM, "The server MUST fail if dwLineAPIVersionListSize is not a multiple of 4 and dwNumLineDevices.", note "read as: equal to 4 * dwNumLineDevices"]
        [4: custom(dwPhoneAPIVersionListSize, |c| u64::from(get!(c, dwPhoneAPIVersionListSize)) != 4 * u64::from(get!(c, dwNumPhoneDevices))) => L INVALPARAM, "The server MUST fail if dwPhoneAPIVersionListSize is not a multiple of 4 and dwNumPhoneDevices.", note "read as: equal to 4 * dwNumPhoneDevices"]
        [5: custom(dwLineExtensionIDListSize, |c| u64::from(get!(c, dwLineExtensionIDListSize)) != u64::from(min_size!(LINEEXTENSIONID)) * u64::from(get!(c, dwNumLineDevices))) => L INVALPARAM, "The server MUST fail if dwLineExtensionIDListSize is not equal to a multiple of the size of LINEEXTENSIONID and dwNumLineDevices.", note "read as: equal to 16 * dwNumLineDevices"]
        [6: custom(dwPhoneExtensionIDListSize, |c| u64::from(get!(c, dwPhoneExtensionIDListSize)) != u64::from(min_size!(PHONEEXTENSIONID)) * u64::from(get!(c, dwNumPhoneDevices))) => L INVALPARAM, "The server MUST fail if dwPhoneExtensionIDListSize is not equal to a multiple of the size of PHONEEXTENSIONID and dwNumPhoneDevices.", note "read as: equal to 16 * dwNumPhoneDevices"]
        [7: version(dwAPIHighVersion, TAPI_VERSIONS) => L INCOMPATIBLEAPIVERSION, "The server MUST fail if dwAPIHighVersion is invalid."]
    }
    RSPSetEventFilterMasks = 161 {
        [1: fact(dwObjType, |c| Some(Fact::ObjectType(get!(c, dwObjType)))) => L INVALPARAM, "The server MUST fail if dwObjType is invalid."]
        [2: fact(lObjectID, |c| Some(Fact::EventObject { obj_type: get!(c, dwObjType), object_id: get!(c, lObjectID) })) => L INVALPARAM, "The server MUST fail if lObjectID is invalid."]
    }
}

/// Bullets of 3.1.4.2 that are not applied as rules, with the reason: the "On success"
/// sentences (they describe processing, not checks), list items and headers that belong to a
/// neighbouring rule, and the errata this crate does not enforce.
pub static NOT_APPLIED: &[(&str, &str)] = &[
    ("17.5", "header of the per-LINEFORWARD rules 17.6-17.10"),
    ("105.3", "list item of 105.2"),
    ("105.4", "list item of 105.2"),
    ("105.5", "list item of 105.2"),
    (
        "1.3",
        "condition of 1.4-1.6 (applied as their 0xFFFFFFFF guard)",
    ),
    (
        "118.4",
        "erratum: SetVolume has no VarData (2.2.4.1.6.22); the sentence is SetButtonInfo's",
    ),
];

/// Stateless rules a generated packet cannot break while every other stateless rule holds
/// (issue 12, [`crate::generate`] with feature `arbitrary`), with the reason. Every other
/// stateless rule has a packet that breaks it alone (`tests/generate_violations.rs`).
pub static NOT_BREAKABLE_ALONE: &[(&str, &str)] = &[
    (
        "80.2",
        "version-dependent: validate without a negotiated version skips it; with one \
         (generate::request_violating(.., Some(version), ..)) it is broken like any other",
    ),
    (
        "CR.1",
        "about lNeededSize, an argument of the ClientRequest call, not a byte of the packet: \
         check_client_request reports it, validate never does",
    ),
    (
        "CR.2",
        "about plUsedSize, an argument of the ClientRequest call, not a byte of the packet: \
         check_client_request reports it, validate never does",
    ),
];

/// The reason `id` is in [`NOT_BREAKABLE_ALONE`], if it is.
pub fn not_breakable_alone(id: &str) -> Option<&'static str> {
    NOT_BREAKABLE_ALONE
        .iter()
        .find(|(r, _)| *r == id)
        .map(|(_, why)| *why)
}

/// Every rule: the ClientRequest rules, the 132 function blocks in catalogue order, and the
/// LINECALLPARAMS block.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    CLIENT_REQUEST_RULES
        .iter()
        .chain(FuncId::ALL.iter().flat_map(|f| block(*f).iter()))
        .chain(CALLPARAMS_RULES.iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::Request;

    /// A block runs exactly for the `Req_Func` values the decoder documents: `runner` is
    /// `Some` when the request's description is, and names the same function.
    #[test]
    fn a_runner_exactly_for_each_documented_function() {
        let values = (0u32..1024).chain([u32::MAX, 0x1_0000, 0x8000_0000]);
        for v in values {
            let mut bytes = [0u8; 60];
            bytes[..4].copy_from_slice(&v.to_le_bytes());
            let desc = Request::parse(&bytes).unwrap().desc();
            assert_eq!(runner(v).is_some(), desc.is_some(), "Req_Func {v}");
            assert_eq!(
                stateless_runner(v).is_some(),
                desc.is_some(),
                "Req_Func {v}"
            );
            if let Some(d) = desc {
                assert_eq!(d.func as u32, v);
            }
        }
    }
}
