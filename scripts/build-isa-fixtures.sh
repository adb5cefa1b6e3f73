#!/usr/bin/env bash
# Builds the riscv64 ISA self-checking test programs (test/fixtures/src/riscv64/isa/*.S)
# into test/fixtures/bin/riscv64/isa/ with Debian's riscv64 cross toolchain.
# Each program exits 0 when every check passes, else the number of the failing
# check. With qemu-riscv64 installed, every binary is also run under it.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=test/fixtures/src/riscv64/isa
OUT=test/fixtures/bin/riscv64/isa
CC=${CC:-riscv64-linux-gnu-gcc}
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for s in "$SRC"/*.S; do
  name=$(basename "$s" .S)
  # assemble to a stably named object first so the binaries are reproducible
  "$CC" -c -march=rv64gc -mabi=lp64d -I "$SRC" -o "$TMP/$name.o" "$s"
  (cd "$TMP" && "$CC" -nostdlib -static -march=rv64gc -mabi=lp64d -Wl,--no-warn-rwx-segments -Wl,--build-id=none \
    -o "$name" "$name.o")
  cp "$TMP/$name" "$OUT/$name"
  echo "built $OUT/$name"
  if command -v qemu-riscv64 >/dev/null; then
    if qemu-riscv64 "$OUT/$name"; then echo "  qemu-riscv64: pass"; else echo "  qemu-riscv64: FAIL (exit $?)"; exit 1; fi
  fi
done
