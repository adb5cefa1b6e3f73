/**
 * Which Haiku syscall numbering a guest uses. Haiku's numbers are not a
 * stable ABI (they follow declaration order in the private syscalls.h), so
 * the numbering comes from the guest's own libroot.so: each `_kern_<name>`
 * stub starts with `li t0, N` (`addi t0, zero, N`, or the 2-byte `c.li t0, N`).
 * The stubs are matched against the shipped 2022/2024 tables; when neither
 * agrees, the stubs themselves are the numbering. Without a libroot, a
 * setting (COMPAT_HAIKU_ABI=2022|2024) chooses, default 2024.
 */
import { HAIKU_SYSCALLS_2022 } from './syscalls-2022.js';
import { HAIKU_SYSCALLS_2024 } from './syscalls-2024.js';

export type NumberingName = '2022' | '2024' | 'libroot';

export interface Numbering {
  name: NumberingName;
  /** number → call name (without `_kern_`) */
  byNumber: ReadonlyMap<number, string>;
  byName: ReadonlyMap<string, number>;
  /** How it was chosen, for the log. */
  source: string;
}

export const HAIKU_TABLES: Readonly<Record<'2022' | '2024', readonly string[]>> = {
  '2022': HAIKU_SYSCALLS_2022,
  '2024': HAIKU_SYSCALLS_2024,
};

function fromList(name: NumberingName, list: readonly string[] | ReadonlyMap<number, string>, source: string): Numbering {
  const byNumber = new Map<number, string>(Array.isArray(list) ? list.map((n, i) => [i, n] as [number, string]) : [...(list as ReadonlyMap<number, string>)]);
  const byName = new Map<string, number>([...byNumber].map(([k, v]) => [v, k]));
  return { name, byNumber, byName, source };
}

export function tableNumbering(year: '2022' | '2024', source: string): Numbering {
  return fromList(year, HAIKU_TABLES[year], source);
}

/** Decodes the syscall number a riscv64 `_kern_*` stub loads into t0, or null. */
export function stubNumber(code: Uint8Array): number | null {
  if (code.length < 2) return null;
  const h = code[0] | (code[1] << 8);
  if ((h & 3) !== 3) {
    // c.li rd, imm: funct3 010, op 01, rd in bits 11..7
    if ((h & 0xe003) === 0x4001 && ((h >> 7) & 31) === 5) {
      const imm = ((h >> 2) & 31) | (((h >> 12) & 1) << 5);
      return imm & 0x20 ? imm - 64 : imm;
    }
    return null;
  }
  if (code.length < 4) return null;
  const w = (h | (code[2] << 16) | (code[3] << 24)) >>> 0;
  // addi t0, zero, imm
  if ((w & 0xfffff) === 0x00293) return w >> 20;
  // lui t0, hi ; addiw/addi t0, t0, lo (numbers ≥ 2048)
  if ((w & 0xfff) === 0x2b7 && code.length >= 8) {
    const w2 = (code[4] | (code[5] << 8) | (code[6] << 16) | (code[7] << 24)) >>> 0;
    if ((w2 & 0xfffff) === 0x28293 || (w2 & 0xfffff) === 0x2829b) return (w & 0xfffff000) + (w2 >> 20);
  }
  return null;
}

/**
 * Picks the numbering from `stubs` (call name → number found in the guest's
 * libroot): a shipped table that agrees with every stub, else the stubs.
 */
export function chooseNumbering(stubs: ReadonlyMap<string, number>, fallback: '2022' | '2024', what: string): Numbering {
  if (stubs.size === 0) return tableNumbering(fallback, `setting (no _kern_* stubs in ${what})`);
  for (const year of ['2024', '2022'] as const) {
    const t = HAIKU_TABLES[year];
    let ok = true;
    for (const [name, n] of stubs) if (t[n] !== name) { ok = false; break; }
    if (ok) return tableNumbering(year, `${what}: ${stubs.size} _kern_* stubs match the ${year} table`);
  }
  const byNumber = new Map<number, string>();
  for (const [name, n] of stubs) byNumber.set(n, name);
  return fromList('libroot', byNumber, `${what}: ${stubs.size} _kern_* stubs match neither shipped table; using the stubs' own numbers`);
}

/** Every call name either table knows (the stubs looked up in a libroot). */
export function allCallNames(): string[] {
  return [...new Set([...HAIKU_SYSCALLS_2022, ...HAIKU_SYSCALLS_2024])];
}

/** COMPAT_HAIKU_ABI: the jail-level setting until jails carry it. */
export function numberingSetting(env: NodeJS.ProcessEnv = process.env): '2022' | '2024' {
  const v = env['COMPAT_HAIKU_ABI'];
  if (v === '2022' || v === '2024') return v;
  return '2024';
}
