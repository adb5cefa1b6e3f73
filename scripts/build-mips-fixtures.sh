#!/usr/bin/env bash
# Builds the ordinary C test programs for MIPS32 o32, little-endian (mipsel)
# and big-endian (mips), from the SAME sources as the riscv64 ones:
#   test/fixtures/src/riscv64/{hello,exitcode,args,fileio,memchurn,fpcompute,syscalls}.c
#       -> test/fixtures/bin/<target>/prog/<name>
#   test/fixtures/src/riscv64/proc/*.c  (with -pthread)
#       -> test/fixtures/bin/<target>/prog/proc/<name>
#   test/fixtures/src/bench/compute.c   -> test/fixtures/bin/<target>/prog/bench-compute
# with <target>-linux-gnu-gcc -O2 -Wall -static, stripped. The binaries are
# committed, so tests need no cross compiler. Tests:
# test/integration/mips-programs.ts; expectations (recorded under
# qemu-mipsel / qemu-mips by scripts/record-expected.sh):
# test/fixtures/expected/<target>/prog/.
#
# Notes on the sources (shared with riscv64; the riscv64 binaries are
# unchanged by the MIPS conditionals):
#   - fileio is built with -D_FILE_OFFSET_BITS=64: it seeks/truncates to 5 GiB,
#     which a 32-bit off_t cannot express (glibc's default on o32);
#   - args.c, memchurn.c, fpcompute.c and proc/signals.c have small
#     "#if defined(__mips__)" / "__LP64__" sections (entry symbol __start,
#     Elf32_Phdr, a 3 GiB malloc instead of 1 PiB, MIPS FP conversions instead
#     of the RISC-V inline asm, the MIPS reserved instruction and break).
#
# This script installs nothing. If a compiler is missing it prints the
# apt-get line to install it and exits non-zero.
# Environment: MIPS_TARGETS (default "mipsel mips").
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib/guest-programs.sh
. scripts/lib/guest-programs.sh
CFLAGS=(-O2 -Wall -static)

for target in ${MIPS_TARGETS:-mipsel mips}; do
  CC=${target}-linux-gnu-gcc
  STRIP=${target}-linux-gnu-strip
  if ! command -v "$CC" >/dev/null || ! command -v "$STRIP" >/dev/null; then
    echo "build-mips-fixtures: missing cross toolchain ($CC / $STRIP). Install it with:" >&2
    echo "  sudo apt-get install -y gcc-$target-linux-gnu binutils-$target-linux-gnu qemu-user" >&2
    exit 1
  fi
  FILEIO_FLAGS=-D_FILE_OFFSET_BITS=64 build_guest_programs "test/fixtures/bin/$target/prog" "$CC" "$STRIP" "${CFLAGS[@]}"
done
