#!/usr/bin/env bash
# Builds the ordinary C test programs for x86-64 (and i386 when the i686
# cross compiler is there) from the SAME sources as the riscv64, MIPS and
# AArch64 ones:
#   test/fixtures/src/riscv64/{hello,exitcode,args,fileio,memchurn,fpcompute,syscalls}.c
#       -> test/fixtures/bin/{x86_64,i386}/prog/<name>
#   test/fixtures/src/riscv64/proc/*.c  (with -pthread)
#       -> test/fixtures/bin/{x86_64,i386}/prog/proc/<name>
#   test/fixtures/src/bench/compute.c   -> test/fixtures/bin/{x86_64,i386}/prog/bench-compute
#   test/fixtures/src/x86/*.c            -> test/fixtures/bin/{x86_64,i386}/prog/<name> (ISA probes)
# with <triple>-gcc -O2 -Wall -static, stripped (proc/signals.c has an
# "#elif defined(__x86_64__)" section: UD2 and INT3). The binaries are
# committed, so tests need no cross compiler. Tests:
# test/integration/x86_64-programs.test.ts (reference: the same static binary
# run on this x86-64 host, the kernel's own answer; recordings in
# test/fixtures/expected/x86_64/prog/ by scripts/record-expected.sh --x86_64).
#
# This script installs nothing. A missing compiler is reported with the
# apt-get line to install it.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib/guest-programs.sh
. scripts/lib/guest-programs.sh
CFLAGS=(-O2 -Wall -static)

build_target() { # target triple extra-cflags...
  local target=$1 triple=$2; shift 2
  local CC=$triple-gcc STRIP=$triple-strip
  if ! command -v "$CC" >/dev/null || ! command -v "$STRIP" >/dev/null; then
    echo "build-x86-fixtures: missing cross toolchain ($CC / $STRIP). Install it with:" >&2
    echo "  sudo apt-get install -y gcc-${triple%%-*}-linux-gnu" >&2
    return 1
  fi
  local OUT=test/fixtures/bin/$target/prog
  build_guest_programs "$OUT" "$CC" "$STRIP" "${CFLAGS[@]}" "$@"
  for src in test/fixtures/src/x86/*.c; do build_program "$OUT" "$CC" "$STRIP" "$(basename "$src" .c)" "$src" "${CFLAGS[@]}" "$@"; done
}

build_target x86_64 x86_64-linux-gnu
# i386: SSE2 math like the x86-64 build would be a different program; the i686 default (x87) is what i386 distributions ship.
# Off until the i386 Linux ABI exists (X86_FIXTURES_I386=1 builds them): compat cannot run them yet.
if [ "${X86_FIXTURES_I386:-0}" = 1 ]; then build_target i386 i686-linux-gnu || echo "build-x86-fixtures: i386 skipped" >&2; fi
