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

# shellcheck source=scripts/lib/guest-programs.sh
. scripts/lib/guest-programs.sh
CFLAGS=(-O2 -Wall -static)
CC=aarch64-linux-gnu-gcc
STRIP=aarch64-linux-gnu-strip
if ! command -v "$CC" >/dev/null || ! command -v "$STRIP" >/dev/null; then
  echo "build-aarch64-fixtures: missing cross toolchain ($CC / $STRIP). Install it with:" >&2
  echo "  sudo apt-get install -y gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user" >&2
  exit 1
fi
OUT=test/fixtures/bin/aarch64/prog

build_guest_programs "$OUT" "$CC" "$STRIP" "${CFLAGS[@]}"

# the freestanding Linux-ABI probe of the signal frame (test/fixtures/src/aarch64/linux/sigframe.c)
"$CC" -O1 -mgeneral-regs-only -ffreestanding -fno-builtin -nostdlib -static -fno-pic -no-pie -fno-stack-protector \
  -s -Wl,--build-id=none -o "$OUT/sigframe" test/fixtures/src/aarch64/linux/sigframe.c
echo "built $OUT/sigframe"

# the freestanding ISA probes (test/isa/aarch64/)
bash scripts/build-aarch64-isa-fixtures.sh
