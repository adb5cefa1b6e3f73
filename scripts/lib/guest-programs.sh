# Sourced by the fixture scripts (build-fixtures.sh, build-mips-fixtures.sh,
# build-aarch64-fixtures.sh, build-x86-fixtures.sh): the project's ordinary C
# test programs, built the same way for every guest arch from the same sources.
#
#   build_program OUT CC STRIP NAME SOURCE FLAGS...
#       one static program into OUT/NAME, stripped (libraries: LIBS="-lm" build_program ...)
#   build_guest_programs OUT CC STRIP FLAGS...
#       test/fixtures/src/riscv64/{hello,exitcode,args,fileio,memchurn,syscalls,fpcompute}.c -> OUT/<name>
#       test/fixtures/src/riscv64/proc/*.c (with -pthread)                                 -> OUT/proc/<name>
#       test/fixtures/src/bench/compute.c (no fused multiply-add, so the result equals
#       the native build's)                                                                 -> OUT/bench-compute
#     FLAGS go to every program (-O2 -Wall -static and the arch's own); FILEIO_FLAGS
#     to fileio.c alone (o32 needs -D_FILE_OFFSET_BITS=64 to seek to 5 GiB).

build_program() {
  local out=$1/$4 cc=$2 strip=$3 src=$5
  shift 5
  # shellcheck disable=SC2086
  "$cc" "$@" -o "$out" "$src" ${LIBS:-}
  "$strip" --strip-all "$out"
  echo "built $out ($(stat -c %s "$out") bytes)"
}

build_guest_programs() {
  local out=$1 cc=$2 strip=$3
  shift 3
  local src=test/fixtures/src/riscv64 prog f
  mkdir -p "$out/proc"
  for prog in hello exitcode args fileio memchurn syscalls; do
    # shellcheck disable=SC2086
    if [ "$prog" = fileio ]; then build_program "$out" "$cc" "$strip" "$prog" "$src/$prog.c" "$@" ${FILEIO_FLAGS:-}
    else build_program "$out" "$cc" "$strip" "$prog" "$src/$prog.c" "$@"; fi
  done
  LIBS=-lm build_program "$out" "$cc" "$strip" fpcompute "$src/fpcompute.c" "$@"
  for f in "$src"/proc/*.c; do build_program "$out" "$cc" "$strip" "proc/$(basename "$f" .c)" "$f" "$@" -pthread; done
  build_program "$out" "$cc" "$strip" bench-compute test/fixtures/src/bench/compute.c "$@" -ffp-contract=off
}
