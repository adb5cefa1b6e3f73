/**
 * The Linux personality's synthetic /proc files: what a guest reads there
 * describes the guest, not the Node process hosting it — its own memory map
 * (/proc/self/maps), the CPU compat emulates (/proc/cpuinfo), memory as the
 * jail limits it (/proc/meminfo). Content only; the files server serves it.
 */
import { freemem, totalmem } from 'node:os';
import type { RegionMap } from '../../src/memory/regions.js';
import type { LinuxArch } from './abi/arch.js';

const hex = (n: number, w = 8): string => n.toString(16).padStart(w, '0');

export function procMaps(regions: RegionMap, toGuest: (p: string) => string): string {
  const lines: string[] = [];
  for (const r of regions.list()) {
    const perms = `${r.prot & 1 ? 'r' : '-'}${r.prot & 2 ? 'w' : '-'}${r.prot & 4 ? 'x' : '-'}${r.shared ? 's' : 'p'}`;
    const name = r.name.startsWith('/') ? toGuest(r.name) : r.name;
    const off = r.shared ? r.shared.fileOffset : 0;
    const head = `${hex(r.start)}-${hex(r.end)} ${perms} ${hex(off)} 00:00 0`;
    lines.push(name ? `${head.padEnd(73)}${name}` : head);
  }
  return lines.join('\n') + '\n';
}

export function procCpuinfo(arch: LinuxArch): string {
  if (arch.isa === 'riscv64') {
    return 'processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc_zicsr_zifencei\nmmu\t\t: sv39\nuarch\t\t: compat,interpreter\n\n';
  }
  if (arch.isa === 'mips') {
    return 'system type\t\t: compat MIPS\nmachine\t\t\t: compat\nprocessor\t\t: 0\ncpu model\t\t: MIPS 24Kf V7.4  FPU V0.0\n' +
      'BogoMIPS\t\t: 100.00\nwait instruction\t: no\nmicrosecond timers\t: yes\ntlb_entries\t\t: 64\nisa\t\t\t: mips1 mips2 mips32r1 mips32r2\n' +
      'ASEs implemented\t:\nshadow register sets\t: 1\nkscratch registers\t: 0\npackage\t\t\t: 0\ncore\t\t\t: 0\nVCED exceptions\t\t: not available\nVCEI exceptions\t\t: not available\n\n';
  }
  if (arch.isa === 'aarch64') {
    // the Features line follows AT_HWCAP (abi/aarch64.ts); MIDR as sysreg.ts reports it (Cortex-A53 r0p4)
    return 'processor\t: 0\nBogoMIPS\t: 100.00\nFeatures\t: fp asimd crc32 atomics cpuid\nCPU implementer\t: 0x41\n' +
      'CPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd03\nCPU revision\t: 4\n\n';
  }
  return `processor\t: 0\nmodel name\t: compat ${arch.isa}\n\n`;
}

export function procMeminfo(limit: number | null): string {
  const kb = (n: number): string => `${Math.floor(n / 1024)}`.padStart(8) + ' kB';
  const total = limit ? Math.min(limit, totalmem()) : totalmem();
  const free = Math.min(freemem(), total);
  return `MemTotal:       ${kb(total)}\nMemFree:        ${kb(free)}\nMemAvailable:   ${kb(free)}\nBuffers:        ${kb(0)}\nCached:         ${kb(0)}\n` +
    `SwapTotal:      ${kb(0)}\nSwapFree:       ${kb(0)}\n`;
}

/** The synthetic-file provider for one process. */
export function linuxProcFiles(pid: number, regions: RegionMap, arch: LinuxArch, toGuest: (p: string) => string, memoryLimit: number | null): (p: string) => Uint8Array | null {
  return (p) => {
    if (p === '/proc/cpuinfo') return Buffer.from(procCpuinfo(arch));
    if (p === '/proc/meminfo') return Buffer.from(procMeminfo(memoryLimit));
    const m = /^\/proc\/(self|thread-self|\d+)\/maps$/.exec(p);
    if (m && (m[1] === 'self' || m[1] === 'thread-self' || Number(m[1]) === pid)) return Buffer.from(procMaps(regions, toGuest));
    return null;
  };
}
