#!/usr/bin/env node
// compat's benchmark: runs the project's own riscv64 compute fixture under
// compat and reports guest instructions per second and wall time, plus the
// ratio to qemu-riscv64 and to a native build of the same source when those
// are available, and the cost of a fork+execve+waitpid cycle. Usage: npm run bench [-- ITERATIONS]
import { spawn, spawnSync } from 'node:child_process';
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

// Ctrl-C latency: SIGINT to compat while its guest spins, to compat's exit (best of 3)
{
  const busyloop = join(root, 'test/fixtures/bin/riscv64/proc/busyloop');
  const once = () => new Promise((resolve) => {
    const c = spawn(process.execPath, [join(root, 'bin/compat.js'), 'exec', busyloop], { stdio: ['ignore', 'pipe', 'ignore'] });
    let t0 = 0;
    c.stdout.on('data', (d) => { if (!t0 && d.toString().includes('ready')) { t0 = performance.now(); c.kill('SIGINT'); } });
    c.on('exit', (code, sig) => resolve({ ms: performance.now() - t0, sig }));
  });
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await once());
  const best = Math.min(...runs.map((r) => r.ms));
  console.log(`  ctrl-c       ${best.toFixed(1)} ms from SIGINT to exit of a spinning guest (best of 3; died of ${runs[0].sig})`);
}

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

// The other ISA cores on the same compute fixture (fewer iterations: they are interpreters today),
// each against its own qemu-user: the ratio issue 9 and 13 track.
const otherIterations = process.env.BENCH_OTHER_ITERATIONS ?? '5';
const others = [
  ['aarch64', 'test/fixtures/bin/aarch64/prog/bench-compute', 'qemu-aarch64'],
  ['mipsel', 'test/fixtures/bin/mipsel/prog/bench-compute', 'qemu-mipsel'],
  ['mips', 'test/fixtures/bin/mips/prog/bench-compute', 'qemu-mips'],
  ['x86_64', 'test/fixtures/bin/x86_64/prog/bench-compute', 'qemu-x86_64'],
  ['i386', 'test/fixtures/bin/i386/prog/bench-compute', 'qemu-i386'],
];
console.log(`other cores, bench-compute ${otherIterations}:`);
for (const [isa, rel, qemu] of others) {
  const bin = join(root, rel);
  if (!existsSync(bin)) continue;
  const c = timed(process.execPath, [join(root, 'bin/compat.js'), 'exec', '--stats', bin, otherIterations]);
  if (!c.ok) { console.log(`  ${isa.padEnd(8)} compat failed: ${c.why}`); continue; }
  const n = Number(/compat: stats: (\d+) guest instructions/.exec(c.stderr)?.[1] ?? NaN);
  let line = `  ${isa.padEnd(8)} compat ${c.secs.toFixed(3)} s wall, ${(n / c.secs / 1e6).toFixed(1)} MIPS`;
  if (onPath(qemu)) {
    const q = timed(qemu, [bin, otherIterations]);
    line += q.ok ? `; ${qemu} ${q.secs.toFixed(3)} s (${q.stdout === c.stdout ? 'same output' : 'DIFFERENT OUTPUT'}); ratio ${(c.secs / q.secs).toFixed(2)}x` : `; ${qemu} failed: ${q.why}`;
  } else line += `; ${qemu} not installed`;
  console.log(line);
}
