//! Rule coverage (issue 12): for N inputs of each source, how many distinct validation rules
//! fired and how many distinct result codes were reached (`mstrp::generate::coverage`).
//!
//! ```text
//! cargo run --release --features arbitrary --example rule_coverage -- \
//!     [--count N] [--seed S] [--dir DIR]... [--gen-dir DIR [--gen-out OUT]]... [--pairs] [--missed]
//! ```
//!
//! Sources, one markdown table row each:
//! * raw random bytes (SplitMix64 seeded with S, 0 to 1024 bytes each);
//! * the same with a documented `Req_Func` in the first DWORD;
//! * each `--dir DIR` (every file in it, e.g. a libFuzzer corpus; at most N);
//! * each `--gen-dir DIR`: a corpus of the `gen_request` fuzz target, each file turned into
//!   the request it makes the generator write (`coverage::from_unstructured`, as the target
//!   does; files it cannot use are skipped). With `--gen-out OUT` those requests are also
//!   written to OUT, one file each, so that a raw target can replay them (the edge-coverage
//!   comparison in the README replays both corpora through `validate_request`);
//! * structure-aware generation: valid requests alternating with targeted violations that
//!   cycle over every breakable stateless rule and every resolver check.
//!
//! `--pairs` also prints the "also fires" table (targeted rule A, other rule B that fired
//! with it); `--missed` lists the breakable rules a source did not reach and the inputs that
//! missed their target.

use std::path::{Path, PathBuf};
use std::time::Instant;

use mstrp::generate::coverage::{self, Coverage};

struct Args {
    count: u64,
    seed: u64,
    dirs: Vec<PathBuf>,
    gen_dirs: Vec<PathBuf>,
    gen_out: Option<PathBuf>,
    pairs: bool,
    missed: bool,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        count: 100_000,
        seed: 1,
        dirs: Vec::new(),
        gen_dirs: Vec::new(),
        gen_out: None,
        pairs: false,
        missed: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--count" => {
                a.count = value("--count")?
                    .parse()
                    .map_err(|e| format!("--count: {e}"))?
            }
            "--seed" => {
                a.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--dir" => a.dirs.push(PathBuf::from(value("--dir")?)),
            "--gen-dir" => a.gen_dirs.push(PathBuf::from(value("--gen-dir")?)),
            "--gen-out" => a.gen_out = Some(PathBuf::from(value("--gen-out")?)),
            "--pairs" => a.pairs = true,
            "--missed" => a.missed = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// The files of `dir`, sorted, at most `count`.
fn files_of(dir: &Path, count: u64) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.truncate(usize::try_from(count).unwrap_or(usize::MAX));
    Ok(files)
}

fn report_missed(name: &str, cov: &Coverage) {
    let missed = cov.missed_breakable();
    eprintln!("{name}: {} breakable rules not reached", missed.len());
    if missed.len() <= 40 {
        eprintln!("  {}", missed.join(" "));
    }
    for (what, seeds) in cov.off_target() {
        eprintln!("  off target: {what} (seeds {seeds:?})");
    }
    if cov.not_generated > 0 {
        eprintln!("  generator gave up on {} inputs", cov.not_generated);
    }
}

fn main() -> Result<(), String> {
    let a = args()?;
    let mut rows = Vec::new();
    let mut timed = |name: String, run: &mut dyn FnMut() -> Coverage| {
        let t = Instant::now();
        let cov = run();
        eprintln!("{name}: {:.1} s", t.elapsed().as_secs_f64());
        if a.missed {
            report_missed(&name, &cov);
        }
        rows.push((name, cov));
    };
    timed(format!("raw random bytes (seed {})", a.seed), &mut || {
        coverage::raw_coverage(a.seed, a.count, false)
    });
    timed(
        format!("raw random bytes, documented Req_Func (seed {})", a.seed),
        &mut || coverage::raw_coverage(a.seed, a.count, true),
    );
    for dir in &a.dirs {
        let files = files_of(dir, a.count)?;
        let mut err = None;
        timed(format!("`{}`", dir.display()), &mut || {
            let mut cov = Coverage::new();
            for f in &files {
                match std::fs::read(f) {
                    Ok(bytes) => {
                        cov.add(&bytes, None);
                    }
                    Err(e) => err = Some(format!("{}: {e}", f.display())),
                }
            }
            cov
        });
        if let Some(e) = err {
            return Err(e);
        }
    }
    let targets = coverage::violation_targets();
    for dir in &a.gen_dirs {
        let files = files_of(dir, a.count)?;
        if let Some(out) = &a.gen_out {
            std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        let mut err = None;
        timed(
            format!("`{}` (gen_request corpus)", dir.display()),
            &mut || {
                let mut cov = Coverage::new();
                for f in &files {
                    let data = match std::fs::read(f) {
                        Ok(data) => data,
                        Err(e) => {
                            err = Some(format!("{}: {e}", f.display()));
                            continue;
                        }
                    };
                    let mut u = arbitrary::Unstructured::new(&data);
                    let Ok((target, bytes)) = coverage::from_unstructured(&mut u, &targets) else {
                        cov.not_generated += 1;
                        continue;
                    };
                    cov.add(&bytes, target.version());
                    if let (Some(out), Some(name)) = (&a.gen_out, f.file_name()) {
                        if let Err(e) = std::fs::write(out.join(name), &bytes) {
                            err = Some(format!("{}: {e}", out.display()));
                        }
                    }
                }
                cov
            },
        );
        if let Some(e) = err {
            return Err(e);
        }
    }
    let mut structured = None;
    timed(
        "structure-aware: valid + targeted violations".to_string(),
        &mut || {
            let cov = coverage::structured_coverage(a.count);
            structured = Some(cov.clone());
            cov
        },
    );
    println!("{}", Coverage::markdown_header());
    for (name, cov) in &rows {
        println!("{}", cov.markdown_row(name));
    }
    if let (true, Some(cov)) = (a.pairs, structured) {
        println!();
        println!("| targeted rule | also fires | inputs targeting it | with both |");
        println!("| --- | --- | ---: | ---: |");
        for (x, y, n, both) in cov.also_fires() {
            println!("| {x} | {y} | {n} | {both} |");
        }
    }
    Ok(())
}
