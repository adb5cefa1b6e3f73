#!/usr/bin/env bash
# Records the reference behaviour of the riscv64 fixture programs under
# qemu-riscv64: for each case in test/fixtures/expected/riscv64/cases.json it
# runs test/fixtures/bin/riscv64/<bin> with exactly the listed arguments and
# environment (nothing inherited), cwd = repo root, stdin = empty pipe, and
# writes test/fixtures/expected/riscv64/<case>.stdout (raw bytes) and
# <case>.status ("<exit code>" or "signal <NAME>").
# Arguments containing {tmpdir} get a fresh empty scratch directory (removed
# afterwards). Each case is run twice and must produce identical results,
# otherwise the script fails (the output would not be deterministic).
#
# usage: scripts/record-expected.sh [case-name ...]   (default: all cases)
# env:   COMPAT_QEMU=/path/to/qemu-riscv64 to use a specific qemu.
set -euo pipefail
cd "$(dirname "$0")/.."

QEMU=${COMPAT_QEMU:-qemu-riscv64}
if ! command -v "$QEMU" >/dev/null; then
  echo "record-expected: $QEMU not found. Install it with:" >&2
  echo "  sudo apt-get install -y qemu-user" >&2
  exit 1
fi
QEMU=$(command -v "$QEMU")

exec node --input-type=module - "$QEMU" "$@" <<'EOF'
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const [qemu, ...only] = process.argv.slice(2);
const root = process.cwd();
const expectedDir = path.join(root, 'test/fixtures/expected/riscv64');
const spec = JSON.parse(readFileSync(path.join(expectedDir, 'cases.json'), 'utf8'));
const cases = only.length ? spec.cases.filter((c) => only.includes(c.name)) : spec.cases;
const unknown = only.filter((n) => !spec.cases.some((c) => c.name === n));
if (unknown.length) {
  console.error(`record-expected: unknown case(s): ${unknown.join(', ')}`);
  process.exit(1);
}

function runOnce(c) {
  const scratch = c.args.some((a) => a.includes('{tmpdir}')) ? mkdtempSync(path.join(tmpdir(), 'compat-rv64-')) : null;
  try {
    const args = c.args.map((a) => (scratch ? a.split('{tmpdir}').join(scratch) : a));
    const prog = path.join('test/fixtures/bin/riscv64', c.bin);
    const r = spawnSync(qemu, [prog, ...args], {
      cwd: root,
      env: c.env ?? spec.defaultEnv,
      input: c.input ?? '',
      maxBuffer: 256 * 1024 * 1024,
      timeout: 120_000,
    });
    if (r.error) throw r.error;
    const status = r.signal ? `signal ${r.signal}` : String(r.status);
    if (scratch) {
      if (r.stdout.includes(scratch)) throw new Error(`${c.name}: stdout contains the scratch path`);
      const left = readdirSync(scratch);
      if (left.length) throw new Error(`${c.name}: left files in scratch dir: ${left.join(' ')}`);
    }
    return { stdout: r.stdout, status, stderr: r.stderr.toString() };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

let bad = 0;
for (const c of cases) {
  const a = runOnce(c);
  const b = runOnce(c);
  if (!a.stdout.equals(b.stdout) || a.status !== b.status) {
    console.error(`record-expected: ${c.name} is not deterministic under qemu (two runs differ); not recorded`);
    bad++;
    continue;
  }
  writeFileSync(path.join(expectedDir, `${c.name}.stdout`), a.stdout);
  writeFileSync(path.join(expectedDir, `${c.name}.status`), `${a.status}\n`);
  console.log(`recorded ${c.name}: ${a.stdout.length} bytes, status ${a.status}${a.stderr ? ` (stderr: ${a.stderr.trim().slice(0, 80)})` : ''}`);
}
process.exit(bad ? 1 : 0);
EOF
