#!/usr/bin/env bash
# Builds the exec front-end's sniffing fixtures (test/fixtures/bin/sniff/) from
# test/fixtures/src/sniff/hello.c with Debian's cross toolchains. The outputs are
# committed so tests need no cross compiler. Stripped to keep them small; one
# riscv64 binary stays unstripped for section-header tests.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=test/fixtures/src/sniff/hello.c
OUT=test/fixtures/bin/sniff
mkdir -p "$OUT"

# name:triplet (triplet "native" = the host gcc, expected x86_64)
TARGETS=(
  riscv64:riscv64-linux-gnu
  mipsel:mipsel-linux-gnu
  i686:i686-linux-gnu
  x86_64:native
  powerpc:powerpc-linux-gnu
  aarch64:aarch64-linux-gnu
)

build() { # name cc strip variant flags...
  local name=$1 cc=$2 strip=$3 variant=$4; shift 4
  local out="$OUT/hello-$name-$variant"
  if "$cc" -O2 "$@" -o "$out" "$SRC" 2>/dev/null; then
    "$strip" --strip-all "$out"
    echo "built $out ($(stat -c %s "$out") bytes)"
  else
    rm -f "$out"
    echo "skipped $out ($cc does not support: $*)"
  fi
}

for t in "${TARGETS[@]}"; do
  name=${t%%:*}; triplet=${t#*:}
  if [ "$triplet" = native ]; then cc=gcc; strip=strip; else cc=$triplet-gcc; strip=$triplet-strip; fi
  if ! command -v "$cc" >/dev/null; then echo "no $cc, skipping $name"; continue; fi
  build "$name" "$cc" "$strip" dynamic
  build "$name" "$cc" "$strip" static -static
  build "$name" "$cc" "$strip" static-pie -static-pie -fPIE
done

# riscv64 glibc has no rcrt1.o, so the riscv64 static-pie fixture is a libc-free program.
riscv64-linux-gnu-gcc -O2 -nostdlib -fPIE -static-pie -Wl,--no-dynamic-linker \
  -o "$OUT/hello-riscv64-static-pie" test/fixtures/src/sniff/tiny-riscv64.c
riscv64-linux-gnu-strip --strip-all "$OUT/hello-riscv64-static-pie"
echo "built $OUT/hello-riscv64-static-pie"

# ONE unstripped riscv64 binary for section parsing (.comment, .dynsym lookups).
riscv64-linux-gnu-gcc -O2 -o "$OUT/hello-riscv64-dynamic-unstripped" "$SRC"
echo "built $OUT/hello-riscv64-dynamic-unstripped"

# A Haiku look-alike (x86_64): DT_NEEDED libroot.so, _gSharedObjectHaikuABI/Version, no PT_INTERP.
tmp=$(mktemp -d)
gcc -shared -fPIC -nostdlib -Wl,-soname,libroot.so -o "$tmp/libroot.so" test/fixtures/src/sniff/libroot-stub.c
gcc -O2 -nostdlib -fPIE -pie -Wl,--no-dynamic-linker -Wl,--export-dynamic -Wl,--no-as-needed \
  -o "$OUT/haiku-like-x86_64" test/fixtures/src/sniff/haiku-like.c -L"$tmp" -lroot
strip --strip-all "$OUT/haiku-like-x86_64"
rm -rf "$tmp"
echo "built $OUT/haiku-like-x86_64"
