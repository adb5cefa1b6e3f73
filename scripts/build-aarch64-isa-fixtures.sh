#!/usr/bin/env bash
# Builds the AArch64 ISA probes (test/fixtures/src/aarch64/isa/*.c:
# freestanding, raw syscalls, no SIMD&FP data processing) into
# test/fixtures/bin/aarch64/isa/ with aarch64-linux-gnu-gcc, and, when
# qemu-aarch64 is installed, records what each prints under it into
# test/fixtures/expected/aarch64/isa/<name>.stdout (the reference of
# test/isa/aarch64/isa-programs.test.ts, which also compares live with qemu).
# Installs nothing: apt-get install -y gcc-aarch64-linux-gnu qemu-user
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=test/fixtures/src/aarch64/isa
OUT=test/fixtures/bin/aarch64/isa
EXP=test/fixtures/expected/aarch64/isa
CC=aarch64-linux-gnu-gcc
command -v "$CC" >/dev/null || { echo "missing $CC: apt-get install -y gcc-aarch64-linux-gnu" >&2; exit 1; }
mkdir -p "$OUT" "$EXP"
for s in "$SRC"/*.c; do
  name=$(basename "$s" .c)
  regs=(-mgeneral-regs-only)
  case $name in *-simd) regs=() ;; esac # the SIMD&FP memory probes name V registers
  "$CC" -O1 -march=armv8.1-a+crc "${regs[@]}" -ffreestanding -fno-builtin -nostdlib -static -fno-pic -no-pie \
    -fno-stack-protector -s -Wl,--build-id=none -o "$OUT/$name" "$s"
  echo "built $OUT/$name"
  if command -v qemu-aarch64 >/dev/null; then
    qemu-aarch64 "$OUT/$name" > "$EXP/$name.stdout"
    echo "  recorded $EXP/$name.stdout (qemu-aarch64)"
  fi
done
