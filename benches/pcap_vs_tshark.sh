#!/usr/bin/env bash
# Whole-process comparison of `trp pcap` (JSON and text) with tshark's DCE/RPC dissector on
# one large capture: TCP associations to port 4444, each a bind and ClientRequest
# request/response pairs cycling through the 4.1 sample requests
# (examples/write_bench_capture.rs).
#
# What each side outputs (and so what the ratios compare):
#   trp pcap --json   one JSON line per call: both stubs' parameters, pBuffer in hex, every
#                     TAPI32_MSG request and its reply decoded (fields, VarData, references,
#                     returned structures); about 4.9 KB per call.
#   trp pcap          the same calls as text for people (about 2.1 KB per call).
#   tshark -T fields  two fields per frame (call_id, opnum) from its DCE/RPC dissector, which
#                     does not decode pBuffer; a few bytes per frame.
#
#   benches/pcap_vs_tshark.sh [CALLS] [RUNS]      (defaults: 200000 calls, 3 rounds)
#
# Builds trp and the capture writer in release mode, writes the capture to a temporary
# directory (removed at exit), checks that trp and tshark see the same calls and PDUs, then
# times each whole process with its output sent to /dev/null, RUNS rounds of the three
# commands, and prints the wall seconds (the best of RUNS), the user CPU seconds (the best of
# RUNS; on a loaded machine the fairer comparison), both ratios, and each round's user-CPU
# ratios with their median. Nothing is asserted about the timings.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS="${1:-200000}"
RUNS="${2:-3}"
ASSOCIATIONS=4
TARGET="${CARGO_TARGET_DIR:-target}"
TSHARK="${TSHARK:-tshark}"
command -v "$TSHARK" >/dev/null || { echo "tshark not found" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time not found" >&2; exit 2; }

cargo build --quiet --release --features cli --bin trp
cargo build --quiet --release --features pcap --example write_bench_capture
TRP="$TARGET/release/trp"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
F="$WORK/bench.pcap"
"$TARGET/release/examples/write_bench_capture" "$F" "$CALLS" "$ASSOCIATIONS"

# The exact commands timed.
trp_cmd=("$TRP" pcap --json "$F")
trp_text_cmd=("$TRP" pcap "$F")
tshark_cmd=("$TSHARK" -r "$F" -d tcp.port==4444,dcerpc -T fields -e dcerpc.cn_call_id -e dcerpc.opnum)

# What each saw (these runs also warm the page cache).
"${trp_cmd[@]}" > "$WORK/trp.jsonl"
trp_calls=$(grep -c '"kind":"call"' "$WORK/trp.jsonl" || true)
trp_summary_calls=$(tail -n 1 "$WORK/trp.jsonl" | sed -n 's/.*"calls":\([0-9]*\).*/\1/p')
trp_errors=$(tail -n 1 "$WORK/trp.jsonl" | grep -c '"errors":\[\]' || true)
"${tshark_cmd[@]}" 2>/dev/null > "$WORK/tshark.tsv"
# One line per frame with DCE/RPC; a frame holding several PDUs lists their values with commas.
tshark_pdus=$(awk -F'\t' '$1 != "" { n += split($1, a, ",") } END { print n + 0 }' "$WORK/tshark.tsv")
tshark_opnums=$(awk -F'\t' '$2 != "" { n += split($2, a, ",") } END { print n + 0 }' "$WORK/tshark.tsv")
binds=$((2 * ASSOCIATIONS))
echo "calls written: $CALLS"
echo "trp:    $trp_calls call lines, summary calls $trp_summary_calls, errors none: $([ "$trp_errors" = 1 ] && echo yes || echo no)"
echo "tshark: $tshark_pdus PDUs ($binds bind/bind_ack), $tshark_opnums with an opnum"
ok=yes
[ "$trp_calls" = "$CALLS" ] && [ "$trp_summary_calls" = "$CALLS" ] || ok=no
# Every call is a request and a response PDU.
[ "$tshark_pdus" = "$((2 * CALLS + binds))" ] || ok=no
echo "same calls and PDUs: $ok"
[ "$ok" = yes ] || exit 1

best() { sort -n | head -n 1; }
wall() { cut -d' ' -f1 < "$1"; }
user() { cut -d' ' -f2 < "$1"; }
# The three commands run in rounds, one after another within a round, so that a slow spell of
# the machine (this VM's speed moves by up to 2x for seconds at a time) weighs on all three
# alike; each round gives its own ratios, and the median over the rounds is printed with the
# best-of-RUNS figures.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$WORK/trp.times"; : > "$WORK/trp_text.times"; : > "$WORK/tshark.times"
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %U" -a -o "$WORK/trp.times" "${trp_cmd[@]}" > /dev/null 2>/dev/null
  /usr/bin/time -f "%e %U" -a -o "$WORK/trp_text.times" "${trp_text_cmd[@]}" > /dev/null 2>/dev/null
  /usr/bin/time -f "%e %U" -a -o "$WORK/tshark.times" "${tshark_cmd[@]}" > /dev/null 2>/dev/null
done
trp_s=$(wall "$WORK/trp.times" | best)
trp_text_s=$(wall "$WORK/trp_text.times" | best)
tshark_s=$(wall "$WORK/tshark.times" | best)
trp_u=$(user "$WORK/trp.times" | best)
trp_text_u=$(user "$WORK/trp_text.times" | best)
tshark_u=$(user "$WORK/tshark.times" | best)
echo "file: $(stat -c %s "$F") bytes, $CALLS calls; load average before timing: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "output: trp --json $(stat -c %s "$WORK/trp.jsonl") bytes, trp text $("${trp_text_cmd[@]}" | wc -c) bytes, tshark $(stat -c %s "$WORK/tshark.tsv") bytes"
echo "trp pcap --json F > /dev/null: ${trp_s} s wall, ${trp_u} s user (runs, wall and user: $(paste -sd' ' "$WORK/trp.times"))"
echo "trp pcap F > /dev/null:        ${trp_text_s} s wall, ${trp_text_u} s user (runs: $(paste -sd' ' "$WORK/trp_text.times"))"
echo "tshark -r F -d tcp.port==4444,dcerpc -T fields -e dcerpc.cn_call_id -e dcerpc.opnum > /dev/null: ${tshark_s} s wall, ${tshark_u} s user (runs: $(paste -sd' ' "$WORK/tshark.times"))"
ratio() { awk -v t="$1" -v s="$2" 'BEGIN { if (t > 0) printf "%.2fx", s / t; else printf "n/a" }'; }
echo "tshark / trp pcap --json: $(ratio "$trp_s" "$tshark_s") wall, $(ratio "$trp_u" "$tshark_u") user CPU (goal 20x)"
echo "tshark / trp pcap (text): $(ratio "$trp_text_s" "$tshark_s") wall, $(ratio "$trp_text_u" "$tshark_u") user CPU (goal 20x)"
# Each round's user-CPU ratios (tshark's time in that round over trp's), and their median.
rounds() {
  paste -d' ' <(user "$1") <(user "$WORK/tshark.times") |
    awk '$1 > 0 { printf "%.2f\n", $2 / $1 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "per round, user CPU, tshark / trp pcap --json: $(rounds "$WORK/trp.times" | paste -sd' '); median $(rounds "$WORK/trp.times" | median)x"
echo "per round, user CPU, tshark / trp pcap (text): $(rounds "$WORK/trp_text.times" | paste -sd' '); median $(rounds "$WORK/trp_text.times" | median)x"
