#!/usr/bin/env bash
# ClusterFuzzLite / OSS-Fuzz build script: builds every cargo-fuzz target of fuzz/ and puts
# into $OUT, for each target T: the fuzzer binary T, its seed corpus T_seed_corpus.zip
# (fuzz/corpus/T), its dictionary T.dict (fuzz/dict/T.dict, generated from the catalogues)
# and T.options (libFuzzer options).
#
# In the builder image `cargo` already carries the sanitizer flags of $SANITIZER. Locally
# (tests/oss_fuzz_build.rs) set SRC and OUT, and CARGO_FUZZ_FLAGS="--sanitizer none" to build
# on the stable toolchain and reuse fuzz/target from `cargo fuzz build --sanitizer none`.
set -euo pipefail
: "${SRC:?SRC must name the source folder}" "${OUT:?OUT must name the output folder}"
cd "$SRC/mstrp"

# shellcheck disable=SC2086 # CARGO_FUZZ_FLAGS is a list of flags
cargo fuzz build -O ${CARGO_FUZZ_FLAGS:-}

triple="${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}"
bin_dir="${CARGO_FUZZ_TARGET_DIR:-fuzz/target}/$triple/release"

zip_flat() { # zip_flat ARCHIVE FILE...: the files at the archive's top level
  local archive="$1"
  shift
  if command -v zip >/dev/null 2>&1; then
    zip -q -j "$archive" "$@"
  else
    python3 -m zipfile -c "$archive" "$@"
  fi
}

for target in $(cargo fuzz list); do
  cp "$bin_dir/$target" "$OUT/$target"
  rm -f "$OUT/${target}_seed_corpus.zip"
  zip_flat "$OUT/${target}_seed_corpus.zip" fuzz/corpus/"$target"/*
  cp "fuzz/dict/$target.dict" "$OUT/$target.dict"
  cat > "$OUT/$target.options" <<OPTIONS
[libfuzzer]
dict = $target.dict
max_len = 4096
OPTIONS
done
