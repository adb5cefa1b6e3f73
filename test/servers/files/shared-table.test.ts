/**
 * The shared fd table across real worker_threads, fork copies, close-on-exec,
 * and interruptible blocking on pipes (woken by data and by the interrupter,
 * without burning CPU while blocked).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as host from '../../../src/host/libc.js';
import { H } from '../../../src/host/libc.js';
import { ServerError } from '../../../servers/common/errno.js';
import type { Interrupter } from '../../../servers/common/interrupt.js';
import { FilesServer } from '../../../servers/files/files-server.js';

const sab = (n: number) => new Uint8Array(new SharedArrayBuffer(n));
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errno(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof ServerError) return e.errno; throw e; }
  return 'no error';
}

let dir: string;
let agentPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compat-shared-files-'));
  writeFileSync(join(dir, 'a.txt'), 'hello world');
  // the agent runs TypeScript from the repo: bundle it (koffi stays a require from the repo's node_modules)
  const out = await build({
    entryPoints: [join(__dirname, 'files-agent.ts')], bundle: true, platform: 'node', format: 'esm', write: false,
    external: ['koffi'], banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const cache = join(__dirname, '../../../node_modules/.cache/compat-tests');
  mkdirSync(cache, { recursive: true });
  agentPath = join(cache, `files-agent-${process.pid}.mjs`);
  writeFileSync(agentPath, out.outputFiles[0].text);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(agentPath, { force: true });
});

/** A test interrupter: an eventfd plus a "signal pending" flag the test raises. */
function makeInterrupter(): Interrupter & { flag: SharedArrayBuffer; raise(): void; dispose(): void } {
  const wakeFd = host.eventfd(0, H.O_CLOEXEC | H.O_NONBLOCK);
  const flag = new SharedArrayBuffer(8);
  const f = new Int32Array(flag);
  return {
    wakeFd, flag,
    wakeCell: { array: f, index: 1 },
    pending: () => {
      try { host.eventfdRead(wakeFd); } catch { /* nothing to consume */ }
      return Atomics.exchange(f, 0, 0) !== 0;
    },
    raise: () => {
      Atomics.store(f, 0, 1);
      Atomics.add(f, 1, 1);
      Atomics.notify(f, 1);
      host.eventfdWrite(wakeFd, 1n);
    },
    dispose: () => host.close(wakeFd),
  };
}

class Agent {
  private readonly w: Worker;
  private next = 0;
  private readonly waiting = new Map<number, (r: { ok?: unknown; errno?: string }) => void>();
  constructor(files: FilesServer, intr: ReturnType<typeof makeInterrupter>) {
    this.w = new Worker(agentPath, { workerData: { handle: files.share(), wakeFd: intr.wakeFd, flag: intr.flag } });
    this.w.on('message', (m: { id: number; ok?: unknown; errno?: string }) => { this.waiting.get(m.id)?.(m); this.waiting.delete(m.id); });
    this.w.on('error', (e) => { for (const r of this.waiting.values()) r({ errno: String(e) }); });
  }
  call<T = unknown>(op: Record<string, unknown>): Promise<{ ok?: T; errno?: string }> {
    const id = this.next++;
    return new Promise((res) => {
      this.waiting.set(id, res as (r: { ok?: unknown; errno?: string }) => void);
      this.w.postMessage({ ...op, id });
    });
  }
  terminate(): Promise<number> { return this.w.terminate(); }
}

