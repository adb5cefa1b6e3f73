/**
 * Human and JSON renderings of a claim, for `compat sniff` and refusals.
 *   "ELF64 RISC-V little-endian, Linux, static-pie, interpreter none"
 *   "ELF32 MIPS little-endian, Linux, static — no ISA core for mips"
 *   "ELF64 x86-64 little-endian, Linux, dynamic (interpreter /lib64/ld-linux-x86-64.so.2; needs libc.so.6), PIE — no ISA core for x86_64"
 */
import type { Claim } from '../plugin/contracts.js';
import { oneLine } from './errors.js';

export interface DescribeOptions {
  /** Whether an ISA core for claim.isa (and endianness) is registered. */
  coreAvailable: boolean;
}

const PERSONALITY_NAMES: Record<string, string> = {
  linux: 'Linux', haiku: 'Haiku', beos: 'BeOS', freebsd: 'FreeBSD', netbsd: 'NetBSD', openbsd: 'OpenBSD', solaris: 'Solaris',
  macos: 'classic Mac OS',
};

export function personalityDisplayName(p: string | null): string {
  return p === null ? 'unknown OS' : PERSONALITY_NAMES[p] ?? p;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The claim as text without the ISA-core remark. */
function body(claim: Claim): string {
  const abi = claim.abi;
  const os = str(abi['os']) ?? personalityDisplayName(claim.personality);
  if (claim.format === 'script') {
    const arg = str(abi['argument']);
    return `#! script for ${str(abi['interpreter']) ?? '?'}${arg !== null ? ` (argument "${arg}")` : ''}`;
  }
  if (claim.format === 'ELF') {
    const kind = str(abi['kind']) ?? 'executable';
    const parts = [`ELF${claim.wordSize} ${claim.machineName} ${claim.endian}-endian${kind !== 'executable' ? ' ' + kind : ''}`, os];
    if (kind === 'executable' || kind === 'shared object') {
      const linkage = str(abi['linkage']);
      const interp = str(abi['interp']);
      const needed = strList(abi['needed']);
      if (linkage === 'static') parts.push('static');
      else if (linkage === 'static-pie') parts.push('static-pie, interpreter none');
      else if (linkage === 'dynamic') {
        parts.push(`dynamic (interpreter ${interp ?? 'none'}${needed.length ? `; needs ${needed.join(', ')}` : ''})`);
        if (abi['pie'] === true) parts.push('PIE');
      }
    }
    return parts.join(', ');
  }
  const needed = strList(abi['needed']);
  const parts = [`${claim.format} ${claim.machineName} ${claim.endian}-endian`, os];
  if (needed.length) parts.push(`needs ${needed.join(', ')}`);
  return parts.join(', ');
}

export function describeClaim(claim: Claim, opts: DescribeOptions): string {
  let s = body(claim);
  if (!opts.coreAvailable && claim.format !== 'script' && claim.isa !== null) {
    s += claim.isa === 'other' ? ` — no ISA core for ${claim.machineName}` : ` — no ISA core for ${claim.isa}`;
  }
  return oneLine(s, 400);
}

/** Short form used in refusals ("ELF64 x86-64 little-endian, FreeBSD, static"). */
export function describeClaimShort(claim: Claim): string {
  return oneLine(body(claim), 240);
}

export interface ClaimJson {
  path: string | null;
  format: string;
  isa: string | null;
  machine: string;
  endian: string;
  wordSize: number;
  personality: string | null;
  abi: Record<string, unknown>;
  coreAvailable: boolean;
  description: string;
}

/** The stable JSON shape of `compat sniff --json`. */
export function claimToJson(claim: Claim, opts: { path?: string; coreAvailable?: boolean } = {}): ClaimJson {
  const coreAvailable = opts.coreAvailable ?? false;
  return {
    path: opts.path ?? null,
    format: claim.format,
    isa: claim.isa,
    machine: claim.machineName,
    endian: claim.endian,
    wordSize: claim.wordSize,
    personality: claim.personality,
    abi: JSON.parse(JSON.stringify(claim.abi, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Array.from(v) : v))),
    coreAvailable,
    description: describeClaim(claim, { coreAvailable }),
  };
}
