#!/usr/bin/env python3
"""Draws benches/scaling.png from the last `cargo bench --bench scaling` run.

Reads target/criterion/scaling_*/<function>/<param>/new/estimates.json (the mean time) and the
benchmark.json beside it (the bytes of the input, criterion's throughput), and plots time
against bytes on log-log axes: one panel per series (request string, request block,
LINEFORWARDLIST, LINEAGENTGROUPLIST), `mstrp` and `memcpy` of the same bytes side by side
(LINEFORWARDLIST also decoded in the negotiated TAPI 3.1, `mstrp_tapi31`), with a dotted line
through the largest mstrp point of slope 1 (what "linear in the bytes" looks like) or, for the
block series, of slope 0 (a block is bounds-checked, not read). Also prints the table of the
README (ns, ns per byte, memcpy / mstrp).

Not run by CI. Needs matplotlib, e.g.:

    python3 -m venv /tmp/plot && /tmp/plot/bin/pip install matplotlib
    /tmp/plot/bin/python benches/plot_scaling.py [--target target] [--out benches/scaling.png]
"""

import argparse
import json
from pathlib import Path

# (criterion group, panel title, x label, the reference line: "linear" when every byte is
# touched, "flat" when only the header is: a block's bytes are bounds-checked, never read).
SERIES = [
    ("scaling_request_string", "request, VarData one string", "packet bytes", "linear"),
    ("scaling_request_block", "request, VarData one block", "packet bytes", "flat"),
    ("scaling_LINEFORWARDLIST", "LINEFORWARDLIST, 1 / 100 / 10,000 entries", "structure bytes",
     "linear"),
    ("scaling_LINEAGENTGROUPLIST", "LINEAGENTGROUPLIST, 1 / 100 / 10,000 entries",
     "structure bytes", "linear"),
]


def load(root: Path, group: str, function: str):
    """[(param, bytes, mean ns)] of one function of one group, by increasing bytes."""
    points = []
    for est in sorted((root / group / function).glob("*/new/estimates.json")):
        bench = json.loads((est.parent / "benchmark.json").read_text())
        throughput = bench.get("throughput") or {}
        size = throughput.get("Bytes") or throughput.get("BytesDecimal")
        mean = json.loads(est.read_text())["mean"]["point_estimate"]
        points.append((est.parent.parent.name, int(size), float(mean)))
    return sorted(points, key=lambda p: p[1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", default="target", help="cargo's target directory")
    ap.add_argument("--out", default="benches/scaling.png")
    args = ap.parse_args()
    root = Path(args.target) / "criterion"

    data = {}
    print("| series | input | bytes | mstrp | ns/byte | memcpy | memcpy / mstrp |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for group, _, _, _ in SERIES:
        mstrp, memcpy = load(root, group, "mstrp"), load(root, group, "memcpy")
        if not mstrp:
            raise SystemExit(f"no results under {root / group}: run cargo bench --bench scaling")
        # LINEFORWARDLIST is also decoded in the negotiated TAPI 3.1 (nothing guessed).
        negotiated = load(root, group, "mstrp_tapi31")
        data[group] = (mstrp, memcpy, negotiated)
        copy = {p: ns for p, _, ns in memcpy}
        for name, points in (("mstrp", mstrp), ("mstrp_tapi31", negotiated)):
            for param, size, ns in points:
                c = copy.get(param)
                tail = f"{c:,.0f} ns | {c / ns:.3f}" if c else "|"
                print(f"| {group} {name} | {param} | {size:,} | {ns:,.0f} ns | {ns / size:.3f} | {tail} |")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(11, 8.5))
    for ax, (group, title, xlabel, shape) in zip(axes.flat, SERIES):
        mstrp, memcpy, negotiated = data[group]
        lines = [(mstrp, "mstrp: decode + read", "o-"), (memcpy, "memcpy", "s--")]
        if negotiated:
            lines.append((negotiated, "mstrp, negotiated TAPI 3.1 (no guess)", "^-."))
        for points, label, style in lines:
            ax.plot([p[1] for p in points], [p[2] for p in points], style, label=label)
            for param, size, ns in points:
                if label.startswith("mstrp:"):
                    ax.annotate(f"{ns / size:.2f} ns/B", (size, ns), textcoords="offset points",
                                xytext=(4, -12), fontsize=7)
        # Through the largest mstrp point: where a linear (slope 1) or constant cost lies.
        _, size, ns = mstrp[-1]
        xs = [p[1] for p in mstrp]
        if shape == "linear":
            ax.plot(xs, [ns * x / size for x in xs], ":", color="grey", label="linear (slope 1)")
        else:
            ax.plot(xs, [ns for _ in xs], ":", color="grey", label="constant (header only)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("time (ns)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("mstrp decode time vs bytes (benches/scaling.rs), memcpy of the same bytes beside")
    fig.tight_layout()
    fig.savefig(args.out, dpi=90)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
