/**
 * ELF branding: which OS an ELF file was built for, in the order FreeBSD's
 * image activator uses (ABI note, EI_OSABI / old brand string, interpreter
 * path, fallback), with Haiku's markers checked first because Haiku ELF is
 * otherwise unbranded (EI_OSABI 0, no note).
 */
import type { SniffInput } from '../plugin/contracts.js';
import { findDynamicSymbol, readDynamicSymbolU32, type ElfInfo } from './elf.js';

export interface ElfBrand {
  /** Personality name ('linux', 'haiku', 'freebsd', ...) or null when unknown. */
  personality: string | null;
  /** Display name of the OS ("Linux", "FreeBSD", "Haiku"). */
  os: string;
  /** What decided it: 'abi-note', 'osabi', 'brand-string', 'interp', 'vendor-note', 'haiku-markers', 'fallback', 'none'. */
  reason: string;
}

/** Linux program interpreters (glibc, musl, uClibc; all arches). */
export const LINUX_INTERP =
  /^\/(?:usr\/)?(?:lib|lib32|lib64|libx32)\/(?:ld-linux[^/]*\.so\.\d+|ld\.so\.1|ld64\.so\.\d+|ld-musl-[^/]+\.so\.1|ld-uClibc[^/]*\.so(?:\.\d+)?)$/;

export function isLinuxInterp(path: string | null): boolean {
  return path !== null && LINUX_INTERP.test(path);
}

const OTHER_INTERPS: Array<[RegExp, string, string]> = [
  [/^\/libexec\/ld-elf(32)?\.so\.1$/, 'freebsd', 'FreeBSD'],
  [/^\/usr\/libexec\/ld\.elf_so$/, 'netbsd', 'NetBSD'],
  [/^\/usr\/libexec\/ld\.so$/, 'openbsd', 'OpenBSD'],
  [/^\/usr\/lib\/(amd64\/|64\/|sparcv9\/)?ld\.so\.1$/, 'solaris', 'Solaris'],
  [/^\/system\/runtime_loader$/, 'haiku', 'Haiku'],
  [/^\/usr\/lib\/libc\.so$/, 'qnx', 'QNX'],
];

const OSABI_BRANDS: Record<number, [string, string]> = {
  1: ['hpux', 'HP-UX'], 2: ['netbsd', 'NetBSD'], 3: ['linux', 'Linux'], 4: ['hurd', 'GNU/Hurd'], 6: ['solaris', 'Solaris'],
  7: ['aix', 'AIX'], 8: ['irix', 'IRIX'], 9: ['freebsd', 'FreeBSD'], 10: ['tru64', 'Tru64'], 11: ['modesto', 'Novell Modesto'],
  12: ['openbsd', 'OpenBSD'], 13: ['openvms', 'OpenVMS'], 14: ['nsk', 'HP NonStop Kernel'], 15: ['aros', 'AROS'],
  16: ['fenixos', 'FenixOS'], 17: ['cloudabi', 'CloudABI'], 18: ['openvos', 'OpenVOS'],
};
const NOTE_OS: Record<number, [string, string]> = {
  0: ['linux', 'Linux'], 1: ['hurd', 'GNU/Hurd'], 2: ['solaris', 'Solaris'], 3: ['freebsd', 'FreeBSD'], 4: ['netbsd', 'NetBSD'],
};
const VENDOR_NOTES: Record<string, [string, string]> = {
  FreeBSD: ['freebsd', 'FreeBSD'], NetBSD: ['netbsd', 'NetBSD'], OpenBSD: ['openbsd', 'OpenBSD'], DragonFly: ['dragonfly', 'DragonFly BSD'],
};

export const HAIKU_ABI_SYMBOL = '_gSharedObjectHaikuABI';
export const HAIKU_VERSION_SYMBOL = '_gSharedObjectHaikuVersion';

export interface HaikuMarkers {
  libroot: boolean;
  abiSymbol: number | null;
  versionSymbol: number | null;
  runtimeLoader: boolean;
  appSoname: boolean;
}

/** Haiku/BeOS signs: DT_NEEDED libroot.so, the ABI symbols, PT_INTERP /system/runtime_loader, DT_SONAME "_APP_". */
export function haikuMarkers(info: ElfInfo, input: SniffInput): HaikuMarkers | null {
  const libroot = info.dynamic?.needed.some((n) => n === 'libroot.so' || n.startsWith('libroot.so.')) ?? false;
  const runtimeLoader = info.interp === '/system/runtime_loader';
  const appSoname = info.dynamic?.soname === '_APP_';
  let abiSymbol: number | null = null;
  let versionSymbol: number | null = null;
  const libc = info.dynamic?.needed.some((n) => /^libc\.so/.test(n)) ?? false;
  if (info.dynamic && !libc) {
    if (findDynamicSymbol(info, input, HAIKU_ABI_SYMBOL)) {
      abiSymbol = readDynamicSymbolU32(info, input, HAIKU_ABI_SYMBOL);
      versionSymbol = readDynamicSymbolU32(info, input, HAIKU_VERSION_SYMBOL);
      if (abiSymbol === null) abiSymbol = 0;
    }
  }
  if (!libroot && !runtimeLoader && abiSymbol === null && !appSoname) return null;
  return { libroot, abiSymbol, versionSymbol, runtimeLoader, appSoname };
}

export function elfBrand(info: ElfInfo, input: SniffInput): ElfBrand {
  if (haikuMarkers(info, input)) return { personality: 'haiku', os: 'Haiku', reason: 'haiku-markers' };
  if (info.abiTag) {
    const b = NOTE_OS[info.abiTag.osCode];
    if (b) return { personality: b[0], os: b[1], reason: 'abi-note' };
  }
  for (const n of info.notes) {
    const v = VENDOR_NOTES[n.name];
    if (v) return { personality: v[0], os: v[1], reason: 'vendor-note' };
  }
  const ob = OSABI_BRANDS[info.osabi];
  if (ob) return { personality: ob[0], os: ob[1], reason: 'osabi' };
  if (info.identBrand === 'Linux') return { personality: 'linux', os: 'Linux', reason: 'brand-string' };
  if (info.identBrand === 'FreeBSD') return { personality: 'freebsd', os: 'FreeBSD', reason: 'brand-string' };
  if (info.interp !== null) {
    if (isLinuxInterp(info.interp)) return { personality: 'linux', os: 'Linux', reason: 'interp' };
    for (const [re, p, os] of OTHER_INTERPS) if (re.test(info.interp)) return { personality: p, os, reason: 'interp' };
    return { personality: null, os: 'an unknown OS', reason: 'none' };
  }
  if (info.osabi === 0) return { personality: 'linux', os: 'Linux', reason: 'fallback' };
  return { personality: null, os: info.osabiName, reason: 'none' };
}
