/**
 * The jail of one `compat exec`: the named (or the personality's default)
 * jail file, the command line's overrides, the sysroot decided, and the
 * guest environment the jail's policy gives.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { tryParseElf } from '../exec/elf.js';
import { haikuMarkers } from '../exec/elf-brand.js';
import type { Claim, SniffInput } from '../plugin/contracts.js';
import { autoSysroot } from './auto-sysroot.js';
import { ExecError } from '../kernel/exec-error.js';
import { jailEnvironment, jailSettings, loadJail } from './jail-file.js';
import type { JailSettings } from './settings.js';

export interface JailOptions {
  jail?: string;
  root?: string;
  sysroot?: string;
  mount: string[];
  network?: 'host' | 'loopback' | 'none';
  env: string[];
  unset: string[];
}

export async function jailForRun(file: string, opts: JailOptions): Promise<{ jail: JailSettings; envp: string[]; hostFile: string }> {
  let { claim, interp } = elfFacts(file);
  const { jail: jf, name, file: jailFile } = loadJail(opts.jail, claim?.personality ?? 'linux');
  const jail = jailSettings(jf, name, jailFile, { root: opts.root, sysroot: opts.sysroot, mount: opts.mount, network: opts.network });
  // in a root jail an absolute FILE is the jail's own (as chroot DIR /bin/sh), when the jail has it
  let hostFile = file;
  if (jail.root && jail.root !== '/' && file.startsWith('/') && existsSync(jail.root + file)) {
    hostFile = jail.root + file;
    ({ claim, interp } = elfFacts(hostFile));
  }
  if (jail.sysroot === 'auto') jail.sysroot = claim ? autoSysroot(claim, interp, file) : null;
  const envp = jailEnvironment(jf, process.env, opts.env, opts.unset, (kv) => new ExecError(`-E expects VAR=VALUE, got "${kv}"`, 126));
  return { jail, envp, hostFile };
}

/**
 * The ELF facts the jail needs before the guest starts (ISA, byte order,
 * interpreter), read straight from the file's headers: no plugin loading
 * (start-up time). Anything unreadable is left to the worker to report.
 */
function elfFacts(file: string): { claim: Claim | null; interp: string | null } {
  let fd: number;
  try { fd = openSync(file, 'r'); } catch { return { claim: null, interp: null }; }
  try {
    const size = fstatSync(fd).size;
    const read = (offset: number, len: number): Uint8Array => {
      const b = Buffer.alloc(Math.max(0, Math.min(len, size - offset)));
      const n = b.length ? readSync(fd, b, 0, b.length, offset) : 0;
      return b.subarray(0, n);
    };
    const input: SniffInput = { path: file, head: read(0, 4096), size, read };
    const info = tryParseElf(input);
    if (!info) return { claim: null, interp: null };
    const claim: Claim = {
      format: 'ELF', isa: info.isa, machineName: info.machineDisplay, endian: info.endian, wordSize: info.wordSize,
      // Haiku images (libroot.so, ABI symbols, /system/runtime_loader) get the haiku jail by default
      personality: haikuMarkers(info, input) ? 'haiku' : null, abi: {}, confidence: 0,
    };
    return { claim, interp: info.interp };
  } catch {
    return { claim: null, interp: null };
  } finally {
    closeSync(fd);
  }
}
