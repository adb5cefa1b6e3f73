/**
 * CPUID as a baseline x86-64-v1 CPU (no SSE3 and later, no AVX, no XSAVE):
 * FPU TSC CX8 CMOV MMX FXSR SSE SSE2 and CMPXCHG16B, LAHF/SAHF, SYSCALL,
 * NX, LM. glibc's ifuncs therefore pick their SSE2 routines. Caches are
 * described by leaf 4 (leaf 2 says "see leaf 4").
 */
import type { X86Core } from './core.js';

/** CPUID.1 EDX and ECX as reported (AT_HWCAP on i386/x86-64 is CPUID.1 EDX). */
export const CPUID1_EDX = (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26);
export const CPUID1_ECX = 1 << 13;

const VENDOR = 'GenuineIntel';
const BRAND = 'compat x86-64 baseline CPU'.padEnd(48, '\0');

function str4(t: string, i: number): number {
  return (t.charCodeAt(i) | (t.charCodeAt(i + 1) << 8) | (t.charCodeAt(i + 2) << 16) | (t.charCodeAt(i + 3) << 24)) >>> 0;
}

/** The four registers for a leaf/subleaf: [eax, ebx, ecx, edx]. */
export function cpuidLeaf(leaf: number, sub: number): [number, number, number, number] {
  switch (leaf) {
    case 0: return [4, str4(VENDOR, 0), str4(VENDOR, 8), str4(VENDOR, 4)];
    // family 6, model 0x3a (stepping 9): a plain SSE2-era core to glibc's tuning
    case 1: return [0x000306a9, 0x00010800, CPUID1_ECX, CPUID1_EDX >>> 0];
    case 2: return [0x0000ff01, 0, 0, 0];
    case 4: {
      // type (1 data, 2 instruction, 3 unified), level, ways-1 / partitions-1 / line-1, sets-1
      const caches: [number, number, number, number][] = [[1, 1, 8, 64], [2, 1, 8, 64], [3, 2, 8, 512], [3, 3, 16, 8192]];
      if (sub >= caches.length) return [0, 0, 0, 0];
      const [type, level, ways, sets] = caches[sub];
      return [(type | (level << 5) | (1 << 8)) >>> 0, ((63) | (0 << 12) | ((ways - 1) << 22)) >>> 0, sets - 1, 0];
    }
    case 0x80000000: return [0x80000008, 0, 0, 0];
    case 0x80000001: return [0, 0, 1, ((1 << 11) | (1 << 20) | (1 << 29)) >>> 0];
    case 0x80000002: case 0x80000003: case 0x80000004: {
      const o = (leaf - 0x80000002) * 16;
      return [str4(BRAND, o), str4(BRAND, o + 4), str4(BRAND, o + 8), str4(BRAND, o + 12)];
    }
    case 0x80000008: return [0x3027, 0, 0, 0];
    default: return [0, 0, 0, 0];
  }
}

export function cpuid(c: X86Core): void {
  const [a, b, cc, d] = cpuidLeaf(c.r[0] >>> 0, c.r[2] >>> 0);
  c.writeReg(0, 4, a, 0);
  c.writeReg(3, 4, b, 0);
  c.writeReg(1, 4, cc, 0);
  c.writeReg(2, 4, d, 0);
}
