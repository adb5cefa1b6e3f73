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
# The process/thread/signal suite, test/fixtures/expected/riscv64/proc/
# cases.json (binaries in test/fixtures/bin/riscv64/proc/), is recorded the
# same way, plus:
#   - when the host runs Linux and has a native gcc, every proc program is
#     also built natively (into a temporary dir) and run on the host kernel;
#     its output must equal qemu's, else the case needs "qemuDiffers" (an
#     undocumented qemu/kernel difference fails the recording);
#   - "qemuDiffers" cases: <case>.stdout/.status are recorded from the native
#     run on the kernel (the reference the tests use) and qemu's output goes
#     to <case>.qemu.stdout/.qemu.status; such a case is not recorded at all
#     without a native gcc on a Linux host;
#   - "needsBinfmt" cases (the guest execve()s riscv64 programs) need
#     qemu-riscv64 registered in binfmt_misc with flag P, e.g.
#       mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc   (if needed)
#       apt-get install qemu-user-binfmt   (or register qemu-riscv64 by hand, flags P)
#     otherwise they are skipped with an error.
#
# usage: scripts/record-expected.sh [case-name ...]   (default: all cases, both suites)
# env:   COMPAT_QEMU=/path/to/qemu-riscv64 to use a specific qemu.
#
# MIPS o32 programs (the same C sources built by scripts/build-mips-fixtures.sh
# for mipsel and big-endian mips), recorded only when asked for:
#   scripts/record-expected.sh --mips [mipsel|mips] [case-name ...]
# Cases: test/fixtures/expected/<target>/prog/cases.json, binaries
# test/fixtures/bin/<target>/prog/, qemu: qemu-mipsel / qemu-mips (override with
# COMPAT_QEMU_MIPSEL / COMPAT_QEMU_MIPS). Same rules as above (every case run
# twice, {tmpdir}), except that there is no MIPS kernel to compare with here:
#   - "qemuDiffers" cases: qemu's output goes to <case>.qemu.stdout/.status;
#     the kernel expectation <case>.stdout/.status is copied from the riscv64
#     recording named by "kernelFrom", or is hand-written ("kernelByHand",
#     never overwritten; the script only checks it exists and differs);
#   - "needsBinfmt" cases need qemu-<target> registered in binfmt_misc; without
#     it the riscv64 recording named by "fallbackFrom" is copied instead.
#
# AArch64 programs (the same sources built by scripts/build-aarch64-fixtures.sh),
# the same way: scripts/record-expected.sh --aarch64 [case-name ...]
# (test/fixtures/expected/aarch64/prog/cases.json; qemu-aarch64, or
# COMPAT_QEMU_AARCH64).
#
# x86-64 programs (scripts/build-x86-fixtures.sh): scripts/record-expected.sh
# --x86_64 [case-name ...] records what the binaries print when run directly
# on this x86-64 Linux host (the kernel's and the CPU's own answer; the
# program is started through env(1)); COMPAT_QEMU_X86_64=qemu-x86_64 records
# qemu's instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --mips ] || [ "${1:-}" = --aarch64 ] || [ "${1:-}" = --x86_64 ]; then
  if [ "$1" = --x86_64 ]; then
    [ "$(uname -m)" = x86_64 ] || [ -n "${COMPAT_QEMU_X86_64:-}" ] || { echo "record-expected: --x86_64 records on an x86-64 host (or set COMPAT_QEMU_X86_64)" >&2; exit 1; }
    export COMPAT_QEMU_X86_64=${COMPAT_QEMU_X86_64:-env}
    targets=(x86_64); shift
  elif [ "$1" = --aarch64 ]; then targets=(aarch64); shift; else
    shift
    targets=(mipsel mips)
    if [ "${1:-}" = mipsel ] || [ "${1:-}" = mips ]; then targets=("$1"); shift; fi
  fi
  qemus=()
  for t in "${targets[@]}"; do
    var="COMPAT_QEMU_${t^^}"
    q=${!var:-qemu-$t}
    if ! command -v "$q" >/dev/null; then
      echo "record-expected: $q not found. Install it with:" >&2
      echo "  sudo apt-get install -y qemu-user" >&2
      exit 1
    fi
    qemus+=("$t=$(command -v "$q")")
  done
  exec node --input-type=module - "${qemus[*]}" "$@" <<'MIPS_EOF'
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const [qemuList, ...only] = process.argv.slice(2);
const root = process.cwd();
const targets = qemuList.split(' ').map((tq) => {
  const [target, qemu] = tq.split('=');
  return { target, qemu };
});

