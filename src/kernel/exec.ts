/**
 * exec: from a path and argv to a running guest. Asks the front-end what the
 * file is (following `#!` interpreters), picks the personality and ISA core
 * the claim names, loads the image into a fresh address space, lets the
 * personality build the process, and runs it to its exit.
 */
import { readFileSync } from 'node:fs';
import { parseElf } from '../exec/elf.js';
import type { Compat } from '../container.js';
import { describeClaim } from '../exec/describe.js';
import type { ElfInfo } from '../exec/elf.js';
import { ExecFormatError } from '../exec/errors.js';
import { resolveExec } from '../exec/front-end.js';
import { loadElf, loadSpan, type LoadableElf } from '../exec/load-elf.js';
import { AddressSpace } from '../memory/address-space.js';
import { RegionMap } from '../memory/regions.js';
import type { Claim, GuestImage, StubSettings, TrapHandler } from '../plugin/contracts.js';
import { sharedFileHooks } from '../../servers/files/mapping.js';

export interface ExecRequest {
  /** The file to load (host path). */
  path: string;
  /** The path the guest named (AT_EXECFN); defaults to `path`. */
  execPath?: string;
  /** argv including argv[0]. */
  argv: string[];
  envp: string[];
  settings: StubSettings;
  /**
   * Reads a file the loader needs by its GUEST path (the program interpreter,
   * PT_INTERP), resolved as the process's jail says. Default: the host path.
   */
  readGuestFile?: (guestPath: string) => { bytes: Uint8Array; hostPath: string };
  /** Where a guest path is on the host (for `#!` interpreters), as the jail resolves it. */
  hostPathOf?: (guestPath: string) => string;
  /** What to tell the user when the interpreter is missing (e.g. which package holds it). */
  missingInterpreterHint?: (claim: Claim, interp: string) => string | null;
}

export { ExecError } from './exec-error.js';
import { ExecError } from './exec-error.js';

interface Resolved {
  path: string;
  argv: string[];
  claim: Claim;
  info: ElfInfo;
}

/** Follows `#!` lines (the front-end's resolveExec) to the binary that will actually run. */
export function resolveProgram(compat: Compat, path: string, argv: string[], hostPathOf?: (guestPath: string) => string, scriptName?: string): Resolved {
  const out = resolveExec(path, argv, compat.sniffers(), { forExec: true, interpreterPath: hostPathOf, scriptName });
  if (!out.ok) throw new ExecError(out.message.startsWith(path) ? out.message : `${path}: ${out.message}`, out.status);
  if (!out.info) {
    const what = describeClaim(out.claim, { coreAvailable: !!compat.core(out.claim.isa) });
    throw new ExecError(`${out.path}: ${what}: compat cannot load this format yet`, 126);
  }
  return { path: out.path, argv: out.argv, claim: out.claim, info: out.info };
}

function loadable(info: ElfInfo): LoadableElf {
  return {
    isDyn: info.type === 3,
    entry: info.entry,
    phoff: info.phoff,
    phentsize: info.phentsize,
    phnum: info.phnum,
    segments: info.programHeaders,
  };
}

