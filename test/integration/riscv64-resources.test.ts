// Resource leaks of the runtime when a guest creates many processes:
// spawnmany (test/fixtures/src/riscv64/proc/spawnmany.c) run under
// `compat exec --stats`:
//   cycles N: N x (fork, execve self, waitpid), one child at a time;
//   wide N:   N children alive at once, then all reaped.
// The guest announces "phase: start", ("phase: all N alive"), "phase: final"
// and waits for a line on stdin after each, so this test samples compat's own
// process at well-defined points: Threads: and VmRSS: from /proc/<pid>/status,
// the entries of /proc/<pid>/fd (less module files being loaded), and the number of live descendant processes.
// It also samples every 10 ms for high-water marks. The checks fail on leaks:
//   - 200 cycles must not leave more threads / fds / descendants / memory
//     than 50 cycles (final phase, and high-water marks over the run);
//   - after reaping 64 children, threads / fds / descendants are back to
//     what they were at the start.
// COMPAT_TEST_UNDER=qemu runs qemu-riscv64 (without --stats) instead; the
// cycles runs then need qemu-riscv64 in binfmt_misc (they are skipped without).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPAT_JS, qemuPath, REPO_ROOT, testedRunner } from './helpers.js';

const PROG = path.relative(REPO_ROOT, path.join(REPO_ROOT, 'test', 'fixtures', 'bin', 'riscv64', 'proc', 'spawnmany'));
const runner = testedRunner();
// slack for threads / fds that the host runtime may open lazily (libuv pool, GC helpers)
const THREAD_SLACK = 4;
const FD_SLACK = 3;
/**
 * Slack for the fd high-water marks. The module files a starting worker's loader
 * holds open for a few milliseconds (dist/**.js, node_modules/**.js: 40 and more
 * when two workers load at once) are not counted at all (see countFds): how
 * often two loads overlap grows with the number of cycles, a leak it is not.
 */
const FD_HIGH_WATER_SLACK = 8;
const RSS_SLACK_KB = 96 * 1024;
/** How long the final phase may take to give the reaped children's workers back (see runSpawnmany). */
const SETTLE_MS = 20_000;

/** Is an enabled binfmt_misc entry handing riscv64 ELF files to an interpreter (qemu)? */
function binfmtRiscv64(): boolean {
  const dir = '/proc/sys/fs/binfmt_misc';
  try {
    for (const f of readdirSync(dir)) {
      if (f === 'register' || f === 'status') continue;
      const t = readFileSync(path.join(dir, f), 'utf8');
      if (/^enabled/m.test(t) && /^magic 7f454c46020101.*f300/m.test(t)) return true;
    }
  } catch {
    /* binfmt_misc not mounted */
  }
  return false;
}

interface Sample {
  threads: number;
  fds: number;
  rssKb: number;
  descendants: number;
}

function sample(pid: number): Sample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const threads = Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    const fds = countFds(pid);
    if (Number.isNaN(threads) || Number.isNaN(rssKb)) return null; // exiting
    return { threads, fds, rssKb, descendants: countDescendants(pid) };
  } catch {
    return null; // exited meanwhile
  }
}

/** Open fds of `pid` but the module files its loaders are reading (under the package, ending in .js/.mjs/.cjs/.json). */
function countFds(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    if (target.startsWith(REPO_ROOT + path.sep) && /\.(m?js|cjs|json)$/.test(target)) continue;
    n++;
  }
  return n;
}

/** Live (non-zombie) processes below `root`. */
function countDescendants(root: number): number {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z' || rest[0] === 'X') continue;
      parent.set(Number(d), Number(rest[1]));
    } catch {
      /* gone */
    }
  }
  let n = 0;
  for (const pid of parent.keys()) {
    let p = parent.get(pid);
    for (let hops = 0; p !== undefined && p > 1 && hops < 64; hops++) {
      if (p === root) {
        n++;
        break;
      }
      p = parent.get(p);
    }
  }
  return n;
}

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  phases: Record<string, Sample>;
  max: Sample;
}

function runSpawnmany(args: string[], timeoutMs = 300_000): Promise<Run> {
  let cmd: string, argv: string[];
  if (runner === 'qemu') {
    const q = qemuPath();
    if (!q) return Promise.reject(new Error('COMPAT_TEST_UNDER=qemu but qemu-riscv64 is not on PATH'));
    [cmd, argv] = [q, [PROG, ...args]];
  } else {
    [cmd, argv] = [process.execPath, [COMPAT_JS, 'exec', '--stats', PROG, ...args]];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: REPO_ROOT, env: { HOME: '/tmp', LANG: 'C' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const pid = child.pid!;
    const phases: Record<string, Sample> = {};
    const max: Sample = { threads: 0, fds: 0, rssKb: 0, descendants: 0 };
    const note = (s: Sample | null) => {
      if (!s) return;
      for (const k of Object.keys(max) as (keyof Sample)[]) max[k] = Math.max(max[k], s[k]);
    };
    const poll = setInterval(() => note(sample(pid)), 10);
    let out = '';
    let err = '';
    let scanned = 0;
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      clearInterval(poll);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      reject(new Error(`timed out after ${timeoutMs} ms: spawnmany ${args.join(' ')}; stdout: ${out.slice(-2000)}; stderr: ${err.slice(-2000)}`));
    }, timeoutMs);
    child.stdin!.on('error', () => {});
    child.stdout!.setEncoding('latin1');
    child.stdout!.on('data', (d: string) => {
      out += d;
      let nl: number;
      while ((nl = out.indexOf('\n', scanned)) >= 0) {
        const line = out.slice(scanned, nl);
        scanned = nl + 1;
        const m = /^phase: (.*)$/.exec(line);
        if (m) {
          // let the runtime settle (compat keeps warm workers for 300 ms after the last
          // fork/clone), then sample. At "final", the workers of reaped children end
          // asynchronously (a terminated worker's isolate is torn down on its own thread,
          // slower on a loaded machine): sample until the counts are back at the start's
          // or SETTLE_MS have passed; a leak never gets there, and the checks then fail.
          const phase = m[1];
          const since = Date.now();
          const take = () => {
            const s = sample(pid);
            const base = phases.start;
            const back = s !== null && base !== undefined && s.threads <= base.threads + THREAD_SLACK && s.fds <= base.fds + FD_SLACK && s.descendants <= base.descendants;
            if (phase === 'final' && s !== null && !back && Date.now() - since < SETTLE_MS) { setTimeout(take, 50); return; }
            if (s) {
              phases[phase] = s;
              note(s);
            }
            child.stdin!.write('\n');
            if (phase === 'final') child.stdin!.end();
          };
          setTimeout(take, 700);
        }
      }
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', (e) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      reject(e);
    });
    child.on('close', (status, signal) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ stdout: out, stderr: err, status, signal, phases, max });
    });
  });
}

