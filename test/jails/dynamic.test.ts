// Dynamically linked programs: PT_INTERP from the sysroot (--sysroot, or the
// default jail's automatic choice by triplet), libraries through the files server.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { autoSysroot } from '../../src/jail/auto-sysroot.js';
import type { Claim } from '../../src/plugin/contracts.js';
import { compat, fixture } from './helpers.js';

const cases = [
  { arch: 'riscv64', bin: 'sniff/hello-riscv64-dynamic', sysroot: '/usr/riscv64-linux-gnu', interp: '/lib/ld-linux-riscv64-lp64d.so.1' },
  { arch: 'mipsel', bin: 'sniff/hello-mipsel-dynamic', sysroot: '/usr/mipsel-linux-gnu', interp: '/lib/ld.so.1' },
  { arch: 'aarch64', bin: 'sniff/hello-aarch64-dynamic', sysroot: '/usr/aarch64-linux-gnu', interp: '/lib/ld-linux-aarch64.so.1', pkg: 'arm64' },
] as { arch: string; bin: string; sysroot: string; interp: string; pkg?: string }[];

describe.each(cases)('dynamic $arch hello', (c) => {
  const installed = existsSync(c.sysroot + c.interp) || existsSync(c.interp);
  it.skipIf(!existsSync(c.sysroot + c.interp))('runs with --sysroot', () => {
    const r = compat(['exec', '--sysroot', c.sysroot, fixture(c.bin), 'x']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello from compat sniff fixture (argc=2)\n');
    expect(r.status).toBe(0);
  });
  it.skipIf(!installed)('runs with no option (the default jail finds the sysroot)', () => {
    const r = compat(['exec', fixture(c.bin)]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello from compat sniff fixture (argc=1)\n');
    expect(r.status).toBe(0);
  });
  it('names the missing package when the sysroot is absent', () => {
    const r = compat(['exec', '--sysroot', '/tmp', fixture(c.bin)]);
    expect(r.status).toBe(127);
    expect(r.stderr).toContain(`its program interpreter ${c.interp} was not found`);
    expect(r.stderr).toContain(`libc6-${c.pkg ?? c.arch}-cross`);
  });
});

describe('automatic sysroot', () => {
  const claim = { isa: 'riscv64', endian: 'little', wordSize: 64, personality: null, abi: {} } as unknown as Claim;
  it('static programs need none', () => {
    expect(autoSysroot(claim, null, 'p')).toBeNull();
  });
  it('names the package when nothing is installed', () => {
    expect(() => autoSysroot(claim, '/lib/ld-linux-riscv64-lp64d.so.1', 'p', '/nonexistent-root')).toThrow(/libc6-riscv64-cross/);
  });
});

describe('dynamic program in a --root jail', () => {
  const sys = '/usr/riscv64-linux-gnu/lib';
  it.skipIf(!existsSync(`${sys}/ld-linux-riscv64-lp64d.so.1`))('takes its interpreter and libc from the root, FILE named inside it', () => {
    const { mkdtempSync, mkdirSync, copyFileSync, rmSync } = require('node:fs') as typeof import('node:fs');
    const { join } = require('node:path') as typeof import('node:path');
    const dir = mkdtempSync(join(require('node:os').tmpdir(), 'compat-dynroot-'));
    try {
      mkdirSync(join(dir, 'lib'));
      mkdirSync(join(dir, 'bin'));
      for (const f of ['ld-linux-riscv64-lp64d.so.1', 'libc.so.6']) copyFileSync(`${sys}/${f}`, join(dir, 'lib', f));
      copyFileSync(fixture('sniff/hello-riscv64-dynamic'), join(dir, 'bin/hello'));
      const r = compat(['exec', '--root', dir, '/bin/hello']);
      expect(r.stdout).toBe('hello from compat sniff fixture (argc=1)\n');
      expect(r.status).toBe(0);
      const missing = compat(['exec', '--root', join(dir, 'bin'), fixture('sniff/hello-riscv64-dynamic')]);
      expect(missing.status).toBe(127);
      expect(missing.stderr).toMatch(/program interpreter \/lib\/ld-linux-riscv64-lp64d\.so\.1 was not found \(the jail's root is/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