/** Builds the guest image for `req` without running it. */
export function prepare(compat: Compat, req: ExecRequest): { image: GuestImage; trap: TrapHandler } {
  const { path, argv, claim, info } = resolveProgram(compat, req.path, req.argv, req.hostPathOf, req.execPath);
  const personality = compat.personality(claim.personality);
  const factory = compat.core(claim.isa, claim.endian);
  const what = describeClaim(claim, { coreAvailable: !!factory });
  if (!personality) throw new ExecError(`${path}: ${what}: no personality claims it`, 126);
  if (!factory || !claim.isa) throw new ExecError(`${path}: ${what}`, 126);
  if (!personality.supports(claim.isa)) {
    throw new ExecError(`${path}: ${what}: the ${personality.name} personality has no syscall ABI for ${claim.isa} yet`, 126);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ExecError(`${path}: ${(e as Error).message}`, 126);
  }
  const layout = personality.layout(claim.isa);
  const mem = new AddressSpace();
  const regions = new RegionMap(mem, { mmapTop: layout.mmapTop, mmapBottom: layout.mmapBottom });
  regions.hooks = sharedFileHooks;
  const core = factory.create(mem, 1);
  core.configureForImage?.(info);
  const elf = loadable(info);
  let loaded;
  try {
    const span = loadSpan(elf);
    const base = elf.isDyn ? layout.pieBase : span.lo;
    loaded = loadElf(regions, (off, len) => bytes.subarray(off, off + len), elf, base, path);
  } catch (e) {
    if (e instanceof ExecFormatError) throw new ExecError(`${path}: ${e.message}`, 126);
    throw e;
  }
  let interp: { base: number; entry: number } | null = null;
  // a personality whose own loader plays the interpreter's part (Haiku's /system/runtime_loader) loads it in setupProcess
  const ownInterp = (personality as { handlesInterpreter?: (p: string) => boolean }).handlesInterpreter;
  if (info.interp && !ownInterp?.call(personality, info.interp)) interp = loadInterpreter(req, regions, claim, info, path);
  const image: GuestImage = {
    mem, regions, core, claim,
    execPath: req.execPath ?? req.path,
    hostPath: path,
    argv, envp: req.envp,
    entry: loaded.entry,
    phdr: loaded.phdr,
    phent: info.phentsize,
    phnum: info.phnum,
    bias: loaded.bias,
    interpBase: interp?.base ?? 0,
    startPc: interp?.entry ?? loaded.entry,
    end: loaded.end,
  };
  personality.setupProcess(image);
  const trap = personality.createStub(image, req.settings);
  return { image, trap };
}

const readHost = (guestPath: string): { bytes: Uint8Array; hostPath: string } => ({ bytes: readFileSync(guestPath), hostPath: guestPath });

/**
 * Loads the program interpreter (PT_INTERP, e.g. /lib/ld-linux-riscv64-lp64d.so.1):
 * resolved as a guest path (through the jail or sysroot), an ET_DYN image of the
 * program's own machine, placed like an mmap without a hint (top-down), as Linux
 * places ld.so. Returns its base (AT_BASE) and entry (where the process starts).
 */
function loadInterpreter(req: ExecRequest, regions: RegionMap, claim: Claim, info: ElfInfo, path: string): { base: number; entry: number } {
  const name = info.interp!;
  let file: { bytes: Uint8Array; hostPath: string };
  try {
    file = (req.readGuestFile ?? readHost)(name);
  } catch (e) {
    const code = (e as { errno?: string; code?: string }).errno ?? (e as { code?: string }).code;
    const hint = req.missingInterpreterHint?.(claim, name);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ExecError(`${path}: its program interpreter ${name} was not found${hint ? ` (${hint})` : ''}`, 127);
    }
    throw new ExecError(`${path}: its program interpreter ${name} cannot be read: ${(e as Error).message}`, 126);
  }
  let ii: ElfInfo;
  try {
    ii = parseElf(file.bytes);
  } catch (e) {
    throw new ExecError(`${path}: its program interpreter ${name} (${file.hostPath}) is not an ELF file: ${(e as Error).message}`, 126);
  }
  if (ii.machine !== info.machine || ii.wordSize !== info.wordSize || ii.endian !== info.endian) {
    throw new ExecError(`${path}: its program interpreter ${name} (${file.hostPath}) is a ${ii.machineDisplay} ${ii.wordSize}-bit ${ii.endian}-endian file, the program is ${info.machineDisplay} ${info.wordSize}-bit ${info.endian}-endian`, 126);
  }
  if (ii.interp) throw new ExecError(`${path}: its program interpreter ${name} names an interpreter itself`, 126);
  const elf = loadable(ii);
  try {
    const span = loadSpan(elf);
    const base = elf.isDyn ? regions.place(span.hi - span.lo) : span.lo;
    const loaded = loadElf(regions, (off, len) => file.bytes.subarray(off, off + len), elf, base, file.hostPath);
    return { base: elf.isDyn ? loaded.start : 0, entry: loaded.entry };
  } catch (e) {
    if (e instanceof ExecFormatError) throw new ExecError(`${path}: its program interpreter ${name}: ${e.message}`, 126);
    throw e;
  }
}