const fmt = (s: Sample | undefined) => (s ? `threads ${s.threads}, fds ${s.fds}, rss ${Math.round(s.rssKb / 1024)} MB, descendants ${s.descendants}` : 'not sampled');

function expectCleanRun(r: Run, expectedStdout: string) {
  const ctx = `stderr (last 3000 chars):\n${r.stderr.slice(-3000)}`;
  expect(r.stdout, ctx).toBe(expectedStdout);
  expect(r.signal, ctx).toBe(null);
  expect(r.status, ctx).toBe(0);
  for (const p of ['start', 'final']) expect(r.phases[p], `phase ${p} was not sampled`).toBeDefined();
}

const cyclesSkip = runner === 'qemu' && !binfmtRiscv64();

describe(`runtime resources with many guest processes (${runner === 'qemu' ? 'qemu-riscv64, COMPAT_TEST_UNDER=qemu' : 'compat exec --stats'})`, () => {
  it.skipIf(cyclesSkip)('200 fork+exec+wait cycles leave no more behind than 50', async () => {
    const cyclesOut = (n: number) => `phase: start\ncycles: ${n} of ${n} children exec'd and exited 7\nphase: final\nsummary: ok\n`;
    const r50 = await runSpawnmany(['cycles', '50']);
    expectCleanRun(r50, cyclesOut(50));
    const r200 = await runSpawnmany(['cycles', '200']);
    expectCleanRun(r200, cyclesOut(200));
    const report =
      `50 cycles:  start ${fmt(r50.phases.start)}; final ${fmt(r50.phases.final)}; high-water ${fmt(r50.max)}\n` +
      `200 cycles: start ${fmt(r200.phases.start)}; final ${fmt(r200.phases.final)}; high-water ${fmt(r200.max)}`;
    console.log(report);
    const [f50, f200] = [r50.phases.final, r200.phases.final];
    expect(f200.threads, `threads grow with cycles (final phase)\n${report}`).toBeLessThanOrEqual(f50.threads + THREAD_SLACK);
    expect(f200.fds, `fds grow with cycles (final phase)\n${report}`).toBeLessThanOrEqual(f50.fds + FD_SLACK);
    expect(f200.descendants, `processes left behind (final phase)\n${report}`).toBeLessThanOrEqual(f50.descendants);
    expect(f200.descendants, `processes left behind vs start (final phase)\n${report}`).toBeLessThanOrEqual(r200.phases.start.descendants);
    expect(f200.rssKb, `memory grows with cycles (final phase)\n${report}`).toBeLessThanOrEqual(f50.rssKb + RSS_SLACK_KB);
    expect(r200.max.threads, `thread high-water mark grows with cycles\n${report}`).toBeLessThanOrEqual(r50.max.threads + THREAD_SLACK);
    expect(r200.max.fds, `fd high-water mark grows with cycles\n${report}`).toBeLessThanOrEqual(r50.max.fds + FD_HIGH_WATER_SLACK);
    expect(r200.max.descendants, `descendant high-water mark grows with cycles\n${report}`).toBeLessThanOrEqual(r50.max.descendants + 1);
  }, 700_000);

  it('64 children alive at once, then reaped: back to the starting resources', async () => {
    const r = await runSpawnmany(['wide', '64']);
    expectCleanRun(
      r,
      'phase: start\nwide: 64 children started, 0 exited early\nphase: all 64 alive\n' +
        'wide: 64 of 64 children saw EOF and exited with their own code; no child left: yes\nphase: final\nsummary: ok\n',
    );
    const [s, w, f] = [r.phases.start, r.phases['all 64 alive'], r.phases.final];
    const report = `start ${fmt(s)}; all alive ${fmt(w)}; final ${fmt(f)}; high-water ${fmt(r.max)}`;
    console.log(`wide 64: ${report}`);
    expect(w, 'phase "all 64 alive" was not sampled').toBeDefined();
    expect(f.threads, `threads left behind\n${report}`).toBeLessThanOrEqual(s.threads + THREAD_SLACK);
    expect(f.fds, `fds left behind\n${report}`).toBeLessThanOrEqual(s.fds + FD_SLACK);
    expect(f.descendants, `processes left behind\n${report}`).toBeLessThanOrEqual(s.descendants);
  }, 400_000);
});
