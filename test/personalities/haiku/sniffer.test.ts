// The Haiku sniffer: Haiku images of every ISA, their ABI and version; Linux images stay Linux's.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAIKU_CONFIDENCE, haikuElfSniffer } from '../../../personalities/haiku/sniffer.js';
import { linuxElfSniffer, LINUX_CONFIDENCE } from '../../../personalities/linux/sniffer.js';
import type { SniffInput } from '../../../src/plugin/contracts.js';

const FIX = path.resolve(__dirname, '../../fixtures');

function input(p: string, patch?: (b: Buffer) => void): SniffInput {
  const b = Buffer.from(readFileSync(p));
  patch?.(b);
  return { path: p, head: b.subarray(0, 4096), size: b.length, read: (o, n) => b.subarray(o, o + n) };
}

describe('haiku-elf sniffer', () => {
  it('claims the x86_64 Haiku-like fixture with its ABI and version', () => {
    const c = haikuElfSniffer.sniff(input(path.join(FIX, 'bin/sniff/haiku-like-x86_64')))!;
    expect(c.personality).toBe('haiku');
    expect(c.isa).toBe('x86_64');
    expect(c.abi['haikuAbi']).toBe('gcc4');
    expect(c.abi['haikuVersion']).toBe('R1/beta1');
    const h = c.abi['haiku'] as Record<string, unknown>;
    expect(h['architecture']).toBe('x86_64');
    expect(h['abiSource']).toBe('symbol');
    expect(c.confidence).toBe(HAIKU_CONFIDENCE.symbols);
    expect(c.confidence).toBeGreaterThan(Math.max(...Object.values(LINUX_CONFIDENCE)));
    expect(linuxElfSniffer.sniff(input(path.join(FIX, 'bin/sniff/haiku-like-x86_64')))).toBeNull();
  });

  it.each(['hello', 'args', 'threads', 'hello-interp'])('claims the riscv64 fixture %s', (name) => {
    const c = haikuElfSniffer.sniff(input(path.join(FIX, 'haiku-root/boot/home/bin', name)))!;
    expect(c.personality).toBe('haiku');
    expect(c.isa).toBe('riscv64');
    expect(c.abi['haikuAbi']).toBe('gcc4');
    expect(c.abi['haikuVersion']).toBe('R1');
    expect(c.abi['soname']).toBe('_APP_');
    expect(c.abi['needed']).toEqual(['libroot.so']);
  });

  it('sees PT_INTERP /system/runtime_loader', () => {
    const c = haikuElfSniffer.sniff(input(path.join(FIX, 'haiku-root/boot/home/bin/hello-interp')))!;
    expect(c.abi['interp']).toBe('/system/runtime_loader');
    expect((c.abi['haiku'] as { markers: Record<string, boolean> }).markers.runtimeLoader).toBe(true);
  });

  it('claims the libroot.so builds (ABI symbols in a shared object)', () => {
    for (const r of ['haiku-root', 'haiku-root-2022']) {
      const c = haikuElfSniffer.sniff(input(path.join(FIX, r, 'boot/system/lib/libroot.so')))!;
      expect(c.personality).toBe('haiku');
      expect(c.abi['haikuAbi']).toBe('gcc4');
    }
  });

  it.each([
    ['haiku-x86-gcc2', 'i386', 'gcc2', 'x86_gcc2', 'symbol'],
    ['haiku-x86-nosymbol', 'i386', 'gcc2', 'x86_gcc2', 'x86-default'],
    ['haiku-x86-gcc4', 'i386', 'gcc4', 'x86', 'symbol'],
    ['haiku-x86_64-gcc4', 'x86_64', 'gcc4', 'x86_64', 'symbol'],
    ['haiku-aarch64-gcc4', 'aarch64', 'gcc4', 'arm64', 'symbol'],
    ['haiku-ppc-gcc4', 'ppc', 'gcc4', 'ppc', 'symbol'],
  ])('reports the Haiku ABI of %s (no core needed)', (name, isa, abi, arch, source) => {
    const c = haikuElfSniffer.sniff(input(path.join(FIX, 'haiku-sniff', name)))!;
    expect(c.personality).toBe('haiku');
    expect(c.isa).toBe(isa);
    expect(c.abi['haikuAbi']).toBe(abi);
    const h = c.abi['haiku'] as Record<string, unknown>;
    expect(h['architecture']).toBe(arch);
    expect(h['abiSource']).toBe(source);
    expect(c.abi['haikuVersion']).toBe(source === 'symbol' ? 'R1' : null);
  });

  it('leaves Linux programs alone', () => {
    for (const f of ['hello-riscv64-dynamic', 'hello-riscv64-static', 'hello-x86_64-dynamic', 'hello-i686-dynamic']) {
      expect(haikuElfSniffer.sniff(input(path.join(FIX, 'bin/sniff', f))), f).toBeNull();
    }
  });
});

describe('compat sniff on Haiku images', () => {
  it('names the Haiku ABI and version in its one-line report', async () => {
    const { runCompat } = await import('../../integration/helpers.js');
    const r = await runCompat(['sniff', path.join(FIX, 'haiku-sniff/haiku-x86-gcc2'), path.join(FIX, 'haiku-root/boot/home/bin/hello'), path.join(FIX, 'bin/sniff/haiku-like-x86_64')]);
    const lines = r.stdout.toString().trim().split('\n');
    expect(lines[0]).toMatch(/ELF32 i386 little-endian, Haiku \(gcc2 ABI, R1\), dynamic .*needs libroot\.so.* — no ISA core for i386$/);
    expect(lines[1]).toMatch(/ELF64 RISC-V little-endian, Haiku \(gcc4 ABI, R1\), dynamic \(interpreter none; needs libroot\.so\), PIE$/);
    expect(lines[2]).toMatch(/ELF64 x86-64 little-endian, Haiku \(gcc4 ABI, R1\/beta1\)/);
    expect(r.status).toBe(0);
  });
});