describe('shared fd table between worker threads (CLONE_FILES)', () => {
  it('two workers opening at once get distinct lowest fds and see each other\'s entries', async () => {
    const files = new FilesServer({ stdio: 'none', cwd: dir });
    const ia = makeInterrupter(), ib = makeInterrupter();
    const a = new Agent(files, ia), b = new Agent(files, ib);
    try {
      const go = new SharedArrayBuffer(4);
      const pa = a.call<number[]>({ op: 'open', path: 'a.txt', count: 60, go });
      const pb = b.call<number[]>({ op: 'open', path: 'a.txt', count: 60, go });
      await sleep(100); // both are parked on the barrier
      Atomics.store(new Int32Array(go), 0, 1);
      Atomics.notify(new Int32Array(go), 0);
      const [ra, rb] = await Promise.all([pa, pb]);
      const all = [...ra.ok!, ...rb.ok!];
      expect(new Set(all).size).toBe(120);
      expect([...all].sort((x, y) => x - y)).toEqual(Array.from({ length: 120 }, (_, i) => i));
      // each worker's list is ascending (lowest free at each call)
      for (const l of [ra.ok!, rb.ok!]) expect(l).toEqual([...l].sort((x, y) => x - y));
      expect(files.openFds().length).toBe(120);
      // b reads through an fd a opened, and sees a's close
      const fdOfA = ra.ok![0];
      expect((await b.call<string>({ op: 'read', fd: fdOfA, n: 5 })).ok).toBe('hello');
      await a.call({ op: 'close', fds: [fdOfA] });
      expect((await b.call({ op: 'read', fd: fdOfA, n: 5 })).errno).toBe('EBADF');
      // the main thread's next open takes the fd a freed
      expect(files.open('cwd', 'a.txt', { access: 'r' })).toBe(fdOfA);
      expect((await b.call<number[]>({ op: 'fds' })).ok!.length).toBe(120);
      // concurrent close of everything, then the table is empty for all
      await Promise.all([a.call({ op: 'close', fds: ra.ok!.slice(1) }), b.call({ op: 'close', fds: rb.ok! })]);
      expect(files.openFds()).toEqual([fdOfA]);
      // umask and cwd are shared too (CLONE_FS)
      files.umask = 0o027;
      const other = FilesServer.attach(files.share());
      expect(other.umask).toBe(0o027);
      mkdirSync(join(dir, 'sub'), { recursive: true });
      other.chdir('sub');
      expect(files.getcwd()).toBe(join(dir, 'sub'));
      files.chdir('..');
      expect(other.getcwd()).toBe(dir);
    } finally {
      await a.terminate(); await b.terminate();
      ia.dispose(); ib.dispose();
      files.closeAll();
    }
  });
});

describe('fork copies and exec', () => {
  it('forkCopy shares offsets and status flags but not the table', () => {
    const files = new FilesServer({ stdio: 'none', cwd: dir });
    const fd = files.open('cwd', 'a.txt', { access: 'r' });
    const ce = files.open('cwd', 'a.txt', { access: 'r', cloexec: true });
    const child = files.forkCopy();
    try {
      expect(child.openFds()).toEqual([fd, ce]);
      expect(child.hostFd(fd)).not.toBe(files.hostFd(fd)); // its own host fd...
      const b = sab(5);
      child.read(fd, b);
      expect(dec(b)).toBe('hello');
      expect(files.lseek(fd, 0n, 'cur')).toBe(5n); // ...on the same open file description
      child.close(fd);
      files.read(fd, b);
      expect(dec(b)).toBe(' worl');
      const late = files.open('cwd', 'a.txt', { access: 'r' });
      expect(child.isOpen(late)).toBe(false);
      expect(child.open('cwd', 'a.txt', { access: 'r' })).toBe(fd); // the child's own lowest free fd
      // O_NONBLOCK is a status flag of the description: shared
      const [r, w] = files.pipe();
      const c2 = files.forkCopy();
      c2.setStatusFlags(r, { nonblock: true });
      expect(files.getStatusFlags(r).nonblock).toBe(true);
      expect(errno(() => files.read(r, sab(4)))).toBe('EAGAIN');
      c2.write(w, enc('x'));
      expect(files.read(r, sab(4))).toBe(1);
      c2.closeAll();
      expect(files.isOpen(r)).toBe(true);
      // close-on-exec flags are copied; closeOnExec closes them
      expect(child.getCloexec(ce)).toBe(true);
      child.closeOnExec();
      expect(child.isOpen(ce)).toBe(false);
      expect(files.isOpen(ce)).toBe(true);
      expect(child.isOpen(fd)).toBe(true);
    } finally {
      child.closeAll();
      files.closeAll();
    }
  });

  it('dup shares the description, dup2 replaces an open fd, EBUSY never leaks host fds', () => {
    const files = new FilesServer({ stdio: 'none', cwd: dir });
    try {
      const fd = files.open('cwd', 'a.txt', { access: 'r' });
      const d = files.dup(fd);
      files.read(d, sab(6));
      expect(files.lseek(fd, 0n, 'cur')).toBe(6n);
      const [r] = files.pipe();
      expect(files.dup2(fd, r)).toBe(r);
      expect(files.get(r).kind).toBe('regular');
      expect(files.getCloexec(r)).toBe(false);
      files.setCloexec(r, true);
      expect(files.getCloexec(r)).toBe(true);
      expect(files.getCloexec(fd)).toBe(false);
    } finally {
      files.closeAll();
    }
  });
});

