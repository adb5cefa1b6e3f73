/**
 * `#!` scripts, parsed as Linux's binfmt_script does: only the first 256
 * bytes are looked at; the interpreter path ends at a space, tab or NUL; the
 * rest of the line (trailing spaces/tabs stripped, internal ones kept) is ONE
 * optional argument. A carriage return is NOT stripped ("/bin/sh\r" is the
 * interpreter then, as on Linux).
 */
import type { Claim, SniffInput, Sniffer } from '../plugin/contracts.js';

export const SHEBANG_BUF_SIZE = 256;
/** Linux allows this many interpreter substitutions before failing with ELOOP. */
export const MAX_INTERPRETER_DEPTH = 4;

export type Shebang =
  | { ok: true; interpreter: string; argument: string | null }
  | { ok: false; reason: string };

const isSpTab = (c: number | undefined) => c === 0x20 || c === 0x09;
const isTerm = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0;

function str(b: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    let s = '';
    for (const c of b) s += String.fromCharCode(c);
    return s;
  }
}

/** Parses a `#!` line; null when the bytes do not start with "#!". */
export function parseShebang(head: Uint8Array): Shebang | null {
  if (head.length < 2 || head[0] !== 0x23 || head[1] !== 0x21) return null;
  // The kernel's buffer is zero-filled past the end of a short file.
  let buf = head.subarray(0, Math.min(SHEBANG_BUF_SIZE, head.length));
  if (buf.length < SHEBANG_BUF_SIZE) {
    const padded = new Uint8Array(SHEBANG_BUF_SIZE);
    padded.set(buf);
    buf = padded;
  }
  let end = buf.indexOf(0x0a);
  if (end < 0) {
    let i = 2;
    while (i < buf.length && isSpTab(buf[i])) i++;
    if (i >= buf.length) return { ok: false, reason: 'the #! line names no interpreter' };
    let j = i;
    while (j < buf.length && !isTerm(buf[j])) j++;
    if (j >= buf.length) {
      return { ok: false, reason: `the #! interpreter path does not fit in the first ${SHEBANG_BUF_SIZE} bytes` };
    }
    end = buf.length;
  }
  // C-string semantics: the kernel NUL-terminates the line at `end`.
  while (end > 2 && isSpTab(buf[end - 1])) end--;
  let i = 2;
  while (i < end && isSpTab(buf[i])) i++;
  if (i >= end || buf[i] === 0) return { ok: false, reason: 'the #! line names no interpreter' };
  let j = i;
  while (j < end && !isTerm(buf[j])) j++;
  const interpreter = str(buf.subarray(i, j));
  let k = j < end ? j + 1 : j;
  while (k < end && isSpTab(buf[k])) k++;
  let argument: string | null = null;
  if (k < end) {
    let z = k;
    while (z < end && buf[z] !== 0) z++;
    argument = z > k ? str(buf.subarray(k, z)) : null;
  }
  return { ok: true, interpreter, argument };
}

/** The built-in `#!` sniffer: a script claim carries the interpreter and its argument in `abi`. */
export const scriptSniffer: Sniffer = {
  name: 'script',
  sniff(input: SniffInput): Claim | null {
    const sb = parseShebang(input.head);
    if (!sb || !sb.ok) return null;
    return {
      format: 'script',
      isa: null,
      machineName: 'script',
      endian: 'little',
      wordSize: 64,
      personality: null,
      abi: { interpreter: sb.interpreter, argument: sb.argument },
      confidence: 100,
    };
  },
};

export type ScriptResolution =
  | { ok: true; interpreter: string; argv: string[] }
  | { ok: false; status: 126; message: string };

/**
 * Linux's argv rewrite for a script: [interpreter, optional-argument, scriptPath, argv[1..]].
 * `depth` is how many interpreters were already substituted in this exec.
 */
export function resolveScript(claim: Claim, scriptPath: string, argv: readonly string[], depth = 0): ScriptResolution {
  if (claim.format !== 'script' || typeof claim.abi['interpreter'] !== 'string') {
    return { ok: false, status: 126, message: 'not a #! script' };
  }
  if (depth >= MAX_INTERPRETER_DEPTH) {
    return { ok: false, status: 126, message: 'too many levels of #! interpreters' };
  }
  const interpreter = claim.abi['interpreter'] as string;
  const arg = claim.abi['argument'];
  const out = [interpreter];
  if (typeof arg === 'string') out.push(arg);
  out.push(scriptPath, ...argv.slice(1));
  return { ok: true, interpreter, argv: out };
}
