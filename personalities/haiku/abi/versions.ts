/**
 * Haiku's image ABI markers: the values of `_gSharedObjectHaikuABI` and
 * `_gSharedObjectHaikuVersion`, and the `.comment` fallback for images that
 * lack them (BeOS, very old Haiku), as runtime_loader decides (reference §4).
 */
export const B_HAIKU_ABI_MAJOR = 0xffff0000;
export const B_HAIKU_ABI_GCC_2 = 0x00020000;
export const B_HAIKU_ABI_GCC_4 = 0x00040000;
export const B_HAIKU_ABI_GCC_2_ANCIENT = 0x00020000;
export const B_HAIKU_ABI_GCC_2_BEOS = 0x00020001;
export const B_HAIKU_ABI_GCC_2_HAIKU = 0x00020002;

export interface HaikuAbiInfo {
  /** 'gcc2' | 'gcc4' | 'gccN' | 'unknown' */
  abi: string;
  /** Raw ABI value (symbol, or derived from .comment). */
  abiValue: number | null;
  /** Finer name for gcc2 images: 'ancient' | 'beos' | 'haiku'. */
  gcc2Flavor?: string;
  /** Where it came from: 'symbol' | 'comment' | 'x86-default' | 'none'. */
  source: string;
  /** API version name ("R1", "R1/beta1"...), from _gSharedObjectHaikuVersion. */
  version: string | null;
  versionValue: number | null;
}

const VERSIONS: Array<[number, string]> = [
  [0x10000, 'R1'], [0x401, 'R1/pre-beta1'], [0x400, 'R1/alpha4'], [0x300, 'R1/alpha3'], [0x200, 'R1/alpha2'],
  [0x100, 'R1/alpha1'], [3, 'BeOS Dano'], [2, 'BeOS BONE'], [1, 'BeOS'],
];

/** Names a _gSharedObjectHaikuVersion value (the nearest release at or below it). */
export function versionName(v: number): string {
  if (v === 0x500) return 'R1/beta1';
  for (const [n, name] of VERSIONS) {
    if (v === n) return name;
    if (v > n) return `${name}+ (0x${v.toString(16)})`;
  }
  return `0x${v.toString(16)}`;
}

export function abiName(v: number): { abi: string; gcc2Flavor?: string } {
  const major = (v & B_HAIKU_ABI_MAJOR) >>> 16;
  if (major === 2) {
    const flavor = v === B_HAIKU_ABI_GCC_2_BEOS ? 'beos' : v === B_HAIKU_ABI_GCC_2_HAIKU ? 'haiku' : 'ancient';
    return { abi: 'gcc2', gcc2Flavor: flavor };
  }
  if (major === 0) return { abi: 'unknown' };
  return { abi: `gcc${major}` };
}

/** ABI from .comment strings ("GCC: (GNU) 2.9-beos-991026", "2.95.3-haiku-080322", "4.1.2"). */
export function abiFromComment(comment: readonly string[]): number | null {
  for (const c of comment) {
    const m = /GCC: \([^)]*\) (\d+)\.(\d+)(\S*)/.exec(c);
    if (!m) continue;
    const major = Number(m[1]);
    const minor = Number(m[2]);
    if (major === 2) {
      if (minor < 95) return B_HAIKU_ABI_GCC_2_ANCIENT;
      return /haiku/i.test(m[3]) ? B_HAIKU_ABI_GCC_2_HAIKU : B_HAIKU_ABI_GCC_2_BEOS;
    }
    return (major << 16) >>> 0;
  }
  return null;
}
