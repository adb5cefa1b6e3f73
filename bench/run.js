#!/usr/bin/env node
// compat's benchmark: runs the project's own riscv64 compute fixture under
// compat and reports guest instructions per second and wall time, plus the
// ratio to qemu-riscv64 and to a native build of the same source when those
// are available, and the cost of a fork+execve+waitpid cycle. Usage: npm run bench [-- ITERATIONS]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const iterations = process.argv[2] ?? '30';
const fixture = join(root, 'test/fixtures/bin/riscv64/bench-compute');
const source = join(root, 'test/fixtures/src/bench/compute.c');
const native = join(root, 'bench/native/compute');

function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) return { ok: false, secs, why: r.error.message };
  return { ok: r.status === 0, secs, stdout: r.stdout, stderr: r.stderr, why: `exit ${r.status}: ${(r.stderr || '').trim().split('\n').pop()}` };
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

console.log(`compat benchmark: ${fixture.replace(root + '/', '')} ${iterations}`);
// start-up cost: a hello world, best of three
const hello = join(root, 'test/fixtures/bin/riscv64/hello');
let startup = Infinity;
for (let i = 0; i < 3; i++) {
  const h = timed(process.execPath, [join(root, 'bin/compat.js'), 'exec', hello]);
  if (h.ok) startup = Math.min(startup, h.secs);
}
console.log(`  start-up     ${startup.toFixed(3)} s wall for hello (best of 3)`);
const compat = timed(process.execPath, [join(root, 'bin/compat.js'), 'exec', '--stats', fixture, iterations]);
if (!compat.ok) {
  console.error(`compat run failed (${compat.why})`);
  process.exit(1);
}
const m = /compat: stats: (\d+) guest instructions/.exec(compat.stderr);
const instructions = m ? Number(m[1]) : NaN;
const checksum = compat.stdout.trim().split('\n').pop();
console.log(`  compat       ${compat.secs.toFixed(3)} s wall, ${instructions} guest instructions, ${(instructions / compat.secs / 1e6).toFixed(1)} MIPS (whole run incl. start-up), ${(instructions / Math.max(0.001, compat.secs - startup) / 1e6).toFixed(1)} MIPS after start-up`);
console.log(`               output: ${checksum}`);

// process traffic through the processes and signals servers: fork + execve + waitpid, N times
const spawnmany = join(root, 'test/fixtures/bin/riscv64/proc/spawnmany');
const cycles = 40;
const sp = timed(process.execPath, [join(root, 'bin/compat.js'), 'exec', spawnmany, 'cycles', String(cycles)]);
if (sp.ok) console.log(`  processes    ${sp.secs.toFixed(3)} s wall for ${cycles} fork+execve+waitpid cycles (${((sp.secs - startup) * 1000 / cycles).toFixed(1)} ms a cycle after start-up)`);
else console.log(`  processes    failed: ${sp.why}`);

if (onPath('qemu-riscv64')) {
  const q = timed('qemu-riscv64', [fixture, iterations]);
  if (q.ok) {
    const same = q.stdout === compat.stdout ? 'same output' : 'DIFFERENT OUTPUT';
    console.log(`  qemu-riscv64 ${q.secs.toFixed(3)} s wall (${same}); compat/qemu time ratio ${(compat.secs / q.secs).toFixed(2)}x`);
  } else console.log(`  qemu-riscv64 failed: ${q.why}`);
} else {
  console.log('  qemu-riscv64 not installed (apt-get install qemu-user) — no ratio');
}

if (!existsSync(native) && existsSync(source) && onPath('gcc')) {
  mkdirSync(dirname(native), { recursive: true });
  spawnSync('gcc', ['-O2', '-ffp-contract=off', '-o', native, source], { stdio: 'inherit' });
}
if (existsSync(native)) {
  const n = timed(native, [iterations]);
  if (n.ok) console.log(`  native       ${n.secs.toFixed(3)} s wall; compat/native time ratio ${(compat.secs / n.secs).toFixed(1)}x`);
  else console.log(`  native failed: ${n.why}`);
} else {
  console.log('  native build unavailable (needs gcc)');
}
