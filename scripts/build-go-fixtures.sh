#!/usr/bin/env bash
# Builds the Go test programs (test/fixtures/src/go/<name>/) with Debian's
# golang-go for the guest arches compat runs: static (CGO_ENABLED=0),
# stripped, into test/fixtures/bin/go/<name>-<target>. The binaries are
# committed, so tests need no Go toolchain. The Go runtime in them is the
# Go project's, not ours: threads, futexes, the epoll netpoller, signals.
# A native build of the same source, run on the host kernel, gives the
# reference output: test/fixtures/expected/go/<name>.stdout (recorded here).
# Tests: test/integration/go-programs.test.ts.
#
# This script installs nothing. Without `go` it prints the apt-get line.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v go >/dev/null; then
  echo "build-go-fixtures: no Go toolchain. Install it with:" >&2
  echo "  sudo apt-get install -y golang-go" >&2
  exit 1
fi
export CGO_ENABLED=0 GOFLAGS=-trimpath GOCACHE=${GOCACHE:-$(mktemp -d)} GOPATH=${GOPATH:-$(mktemp -d)}
ROOT=$PWD
OUT=test/fixtures/bin/go
EXPECTED=test/fixtures/expected/go
mkdir -p "$OUT" "$EXPECTED"
# target name, GOARCH, GOMIPS
TARGETS=(
  "riscv64 riscv64 -"
  "mipsle-softfloat mipsle softfloat"
  "mipsle-hardfloat mipsle hardfloat"
  "mips-softfloat mips softfloat"
  "arm64 arm64 -"
)
for src in test/fixtures/src/go/*/; do
  name=$(basename "$src")
  for t in "${TARGETS[@]}"; do
    read -r target arch gomips <<<"$t"
    out="$OUT/$name-$target"
    if [ "$gomips" = - ]; then (cd "$src" && GOARCH=$arch go build -ldflags=-s -o "$ROOT/$out" .)
    else (cd "$src" && GOARCH=$arch GOMIPS=$gomips go build -ldflags=-s -o "$ROOT/$out" .); fi
    echo "built $out ($(stat -c %s "$out") bytes)"
  done
  native=$(mktemp)
  (cd "$src" && go build -o "$native" .)
  set +e; "$native" > "$EXPECTED/$name.stdout"; status=$?; set -e
  echo "$status" > "$EXPECTED/$name.status"
  rm -f "$native"
  echo "recorded $EXPECTED/$name.stdout from the native build (status $status)"
done
