#!/usr/bin/env bash
# Rebuild the RISC-V F/D vector generator and re-record the test vectors
# (test/fixtures/vectors/rv64-fp-*.txt) by running it under qemu-riscv64.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/test/fixtures/src/riscv64/fpvectors/fpvectors.c"
out="$root/test/fixtures/vectors"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
CC="${CC:-riscv64-linux-gnu-gcc}"
QEMU="${QEMU:-qemu-riscv64}"
"$CC" -O1 -static -march=rv64gc -mabi=lp64d -o "$tmp/fpvectors" "$src"
mkdir -p "$out"
for g in arith fma misc cvt hard; do
  "$QEMU" "$tmp/fpvectors" "$g" > "$out/rv64-fp-$g.txt"
  echo "$g: $(wc -l < "$out/rv64-fp-$g.txt") vectors, $(wc -c < "$out/rv64-fp-$g.txt") bytes"
done
