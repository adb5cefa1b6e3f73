/**
 * The exec front-end: read the head of a file, ask every sniffer, pick the
 * best claim, or refuse with a shell-like status and one sentence.
 *   127  the file does not exist ("No such file or directory")
 *   126  it exists but cannot be executed: a directory, no execute permission
 *        (only when `forExec`), an unknown, foreign or malformed format.
 * Built-in recognizers (`#!` scripts, PEF, generic ELF) always take part, after
 * the sniffers passed in; a claim marked `abi.recognizedOnly` (nobody's
 * personality sniffer claimed the file) is a refusal for exec and a report for sniff.
 */
import * as fs from 'node:fs';
import type { Claim, SniffInput, Sniffer } from '../plugin/contracts.js';
import { ExecFormatError, oneLine } from './errors.js';
import { isElf, parseElf, type ElfInfo } from './elf.js';
import { genericElfSniffer } from './elf-sniffer.js';
import { identifyFormat } from './formats.js';
import { isPef, parsePef, pefSniffer } from './pef.js';
import { MAX_INTERPRETER_DEPTH, parseShebang, resolveScript, scriptSniffer } from './script.js';
import { describeClaimShort } from './describe.js';

export { resolveScript, MAX_INTERPRETER_DEPTH } from './script.js';

export type SniffOutcome =
  | { ok: true; claim: Claim; info?: ElfInfo }
  | { ok: false; status: 126 | 127; message: string };

export interface SniffOptions {
  /** For `compat exec` (default true): require execute permission and a personality's claim. */
  forExec?: boolean;
  /** Bytes read up front (default 4096). */
  headSize?: number;
  /** Add the built-in recognizers (script, PEF, generic ELF); default true. */
  builtins?: boolean;
  /** Where an absolute `#!` interpreter (a guest path) is on the host: a jail's root or sysroot (default: as named). */
  interpreterPath?: (guestPath: string) => string;
  /** The name the guest gave the file (a `#!` script's interpreter gets it as its argument); default: the path. */
  scriptName?: string;
}

export const HEAD_SIZE = 4096;
export const builtinSniffers: readonly Sniffer[] = [scriptSniffer, pefSniffer, genericElfSniffer];

const ERRNO_TEXT: Record<string, [126 | 127, string]> = {
  ENOENT: [127, 'No such file or directory'],
  ENOTDIR: [126, 'Not a directory'],
  EACCES: [126, 'Permission denied'],
  EPERM: [126, 'Operation not permitted'],
  ELOOP: [126, 'Too many levels of symbolic links'],
  ENAMETOOLONG: [126, 'File name too long'],
  EISDIR: [126, 'Is a directory'],
  EIO: [126, 'Input/output error'],
};

function fail(status: 126 | 127, message: string): SniffOutcome {
  return { ok: false, status, message: oneLine(message) };
}

function fsFailure(e: unknown): SniffOutcome {
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  const known = ERRNO_TEXT[code];
  if (known) return fail(known[0], known[1]);
  return fail(126, `cannot be read (${code || (e as Error)?.message || 'unknown error'})`);
}

/** Sniffs the file at `path`. Never throws. */
export function sniffFile(path: string, sniffers: readonly Sniffer[], opts: SniffOptions = {}): SniffOutcome {
  const forExec = opts.forExec ?? true;
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch (e) {
    return fsFailure(e);
  }
  if (st.isDirectory()) return fail(126, 'Is a directory');
  if (!st.isFile()) return fail(126, forExec ? 'Permission denied (not a regular file)' : 'not a regular file');
  if (forExec) {
    try {
      fs.accessSync(path, fs.constants.X_OK);
    } catch {
      return fail(126, 'Permission denied');
    }
  }
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    return fsFailure(e);
  }
  try {
    const size = st.size;
    const headLen = Math.min(size, opts.headSize ?? HEAD_SIZE);
    const head = new Uint8Array(headLen);
    let got = 0;
    while (got < headLen) {
      const n = fs.readSync(fd, head, got, headLen - got, got);
      if (n <= 0) break;
      got += n;
    }
    const input: SniffInput = {
      path,
      head: head.subarray(0, got),
      size: got < headLen ? got : size,
      read(offset: number, len: number): Uint8Array {
        if (!(offset >= 0) || !(len > 0) || offset >= size) return new Uint8Array(0);
        const n = Math.min(len, size - offset, 64 << 20);
        const buf = new Uint8Array(n);
        let r = 0;
        while (r < n) {
          const k = fs.readSync(fd, buf, r, n - r, offset + r);
          if (k <= 0) break;
          r += k;
        }
        return buf.subarray(0, r);
      },
    };
    return sniffInput(input, sniffers, opts);
  } catch (e) {
    return fsFailure(e);
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}

