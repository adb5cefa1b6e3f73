/**
 * Recognition of formats no personality runs, so that a refusal can say what
 * was seen: PE/MZ, Mach-O (thin and universal), Java class files,
 * WebAssembly, a.out, i386 COFF, archives and compressed data, text files,
 * empty files. Every answer is a noun phrase ("PE32 executable for Windows (x86)").
 */
import type { SniffInput } from '../plugin/contracts.js';
import { ascii, readSome, view } from './input.js';

const PE_MACHINES: Record<number, string> = {
  0x14c: 'x86', 0x8664: 'x86-64', 0x1c0: 'ARM', 0x1c2: 'ARM Thumb', 0x1c4: 'ARMv7', 0xaa64: 'ARM64', 0x200: 'IA-64',
  0x5032: 'RISC-V 32', 0x5064: 'RISC-V 64', 0x5128: 'RISC-V 128', 0x166: 'MIPS R4000', 0x169: 'MIPS WCE v2', 0x1f0: 'PowerPC',
  0x1f1: 'PowerPC FP', 0x184: 'Alpha', 0x284: 'Alpha 64', 0xebc: 'EFI byte code', 0x6232: 'LoongArch 32', 0x6264: 'LoongArch 64',
  0x1a2: 'SH3', 0x1a6: 'SH4', 0x268: 'Motorola 68000', 0: 'any machine',
};
const PE_SUBSYSTEMS: Record<number, string> = {
  1: 'native driver', 2: 'GUI', 3: 'console', 5: 'OS/2 console', 7: 'POSIX console', 9: 'Windows CE GUI',
  10: 'EFI application', 11: 'EFI boot service driver', 12: 'EFI runtime driver', 13: 'EFI ROM', 14: 'Xbox', 16: 'boot application',
};

function describePe(input: SniffInput, head: Uint8Array): string {
  if (head.length < 64) return 'DOS MZ executable (truncated header)';
  const lfanew = view(head).getUint32(0x3c, true);
  const sig = readSome(input, lfanew, 4);
  if (lfanew >= 64 && sig.length === 4) {
    const s2 = ascii(sig, 0, 2);
    if (ascii(sig, 0, 4) === 'PE\0\0') {
      const coff = readSome(input, lfanew + 4, 20);
      if (coff.length < 20) return 'PE executable for Windows (truncated COFF header)';
      const cv = view(coff);
      const machine = cv.getUint16(0, true);
      const optSize = cv.getUint16(16, true);
      const chars = cv.getUint16(18, true);
      const opt = readSome(input, lfanew + 24, Math.min(optSize, 240));
      const ov = opt.length >= 2 ? view(opt) : null;
      const magic = ov ? ov.getUint16(0, true) : 0;
      const kind = magic === 0x20b ? 'PE32+' : magic === 0x10b ? 'PE32' : 'PE';
      const subsystem = ov && opt.length >= 70 ? ov.getUint16(68, true) : 0;
      const dirCountAt = magic === 0x20b ? 108 : 92;
      const dirsAt = dirCountAt + 4;
      let dotnet = false;
      if (ov && opt.length >= dirsAt + 15 * 8) {
        const n = ov.getUint32(dirCountAt, true);
        dotnet = n > 14 && ov.getUint32(dirsAt + 14 * 8, true) !== 0;
      }
      const mach = PE_MACHINES[machine] ?? `machine 0x${machine.toString(16)}`;
      const isDll = (chars & 0x2000) !== 0;
      if (subsystem >= 10 && subsystem <= 13) return `${kind} ${PE_SUBSYSTEMS[subsystem]} (${mach})`;
      const what = dotnet ? (isDll ? '.NET assembly DLL' : '.NET assembly') : isDll ? 'DLL' : 'executable';
      const sub = subsystem === 2 || subsystem === 3 ? ` (${PE_SUBSYSTEMS[subsystem]})` : '';
      return `${kind} ${what}${sub} for Windows (${mach})`;
    }
    if (s2 === 'NE') return '16-bit NE executable for Windows 3.x or OS/2';
    if (s2 === 'LE') return 'LE executable for OS/2 or a Windows VxD';
    if (s2 === 'LX') return 'LX executable for OS/2';
  }
  return 'DOS MZ executable';
}

const MACHO_CPUS: Record<number, string> = {
  7: 'i386', 0x01000007: 'x86_64', 12: 'arm', 0x0100000c: 'arm64', 0x0200000c: 'arm64_32', 18: 'ppc', 0x01000012: 'ppc64',
  6: 'm68k', 14: 'sparc', 13: 'm88k', 8: 'mips', 11: 'hppa', 10: 'mc98000', 15: 'i860',
};
const MACHO_TYPES: Record<number, string> = {
  1: 'object', 2: 'executable', 3: 'fixed VM library', 4: 'core dump', 5: 'preload executable', 6: 'dynamic library',
  7: 'dynamic linker', 8: 'bundle', 9: 'dynamic library stub', 10: 'dSYM companion', 11: 'kext bundle', 12: 'fileset',
};
const cpuName = (t: number) => MACHO_CPUS[t] ?? `cputype 0x${(t >>> 0).toString(16)}`;

