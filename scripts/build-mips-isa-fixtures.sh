#!/usr/bin/env bash
# Builds the MIPS32r2 ISA self-checking test programs (test/fixtures/src/mips/isa/*.S)
# for mipsel (test/fixtures/bin/mipsel/isa/) and big-endian mips
# (test/fixtures/bin/mips/isa/) with Debian's cross toolchains
# (apt-get install -y gcc-mipsel-linux-gnu gcc-mips-linux-gnu).
# Each program exits 0 when every check passes, else the number of the failing
# check. With qemu-mipsel / qemu-mips installed, every binary also runs under
# them, except programs whose name ends in -noqemu (they exercise what the
# Linux kernel emulates but qemu-user does not, e.g. unaligned lw/sw).
# The FP ABI comes from the file name: *-fp32 -> -mfp32 (FR=0), *-fp64 ->
# -mfp64 (FR=1), others the toolchain default (-mfpxx on Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=test/fixtures/src/mips/isa
for target in mipsel mips; do
  CC=${target}-linux-gnu-gcc
  OUT=test/fixtures/bin/$target/isa
  QEMU=qemu-$target
  if ! command -v "$CC" >/dev/null; then
    echo "missing $CC: apt-get install -y gcc-$target-linux-gnu" >&2; exit 1
  fi
  mkdir -p "$OUT"
  for s in "$SRC"/*.S; do
    name=$(basename "$s" .S)
    fp=()
    case $name in
      *-fp32*) fp=(-mfp32) ;;
      *-fp64*) fp=(-mfp64 -modd-spreg) ;;
    esac
    "$CC" -nostdlib -static -march=mips32r2 -mno-abicalls -fno-pic "${fp[@]}" \
      -s -Wl,--build-id=none -Wl,--no-warn-rwx-segments -I "$SRC" -o "$OUT/$name" "$s"
    echo "built $OUT/$name"
    case $name in *-noqemu*) continue ;; esac
    if command -v "$QEMU" >/dev/null; then
      if "$QEMU" "$OUT/$name"; then echo "  $QEMU: pass"; else echo "  $QEMU: FAIL (exit $?)"; exit 1; fi
    fi
  done
done
