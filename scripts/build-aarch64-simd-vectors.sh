#!/usr/bin/env bash
# Rebuild the AArch64 SIMD&FP vector generator (test/fixtures/src/aarch64/simdvectors/)
# and re-record test/fixtures/expected/aarch64/simd-vectors.txt.gz (the table of
# instruction forms) and simd-random.txt.gz (random words of the group and words a few
# bits away from the table's, run or refused) by running it under qemu-aarch64. Installs nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/test/fixtures/src/aarch64/simdvectors"
out="$root/test/fixtures/expected/aarch64"
CC="${CC:-aarch64-linux-gnu-gcc}"
QEMU="${QEMU:-qemu-aarch64}"
missing=()
command -v "$CC" >/dev/null || missing+=(gcc-aarch64-linux-gnu)
command -v "$QEMU" >/dev/null || missing+=(qemu-user)
command -v gzip >/dev/null || missing+=(gzip)
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing tools; install them with: apt-get install ${missing[*]}" >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$CC" -O1 -static -o "$tmp/simdvectors" "$src/simdvectors.c" "$src/rtramp.S" "$src/table.S"
mkdir -p "$out"
"$QEMU" "$tmp/simdvectors" > "$tmp/simd-vectors.txt"
gzip -9 -n -c "$tmp/simd-vectors.txt" > "$out/simd-vectors.txt.gz"
echo "$(wc -l < "$tmp/simd-vectors.txt") records, $(wc -c < "$out/simd-vectors.txt.gz") bytes gzip'd"
"$QEMU" "$tmp/simdvectors" random 80000 > "$tmp/simd-random.txt"
"$QEMU" "$tmp/simdvectors" mutant 10 >> "$tmp/simd-random.txt"
gzip -9 -n -c "$tmp/simd-random.txt" > "$out/simd-random.txt.gz"
echo "$(wc -l < "$tmp/simd-random.txt") random and mutant words ($(grep -c ' ill$' "$tmp/simd-random.txt") refused by qemu, a third of them kept), $(wc -c < "$out/simd-random.txt.gz") bytes gzip'd"
