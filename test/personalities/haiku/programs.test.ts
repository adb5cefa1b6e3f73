// End to end: compat's own Haiku riscv64 programs (test/fixtures/src/haiku, built by
// scripts/build-haiku-fixtures.sh) linked against compat's own libroot.so, run under
// `compat exec` (dist/) with a Haiku-shaped root folder and no further option,
// for both syscall numberings (2024: haiku-root, 2022: haiku-root-2022).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCompat } from '../../integration/helpers.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures');
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const work = mkdtempSync(path.join(tmpdir(), 'compat-haiku-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const bin = (root: string, name: string) => path.join(FIX, root, 'boot/home/bin', name);
const run = (args: string[], env: Record<string, string> = {}) => runCompat(['exec', ...args], { env: { ...ENV, ...env }, cwd: work, timeoutMs: 60_000 });
const failures = (out: string) => out.split('\n').filter((l) => /FAIL/.test(l));

describe.each(['haiku-root', 'haiku-root-2022'])('Haiku programs, root %s', (root) => {
  it('hello', async () => {
    const r = await run([bin(root, 'hello')]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('Hello from Haiku!\n');
    expect(r.status).toBe(0);
  });

  it('init routines (libroot first, then the program) run before entry(argc, argv, env)', async () => {
    const r = await run([bin(root, 'args'), 'one', 'two words'], { HK_GREETING: 'hi there' });
    expect(r.stdout.toString()).toBe(`init 3\nargc 3\nargv: ${bin(root, 'args')}\nargv: one\nargv: two words\nenv: HK_GREETING=hi there\n`);
    expect(r.status).toBe(3);
  });

  it('files: open/read/write/seek/stat/dirs/links/pipes with Haiku error codes', async () => {
    const r = await run([bin(root, 'files'), `d-${root}`]);
    const out = r.stdout.toString();
    expect(failures(out)).toEqual([]);
    expect(out).toContain('read_dir entries ok');
    expect(out).toContain('errno ok');
    expect(out).toContain('cwd ends with dir: yes');
    expect(r.status).toBe(0);
  });

  it('areas', async () => {
    const r = await run([bin(root, 'areas')]);
    const out = r.stdout.toString();
    expect(failures(out)).toEqual([]);
    expect(out).toContain('get_area_info ok');
    expect(out).toContain('resize_area ok');
    expect(out).toContain('map_file offset ok');
    expect(out).toContain('stack area holds sp ok');
    expect(r.status).toBe(0);
  });

  it('threads and semaphores', async () => {
    const r = await run([bin(root, 'threads')]);
    expect(r.stdout.toString()).toBe(
      'sems ok\ncounter 300\nreturns 60\nsem count 1\ntimeout ok\nwaited ok\nwould block ok\ndeleted ok\nthread_info ok\n');
    expect(r.status).toBe(0);
  });

  it('ports ping-pong between two threads', async () => {
    const r = await run([bin(root, 'ports')]);
    const out = r.stdout.toString();
    expect(out).toContain('find_port ok\nfind_port missing ok\n');
    for (let i = 1; i <= 5; i++) expect(out).toContain(`got ball ${i * 100 + 1} 5\n`);
    expect(out).toContain('port_count 1\nponger returned 7\ndeleted ok\n');
    expect(r.status).toBe(0);
  });

  it('a non-PIE program gets libroot data by a COPY relocation, bound in the program first', async () => {
    const r = await run([bin(root, 'nopie')]);
    expect(r.stdout.toString()).toBe('libroot initialised 1\n0x1 copy in the program\n');
    expect(r.status).toBe(0);
  });

  it('system info, time, limits, ids; an unimplemented call is ENOSYS', async () => {
    const r = await run([bin(root, 'sysinfo')]);
    const out = r.stdout.toString();
    expect(failures(out)).toEqual([]);
    expect(out).toContain('sizeof system_info 464\n');
    expect(out).toContain('kernel compat (Haiku personality)\n');
    expect(out).toContain('nofile now 64\n');
    expect(out).toContain('team_info ok\n');
    expect(out).toContain('unimplemented 1\n');
    expect(r.stderr).toMatch(/unimplemented Haiku syscall _kern_mount/);
    expect(r.status).toBe(3);
  });
});

describe('Haiku start-up variants', () => {
  it('PT_INTERP /system/runtime_loader is handled by the personality', async () => {
    const r = await run([bin('haiku-root', 'hello-interp')]);
    expect(r.stdout.toString()).toBe('Hello from Haiku!\n');
    expect(r.status).toBe(0);
  });

  it('--root names the Haiku root folder', async () => {
    const r = await run(['--root', path.join(FIX, 'haiku-root-2022'), bin('haiku-root-2022', 'hello')]);
    expect(r.stdout.toString()).toBe('Hello from Haiku!\n');
    expect(r.status).toBe(0);
  });

  it('files inside a --root jail: guest paths are the root\'s', async () => {
    const { cpSync, existsSync } = await import('node:fs');
    const copy = path.join(work, 'root-copy');
    cpSync(path.join(FIX, 'haiku-root'), copy, { recursive: true });
    const r = await run(['--root', copy, path.join(copy, 'boot/home/bin/files'), '/boot/home/work']);
    const out = r.stdout.toString();
    expect(failures(out)).toEqual([]);
    expect(out).toContain('normalized ends with /b.txt: yes');
    expect(r.status).toBe(0);
    expect(existsSync(path.join(copy, 'boot/home/work'))).toBe(false); // removed again by the program, inside the copy
  });

  it('a runtime_loader in the root is started with user_space_program_args and a commpage', async () => {
    const r = await run([bin('haiku-root-rld', 'hello'), 'a', 'b'], { ONLY: '1' });
    const out = r.stdout.toString();
    expect(out).toContain(`rld: program hello path ${bin('haiku-root-rld', 'hello')}\n`);
    expect(out).toContain('rld: argc 3 envc 2\n');
    expect(out).toContain('rld: arg a\nrld: arg b\n');
    for (const k of ['terminated', 'layout', 'commpage', 'tls', 'error_port']) expect(out).toContain(`rld: ${k} ok\n`);
    expect(r.status).toBe(42);
  });

  it('without a libroot.so the numbering comes from the setting (COMPAT_HAIKU_ABI)', async () => {
    const right = await run([bin('haiku-root-rld-2022', 'hello')], { COMPAT_HAIKU_ABI: '2022' });
    expect(right.stdout.toString()).toContain('rld: commpage ok\n');
    expect(right.status).toBe(42);
    const wrong = await run([bin('haiku-root-rld-2022', 'hello')], { COMPAT_HAIKU_ABI: '2024' });
    expect(wrong.stdout.toString()).toBe('');
    expect(wrong.stderr).toMatch(/unimplemented Haiku syscall .*2024 numbering/);
  });

  it('a missing libroot.so is a clear refusal', async () => {
    const r = await run([bin('haiku-root', 'hello')], { COMPAT_HAIKU_ROOT: work });
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/needs libroot\.so, which is not in/);
  });
});

describe('signals end a blocked Haiku team by their default action', () => {
  it.each([['snooze', 'SIGINT', 130], ['sem', 'SIGTERM', 143], ['port', 'SIGHUP', 129]] as const)(
    'blocked in %s, %s', async (how, sig, status) => {
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/compat.js'), 'exec', bin('haiku-root', 'signals'), how],
        { cwd: work, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const done = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }) as Record<string, number>)[signal] : null))));
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('waiting')) resolve(); }));
      await new Promise((r) => setTimeout(r, 300));
      child.kill(sig);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const st = await done;
      clearTimeout(timer);
      expect(out).toBe('waiting\n');
      expect(st).toBe(status);
    });
});
