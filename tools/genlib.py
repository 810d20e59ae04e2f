"""Shared command line and output handling for the generators in tools/ (standard library only).

Every generator writes files named by their path relative to the repository root:

  --out DIR   write them under DIR instead of the repository root (DIR/src/..., DIR/tests/...)
  --check     write nothing; compare with the committed files, print a diff, exit 1 on drift

and reads its input either from the committed extracted data (--data DIR, default tools/data)
or straight from the spec (--spec PATH), extracted in memory by tools/extract.py.
"""
import argparse
import difflib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / 'tools' / 'data'
DEFAULT_SPEC = ROOT.parent / 'shared' / 'spec' / 'MS-TRP' / 'MS-TRP.md'


def parser(description, data=True):
    p = argparse.ArgumentParser(description=description)
    if data:
        src = p.add_mutually_exclusive_group()
        src.add_argument('--data', type=Path, default=DATA, metavar='DIR',
                         help='extracted data to read (default: tools/data)')
        src.add_argument('--spec', type=Path, metavar='PATH',
                         help='read the spec instead of the committed data (extracted in memory)')
    p.add_argument('--out', type=Path, metavar='DIR',
                   help='write the generated files under DIR (default: the repository root)')
    p.add_argument('--check', action='store_true',
                   help='compare with the committed files instead of writing; exit 1 on drift')
    return p


def load(args, name):
    """The extracted data set `name` ('requests', 'events' or 'constants')."""
    if getattr(args, 'spec', None):
        import extract
        return extract.extract(args.spec)[name]
    path = args.data / f'{name}.json'
    if not path.exists():
        sys.exit(f'{path}: missing; run python3 tools/extract.py (or pass --spec PATH)')
    return json.loads(path.read_text(encoding='utf-8'))


def rustfmt(text):
    """Formats Rust source as `cargo fmt` does (the crate's edition, its rustfmt config)."""
    exe = shutil.which('rustfmt')
    if not exe:
        sys.exit('rustfmt not found: it is part of this generator (install the rustfmt component)')
    edition = re.search(r'^edition\s*=\s*"(\d+)"', (ROOT / 'Cargo.toml').read_text(), re.M).group(1)
    r = subprocess.run([exe, '--edition', edition], input=text, capture_output=True, text=True, cwd=ROOT)
    if r.returncode:
        sys.exit(f'rustfmt failed:\n{r.stderr}')
    return r.stdout


def emit(args, files):
    """Writes (or with --check compares) {path relative to the repository root: text}.
    Returns the process exit status."""
    drift = 0
    for rel, text in files.items():
        if args.check:
            path = ROOT / rel
            old = path.read_text(encoding='utf-8') if path.exists() else None
            if old == text:
                continue
            drift += 1
            if old is None:
                print(f'DRIFT {rel}: committed file missing')
                continue
            diff = list(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                             f'a/{rel} (committed)', f'b/{rel} (generated)'))
            print(f'DRIFT {rel}: {len(diff)} diff lines')
            sys.stdout.writelines(diff[:60])
            if len(diff) > 60:
                print(f'... ({len(diff) - 60} more diff lines)')
        else:
            path = (args.out or ROOT) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding='utf-8')
    if args.check:
        print(f'{Path(sys.argv[0]).name}: ' + (f'{drift} file(s) drifted' if drift else
                                               f'{len(files)} file(s) up to date'))
    return 1 if drift else 0