// binfmt_misc magic of a 32-bit MIPS ELF (class 1, data 1 = LE / 2 = BE, e_machine 8)
// and of a 64-bit little-endian AArch64 ELF (class 2, data 1, e_machine 183)
const MAGIC = { mipsel: /^magic 7f454c46010101[0-9a-f]{22}0800/m, mips: /^magic 7f454c46010201[0-9a-f]{22}0008/m, aarch64: /^magic 7f454c46020101[0-9a-f]{22}b700/m, x86_64: /^magic 7f454c46020101[0-9a-f]{22}3e00/m };
function binfmtRegistered(target) {
  const dir = '/proc/sys/fs/binfmt_misc';
  try {
    for (const f of readdirSync(dir)) {
      if (f === 'register' || f === 'status') continue;
      const t = readFileSync(path.join(dir, f), 'utf8');
      if (/^enabled/m.test(t) && MAGIC[target].test(t)) return true;
    }
  } catch {
    /* not mounted */
  }
  return false;
}

function runOnce(spec, binDir, c, qemu) {
  const scratch = c.args.some((a) => a.includes('{tmpdir}')) ? mkdtempSync(path.join(tmpdir(), 'compat-mips-')) : null;
  try {
    const args = c.args.map((a) => (scratch ? a.split('{tmpdir}').join(scratch) : a));
    const r = spawnSync(qemu, [path.join(binDir, c.bin), ...args], {
      cwd: root,
      env: { ...(c.env ?? spec.defaultEnv), ...(c.hostEnv ?? {}) },
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

function write(dir, name, r) {
  writeFileSync(path.join(root, dir, `${name}.stdout`), r.stdout);
  writeFileSync(path.join(root, dir, `${name}.status`), `${r.status}\n`);
  console.log(`recorded ${path.join(dir, name)}: ${r.stdout.length} bytes, status ${r.status}${r.stderr ? ` (stderr: ${r.stderr.trim().slice(0, 80)})` : ''}`);
}
function copyFrom(dir, name, from) {
  const src = path.join(root, 'test/fixtures/expected', from);
  for (const ext of ['stdout', 'status']) copyFileSync(`${src}.${ext}`, path.join(root, dir, `${name}.${ext}`));
  console.log(`copied ${path.join(dir, name)}.{stdout,status} from test/fixtures/expected/${from}`);
}
function readPair(dir, name) {
  const base = path.join(root, dir, name);
  if (!existsSync(`${base}.stdout`) || !existsSync(`${base}.status`)) return null;
  return { stdout: readFileSync(`${base}.stdout`), status: readFileSync(`${base}.status`, 'utf8').trim() };
}

let bad = 0;
for (const { target, qemu } of targets) {
  const dir = `test/fixtures/expected/${target}/prog`;
  const binDir = `test/fixtures/bin/${target}/prog`;
  const spec = JSON.parse(readFileSync(path.join(root, dir, 'cases.json'), 'utf8'));
  const unknown = only.filter((n) => !spec.cases.some((c) => c.name === n));
  if (unknown.length) {
    console.error(`record-expected: unknown ${target} case(s): ${unknown.join(', ')}`);
    process.exit(1);
  }
  const haveBinfmt = binfmtRegistered(target);
  for (const c of spec.cases) {
    if (only.length && !only.includes(c.name)) continue;
    if (c.qemuDiffers && c.kernelFrom) copyFrom(dir, c.name, c.kernelFrom);
    if (c.needsBinfmt && !haveBinfmt) {
      if (c.fallbackFrom) copyFrom(dir, c.name, c.fallbackFrom);
      else if (!c.qemuDiffers) bad++;
      console.error(`record-expected: ${target} ${c.name} needs qemu-${target} registered in binfmt_misc (flag P); not run under qemu`);
      continue;
    }
    const a = runOnce(spec, binDir, c, qemu);
    const b = runOnce(spec, binDir, c, qemu);
    if (!a.stdout.equals(b.stdout) || a.status !== b.status) {
      console.error(`record-expected: ${target} ${c.name} is not deterministic under qemu (two runs differ); not recorded`);
      bad++;
      continue;
    }
    if (!c.qemuDiffers) {
      write(dir, c.name, a);
      continue;
    }
    if (c.qemuHostDependent) {
      // qemu's answer depends on the host: nothing of it is kept, the kernel expectation stays
      if (!readPair(dir, c.name)) { console.error(`record-expected: ${target} ${c.name}: the kernel expectation ${dir}/${c.name}.stdout/.status is missing (kernelByHand: write it)`); bad++; }
      continue;
    }
    write(dir, `${c.name}.qemu`, a);
    const k = readPair(dir, c.name);
    if (!k) {
      console.error(`record-expected: ${target} ${c.name}: the kernel expectation ${dir}/${c.name}.stdout/.status is missing (kernelByHand: write it)`);
      bad++;
    } else if (k.stdout.equals(a.stdout) && k.status === a.status) {
      console.error(`record-expected: ${target} ${c.name} is marked qemuDiffers but qemu now agrees with the kernel expectation; drop the flag`);
      bad++;
    }
  }
}
process.exit(bad ? 1 : 0);
MIPS_EOF
fi

QEMU=${COMPAT_QEMU:-qemu-riscv64}
if ! command -v "$QEMU" >/dev/null; then
  echo "record-expected: $QEMU not found. Install it with:" >&2
  echo "  sudo apt-get install -y qemu-user" >&2
  exit 1
fi
QEMU=$(command -v "$QEMU")

exec node --input-type=module - "$QEMU" "$@" <<'EOF'
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, platform } from 'node:os';
import * as path from 'node:path';

const [qemu, ...only] = process.argv.slice(2);
const root = process.cwd();
const suites = [
  { expectedDir: 'test/fixtures/expected/riscv64', binDir: 'test/fixtures/bin/riscv64', srcDir: null },
  { expectedDir: 'test/fixtures/expected/riscv64/proc', binDir: 'test/fixtures/bin/riscv64/proc', srcDir: 'test/fixtures/src/riscv64/proc' },
].filter((s) => existsSync(path.join(root, s.expectedDir, 'cases.json')));
for (const s of suites) s.spec = JSON.parse(readFileSync(path.join(root, s.expectedDir, 'cases.json'), 'utf8'));
const allNames = suites.flatMap((s) => s.spec.cases.map((c) => c.name));
const unknown = only.filter((n) => !allNames.includes(n));
if (unknown.length) {
  console.error(`record-expected: unknown case(s): ${unknown.join(', ')}`);
  process.exit(1);
}

/** Is some enabled binfmt_misc entry handing riscv64 ELF files to qemu? */
function binfmtRegistered() {
  const dir = '/proc/sys/fs/binfmt_misc';
  try {
    for (const f of readdirSync(dir)) {
      if (f === 'register' || f === 'status') continue;
      const t = readFileSync(path.join(dir, f), 'utf8');
      if (/^enabled/m.test(t) && /^magic 7f454c46020101.*f300/m.test(t)) return true;
    }
  } catch {
    /* not mounted */
  }
  return false;
}

let nativeDir = null; // native builds of the proc programs, for the host kernel
function nativeBin(suite, bin) {
  if (!suite.srcDir || platform() !== 'linux') return null;
  if (nativeDir === null) nativeDir = mkdtempSync(path.join(tmpdir(), 'compat-native-'));
  const out = path.join(nativeDir, bin);
  if (!existsSync(out)) {
    const r = spawnSync('gcc', ['-O2', '-Wall', '-pthread', '-o', out, path.join(suite.srcDir, `${bin}.c`)], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      console.error(`record-expected: native build of ${bin} failed: ${r.error?.message ?? r.stderr}`);
      return null;
    }
  }
  return out;
}

function runOnce(suite, c, argvPrefix) {
  const scratch = c.args.some((a) => a.includes('{tmpdir}')) ? mkdtempSync(path.join(tmpdir(), 'compat-rv64-')) : null;
  try {
    const args = c.args.map((a) => (scratch ? a.split('{tmpdir}').join(scratch) : a));
    const r = spawnSync(argvPrefix[0], [...argvPrefix.slice(1), ...args], {
      cwd: root,
      env: c.env ?? suite.spec.defaultEnv,
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

/** Runs twice; null (after an error message) when the two runs differ. */
function runTwice(suite, c, argvPrefix, what) {
  const a = runOnce(suite, c, argvPrefix);
  const b = runOnce(suite, c, argvPrefix);
  if (!a.stdout.equals(b.stdout) || a.status !== b.status) {
    console.error(`record-expected: ${c.name} is not deterministic under ${what} (two runs differ); not recorded`);
    return null;
  }
  return a;
}

function write(suite, name, r) {
  writeFileSync(path.join(root, suite.expectedDir, `${name}.stdout`), r.stdout);
  writeFileSync(path.join(root, suite.expectedDir, `${name}.status`), `${r.status}\n`);
  console.log(`recorded ${path.join(suite.expectedDir, name)}: ${r.stdout.length} bytes, status ${r.status}${r.stderr ? ` (stderr: ${r.stderr.trim().slice(0, 80)})` : ''}`);
}

let bad = 0;
const haveBinfmt = binfmtRegistered();
try {
  for (const suite of suites) {
    for (const c of suite.spec.cases) {
      if (only.length && !only.includes(c.name)) continue;
      if (c.needsBinfmt && !haveBinfmt) {
        console.error(`record-expected: ${c.name} needs qemu-riscv64 registered in binfmt_misc (flag P); skipped`);
        bad++;
        continue;
      }
      const q = runTwice(suite, c, [qemu, path.join(suite.binDir, c.bin)], 'qemu');
      if (!q) {
        bad++;
        continue;
      }
      const nb = nativeBin(suite, c.bin);
      const k = nb ? runTwice(suite, c, [nb], 'the host kernel (native build)') : null;
      if (nb && !k) {
        bad++;
        continue;
      }
      if (c.qemuDiffers) {
        if (!k) {
          console.error(`record-expected: ${c.name} is qemuDiffers: its expectation comes from a native build on a Linux kernel (gcc); not recorded`);
          bad++;
          continue;
        }
        if (k.stdout.equals(q.stdout) && k.status === q.status) {
          console.error(`record-expected: ${c.name} is marked qemuDiffers but qemu now agrees with the kernel; drop the flag`);
        }
        write(suite, c.name, k);
        write(suite, `${c.name}.qemu`, q);
      } else {
        if (k && (!k.stdout.equals(q.stdout) || k.status !== q.status)) {
          console.error(`record-expected: ${c.name}: qemu and the host kernel (native build) disagree; mark it qemuDiffers and document the lines, or fix the program. Recorded qemu's output anyway.`);
          bad++;
        }
        write(suite, c.name, q);
      }
    }
  }
} finally {
  if (nativeDir) rmSync(nativeDir, { recursive: true, force: true });
}
process.exit(bad ? 1 : 0);
EOF