function describeMachO(head: Uint8Array): string | null {
  if (head.length < 8) return null;
  const dv = view(head);
  const be = dv.getUint32(0, false);
  if (be === 0xfeedface || be === 0xfeedfacf || be === 0xcefaedfe || be === 0xcffaedfe) {
    const le = be === 0xcefaedfe || be === 0xcffaedfe;
    const bits = be === 0xfeedfacf || be === 0xcffaedfe ? '64-bit' : '32-bit';
    if (head.length < 16) return `Mach-O ${bits} file (truncated header)`;
    const cpu = dv.getInt32(4, le) >>> 0;
    const ft = dv.getUint32(12, le);
    return `Mach-O ${bits} ${MACHO_TYPES[ft] ?? `file of type ${ft}`} for macOS (${cpuName(cpu)})`;
  }
  if (be === 0xcafebabe || be === 0xcafebabf) {
    const n = dv.getUint32(4, false);
    if (n === 0 || n >= 45) return null; // a Java class file (major version >= 45)
    const entry = be === 0xcafebabf ? 32 : 20;
    const arches: string[] = [];
    for (let i = 0; i < Math.min(n, 8); i++) {
      const o = 8 + i * entry;
      if (o + 4 > head.length) break;
      arches.push(cpuName(dv.getUint32(o, false)));
    }
    return `Mach-O universal binary with ${n} architecture${n === 1 ? '' : 's'}${arches.length ? ` (${arches.join(', ')})` : ''} for macOS`;
  }
  return null;
}

const JAVA_VERSIONS = (major: number) => (major >= 49 ? `Java ${major - 44}` : `Java 1.${major - 44}`);
const AOUT_MACHINES: Record<number, string> = { 0: 'old Sun-2/VAX', 1: '68010', 2: '68020', 3: 'SPARC', 100: 'i386', 151: 'MIPS1', 152: 'MIPS2' };
const AOUT_MAGICS: Record<number, string> = { 0o407: 'OMAGIC', 0o410: 'NMAGIC', 0o413: 'ZMAGIC', 0o314: 'QMAGIC' };

/**
 * Names a non-ELF, non-script, non-PEF file: a noun phrase, or a generic
 * description ("data file starting with 12 34 56 78") when nothing matches.
 */
export function identifyFormat(input: SniffInput): string {
  const h = input.head;
  if (input.size === 0) return 'empty file';
  const a4 = ascii(h, 0, 4);
  if (h.length >= 2 && h[0] === 0x4d && h[1] === 0x5a) return describePe(input, h);
  const macho = describeMachO(h);
  if (macho) return macho;
  if (h.length >= 8 && view(h).getUint32(0, false) === 0xcafebabe) {
    const minor = view(h).getUint16(4, false), major = view(h).getUint16(6, false);
    return `Java class file (version ${major}.${minor}, ${JAVA_VERSIONS(major)}); run it with a JVM`;
  }
  if (a4 === '\0asm') {
    const v = h.length >= 8 ? view(h).getUint32(4, true) : 0;
    return `WebAssembly ${v === 1 ? 'module' : v === 0x1000d ? 'component' : 'binary'} (version ${v})`;
  }
  if (ascii(h, 0, 8) === 'Joy!peff') return 'PEF container';
  if (a4 === 'Joy!') return 'PEF resource file';
  if (ascii(h, 0, 8) === '!<arch>\n') return ascii(h, 8, 13) === 'debian-binary' ? 'Debian package (ar archive)' : 'ar archive (static library)';
  if (a4 === 'hpkg') return 'Haiku package (hpkg)';
  if (a4 === 'PK\x03\x04') return 'ZIP archive (or JAR)';
  if (h[0] === 0x1f && h[1] === 0x8b) return 'gzip-compressed data';
  if (ascii(h, 0, 6) === '\xfd7zXZ\0') return 'xz-compressed data';
  if (ascii(h, 0, 3) === 'BZh') return 'bzip2-compressed data';
  if (a4 === '\x28\xb5\x2f\xfd') return 'zstd-compressed data';
  if (a4 === '%PDF') return 'PDF document';
  if (ascii(h, 0, 8) === '\x89PNG\r\n\x1a\n') return 'PNG image';
  if (input.size >= 32 && h.length >= 32) {
    const dv = view(h);
    const w = dv.getUint32(0, true);
    const magic = w & 0xffff, mach = (w >>> 16) & 0xff;
    if (AOUT_MAGICS[magic] && AOUT_MACHINES[mach] !== undefined && mach !== 0) {
      return `a.out ${AOUT_MAGICS[magic]} executable (${AOUT_MACHINES[mach]})`;
    }
    const nscns = dv.getUint16(2, true), opt = dv.getUint16(16, true);
    if (magic === 0x14c && nscns > 0 && nscns < 100 && (opt === 0 || opt === 28 || opt === 224)) {
      return `COFF ${opt ? 'executable' : 'object file'} (i386)`;
    }
  }
  if (h.length >= 2 && h[0] === 0x23 && h[1] === 0x21) return 'script with an unusable #! line';
  if (looksLikeText(h)) return 'text file without a #! line';
  const bytes = Array.from(h.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `file of unknown format (first bytes ${bytes})`;
}

function looksLikeText(h: Uint8Array): boolean {
  if (h.length === 0) return false;
  let bad = 0;
  for (const c of h) {
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) bad++;
  }
  if (bad > h.length / 100) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(h.length >= 4096 ? h.subarray(0, h.length - 4) : h);
    return true;
  } catch {
    return bad === 0 && h.every((c) => c < 0x80 || c >= 0xa0);
  }
}
