#!/usr/bin/env bash
# Builds the ordinary C test programs for AArch64 (Linux arm64) from the SAME
# sources as the riscv64 and MIPS ones:
#   test/fixtures/src/riscv64/{hello,exitcode,args,fileio,memchurn,fpcompute,syscalls}.c
#       -> test/fixtures/bin/aarch64/prog/<name>
#   test/fixtures/src/riscv64/proc/*.c  (with -pthread)
#       -> test/fixtures/bin/aarch64/prog/proc/<name>
#   test/fixtures/src/aarch64/linux/sigframe.c (freestanding) -> test/fixtures/bin/aarch64/prog/sigframe
#   test/fixtures/src/bench/compute.c   -> test/fixtures/bin/aarch64/prog/bench-compute
# with aarch64-linux-gnu-gcc -O2 -Wall -static, stripped (proc/signals.c has
# an "#elif defined(__aarch64__)" section: UDF #0 and BRK #0). The binaries are
# committed, so tests need no cross compiler. Tests:
# test/integration/aarch64-programs.test.ts; expectations (recorded under
# qemu-aarch64 by scripts/record-expected.sh --aarch64):
# test/fixtures/expected/aarch64/prog/.
#
# This script installs nothing. If the compiler is missing it prints the
# apt-get line to install it and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

SRC=test/fixtures/src/riscv64
BENCH_SRC=test/fixtures/src/bench
CFLAGS=(-O2 -Wall -static)
CC=aarch64-linux-gnu-gcc
STRIP=aarch64-linux-gnu-strip
if ! command -v "$CC" >/dev/null || ! command -v "$STRIP" >/dev/null; then
  echo "build-aarch64-fixtures: missing cross toolchain ($CC / $STRIP). Install it with:" >&2
  echo "  sudo apt-get install -y gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user" >&2
  exit 1
fi
OUT=test/fixtures/bin/aarch64/prog
mkdir -p "$OUT/proc"

build() { # output-name source extra-flags...   (libraries: LIBS="-lm" build ...)
  local name=$1 src=$2; shift 2
  # shellcheck disable=SC2086
  "$CC" "$@" -o "$OUT/$name" "$src" ${LIBS:-}
  "$STRIP" --strip-all "$OUT/$name"
  echo "built $OUT/$name ($(stat -c %s "$OUT/$name") bytes)"
}

for prog in hello exitcode args fileio memchurn syscalls; do build "$prog" "$SRC/$prog.c" "${CFLAGS[@]}"; done
LIBS=-lm build fpcompute "$SRC/fpcompute.c" "${CFLAGS[@]}"
for src in "$SRC"/proc/*.c; do build "proc/$(basename "$src" .c)" "$src" "${CFLAGS[@]}" -pthread; done
# no fused multiply-add, so the result equals the native build's
build bench-compute "$BENCH_SRC/compute.c" "${CFLAGS[@]}" -ffp-contract=off

# the freestanding Linux-ABI probe of the signal frame (test/fixtures/src/aarch64/linux/sigframe.c)
"$CC" -O1 -mgeneral-regs-only -ffreestanding -fno-builtin -nostdlib -static -fno-pic -no-pie -fno-stack-protector \
  -s -Wl,--build-id=none -o "$OUT/sigframe" test/fixtures/src/aarch64/linux/sigframe.c
echo "built $OUT/sigframe"

# the freestanding ISA probes (test/isa/aarch64/)
bash scripts/build-aarch64-isa-fixtures.sh