describe('blocking pipe I/O between workers', () => {
  it('a blocked read is woken by data from another thread, burning no CPU meanwhile', async () => {
    const files = new FilesServer({ stdio: 'none', cwd: dir });
    const intr = makeInterrupter();
    const a = new Agent(files, intr);
    try {
      const [r, w] = files.pipe();
      await a.call({ op: 'fds' }); // the worker is up
      const cpu0 = process.cpuUsage();
      const t0 = Date.now();
      const p = a.call<string>({ op: 'read', fd: r, n: 64 });
      await sleep(250);
      const cpu = process.cpuUsage(cpu0);
      files.write(w, enc('wake up'));
      const got = await p;
      expect(got.ok).toBe('wake up');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
      // the whole process (this thread idle in a timer, the worker blocked in poll) used little CPU
      expect((cpu.user + cpu.system) / 1000).toBeLessThan(60);
    } finally {
      await a.terminate();
      intr.dispose();
      files.closeAll();
    }
  });

  it('the interrupter ends a blocked read with EINTR, and a blocked write with its partial count', async () => {
    const files = new FilesServer({ stdio: 'none', cwd: dir });
    const intr = makeInterrupter();
    const a = new Agent(files, intr);
    try {
      const [r, w] = files.pipe();
      await a.call({ op: 'fds' });
      const cpu0 = process.cpuUsage();
      const p = a.call({ op: 'read', fd: r, n: 64 });
      await sleep(200);
      const cpu = process.cpuUsage(cpu0);
      intr.raise();
      expect((await p).errno).toBe('EINTR');
      expect((cpu.user + cpu.system) / 1000).toBeLessThan(60);
      // a poke with nothing deliverable does not end the wait
      const p2 = a.call<string>({ op: 'read', fd: r, n: 64 });
      await sleep(50);
      host.eventfdWrite(intr.wakeFd, 1n);
      await sleep(50);
      files.write(w, enc('after'));
      expect((await p2).ok).toBe('after');
      // a write bigger than the pipe blocks when it is full; a signal returns what was written
      const big = new Uint8Array(1 << 20);
      const pw = a.call<number>({ op: 'write', fd: w, data: big });
      await sleep(150);
      intr.raise();
      const wrote = (await pw).ok!;
      expect(wrote).toBeGreaterThan(0);
      expect(wrote).toBeLessThan(big.length);
      expect(files.bytesReadable(r)).toBe(wrote);
      // and an interrupted write with nothing written is EINTR
      const pw2 = a.call({ op: 'write', fd: w, data: big });
      await sleep(100);
      intr.raise();
      expect((await pw2).errno).toBe('EINTR');
    } finally {
      await a.terminate();
      intr.dispose();
      files.closeAll();
    }
  });

  it('a blocking write completes once a reader in another thread drains the pipe', async () => {
    const files = new FilesServer({ stdio: 'none', cwd: dir });
    const intr = makeInterrupter();
    const a = new Agent(files, intr);
    try {
      const [r, w] = files.pipe();
      const big = new Uint8Array(300_000).map((_, i) => i & 0xff);
      const pw = a.call<number>({ op: 'write', fd: w, data: big });
      let got = 0;
      const b = sab(65536);
      while (got < big.length) {
        await sleep(5);
        const n = files.bytesReadable(r);
        if (n > 0) got += files.read(r, b);
      }
      expect((await pw).ok).toBe(big.length);
      expect(got).toBe(big.length);
    } finally {
      await a.terminate();
      intr.dispose();
      files.closeAll();
    }
  });
});

describe('locks', () => {
  it('a waiting flock is interrupted with EINTR and takes the lock once free', () => {
    const files = new FilesServer({ stdio: 'none', cwd: dir });
    const intr = makeInterrupter();
    files.setInterrupter(intr);
    try {
      const a = files.open('cwd', 'a.txt', { access: 'r' });
      const b = files.open('cwd', 'a.txt', { access: 'r' }); // another description: conflicts
      files.flock(a, 'exclusive', false);
      expect(errno(() => files.flock(b, 'exclusive', true))).toBe('EAGAIN');
      intr.raise();
      expect(errno(() => files.flock(b, 'shared', false))).toBe('EINTR');
      files.flock(a, 'unlock', false);
      files.flock(b, 'shared', false);
    } finally {
      intr.dispose();
      files.closeAll();
    }
  });
});