/** Sniffs an already-opened input (also used by tests on in-memory bytes). Never throws. */
export function sniffInput(input: SniffInput, sniffers: readonly Sniffer[], opts: SniffOptions = {}): SniffOutcome {
  const forExec = opts.forExec ?? true;
  const all = opts.builtins === false ? [...sniffers] : [...sniffers, ...builtinSniffers.filter((b) => !sniffers.includes(b))];
  let best: Claim | null = null;
  for (const s of all) {
    let c: Claim | null = null;
    try {
      c = s.sniff(input);
    } catch {
      c = null; // a faulty sniffer must not take the front-end down
    }
    if (c && (!best || c.confidence > best.confidence)) best = c;
  }
  let info: ElfInfo | undefined;
  if (isElf(input.head)) {
    try {
      info = parseElf(input);
    } catch (e) {
      if (!best || best.format === 'ELF') return fail(126, e instanceof ExecFormatError ? e.message : 'malformed ELF file');
    }
  }
  if (!best) return refuseUnclaimed(input);
  if (forExec && best.abi['recognizedOnly'] === true) {
    const why = typeof best.abi['refusal'] === 'string' ? best.abi['refusal'] : 'no personality claims it';
    return fail(126, `${describeClaimShort(best)}: ${why}`);
  }
  return info && best.format === 'ELF' ? { ok: true, claim: best, info } : { ok: true, claim: best };
}

function refuseUnclaimed(input: SniffInput): SniffOutcome {
  if (input.size === 0) return fail(126, 'empty file: nothing to execute');
  const sb = parseShebang(input.head);
  if (sb && !sb.ok) return fail(126, `bad #! line: ${sb.reason}`);
  if (isElf(input.head)) {
    try {
      parseElf(input);
    } catch (e) {
      return fail(126, e instanceof ExecFormatError ? e.message : 'malformed ELF file');
    }
    return fail(126, 'ELF file: no personality claims it');
  }
  if (isPef(input.head)) {
    try {
      parsePef(input);
    } catch (e) {
      return fail(126, e instanceof ExecFormatError ? e.message : 'malformed PEF container');
    }
    return fail(126, 'PEF container: no personality claims it');
  }
  let what: string;
  try {
    what = identifyFormat(input);
  } catch {
    what = 'file of unknown format';
  }
  return fail(126, `${what}: no personality claims it`);
}

export type ExecResolution =
  | { ok: true; path: string; argv: string[]; claim: Claim; info?: ElfInfo; interpreters: string[] }
  | { ok: false; status: 126 | 127; message: string };

/**
 * Follows `#!` interpreters (at most MAX_INTERPRETER_DEPTH substitutions, as
 * Linux) and returns the final binary's claim with the rewritten argv.
 */
export function resolveExec(path: string, argv: readonly string[], sniffers: readonly Sniffer[], opts: SniffOptions = {}): ExecResolution {
  let cur = path;
  let args = [...argv];
  const interpreters: string[] = [];
  for (let depth = 0; ; depth++) {
    const out = sniffFile(cur, sniffers, { ...opts, forExec: true });
    if (!out.ok) {
      if (depth > 0) {
        return { ok: false, status: out.status, message: oneLine(`${cur}: bad interpreter: ${out.message}`) };
      }
      return out;
    }
    if (out.claim.format !== 'script') {
      return { ok: true, path: cur, argv: args, claim: out.claim, info: out.info, interpreters };
    }
    const r = resolveScript(out.claim, depth === 0 && opts.scriptName !== undefined ? opts.scriptName : cur, args, depth);
    if (!r.ok) return r;
    interpreters.push(r.interpreter);
    cur = opts.interpreterPath && r.interpreter.startsWith('/') ? opts.interpreterPath(r.interpreter) : r.interpreter;
    args = r.argv;
  }
}

