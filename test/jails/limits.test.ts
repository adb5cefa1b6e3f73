// Jail limits and syscall policy: a guest that exceeds the memory limit, the
// process limit or makes a denied syscall is stopped, and compat's message
// names the limit; statuses are the guest's own (or 128+SIGSYS when killed).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compat, fixture } from './helpers.js';

const probe = fixture('riscv64/jail/limitprobe');
let dir: string;
let jail: string;
let killJail: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'compat-limits-'));
  jail = join(dir, 'limited.json');
  writeFileSync(jail, JSON.stringify({
    personality: 'linux', limits: { memory: '64M', processes: 3 }, syscalls: { deny: ['mkdirat', 'mkdir'], action: 'EPERM' },
  }));
  killJail = join(dir, 'strict.json');
  writeFileSync(killJail, JSON.stringify({ personality: 'linux', syscalls: { deny: ['mkdirat', 'mkdir'], action: 'kill' } }));
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('jail limits', () => {
  it('memory: allocations past the limit fail, and compat names the limit', () => {
    const r = compat(['exec', '--jail', jail, probe, 'mem', '200']);
    expect(r.stdout).toMatch(/^malloc failed after \d+ MiB: ENOMEM/);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^compat: jail limit reached: memory \(64 MiB\)/);
    const ok = compat(['exec', '--jail', jail, probe, 'mem', '16']);
    expect(ok.status, ok.stderr).toBe(0);
  });
  it('processes: fork past the limit fails with EAGAIN, and compat names the limit', () => {
    const r = compat(['exec', '--jail', jail, probe, 'fork', '5']);
    expect(r.stdout).toContain('fork 3 failed: EAGAIN');
    expect(r.stdout).toContain('made 2 children');
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/compat: jail limit reached: processes \(3 at once/);
  });
  it('a denied syscall fails with the jail\'s errno, said once', () => {
    const target = join(dir, 'made');
    const r = compat(['exec', '--jail', jail, probe, 'mkdir', target]);
    expect(r.stdout).toBe('mkdir failed: EPERM\n');
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/compat: jail policy: syscall mkdirat is denied \(EPERM\)/);
    expect(existsSync(target)).toBe(false);
  });
  it('a denied syscall with action kill ends the guest by SIGSYS (status 159)', () => {
    const r = compat(['exec', '--jail', killJail, probe, 'mkdir', join(dir, 'made2')]);
    expect(r.status === 159 || r.signal === 'SIGSYS').toBe(true);
    expect(r.stderr).toMatch(/syscall mkdirat is denied; the guest is killed \(SIGSYS\)/);
    expect(existsSync(join(dir, 'made2'))).toBe(false);
  });
});

describe('jail CPU time', () => {
  it('a guest spinning past the CPU limit is killed by SIGXCPU (status 152), and compat names the limit', () => {
    const jf = join(dir, 'cpu.json');
    writeFileSync(jf, JSON.stringify({ personality: 'linux', limits: { cpuTime: 1 } }));
    const r = compat(['exec', '--jail', jf, fixture('riscv64/proc/busyloop')]);
    expect(r.stdout).toBe('ready\n');
    expect(r.status === 152 || r.signal === 'SIGXCPU').toBe(true);
    expect(r.stderr).toMatch(/compat: jail limit reached: CPU time \(1 s\); the guest is killed \(SIGXCPU\)/);
  });
});
