/**
 * Memory syscalls: brk, mmap, munmap, mprotect, mremap, madvise, msync,
 * mlock family, mincore. Placement and page protection live in src/memory;
 * this file only translates the Linux ABI (flags, errors, alignment rules).
 */
import { fail } from '../../../servers/common/errno.js';
import { writeAllSync } from '../../../src/kernel/log.js';
import { PAGE_SIZE, pageCeil, pageFloor, GUEST_LIMIT, PROT_EXEC } from '../../../src/memory/address-space.js';
import { MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE } from '../abi/mman.js';
import { mapFileRange } from './file-map.js';
import { int, long, ptr, ulong, type LinuxThread, type SyscallGroup } from './types.js';

const PROT_MASK = 7;
const RLIMIT_AS = 9;
let memoryLimitSaid = false;
let jailMemoryLimit: number | null = null;

/** The run's jail memory limit (bytes), so reaching it is reported as the jail's. */
export function setJailMemoryLimit(bytes: number | null): void {
  jailMemoryLimit = bytes;
}

/** Bytes of [addr, addr + len) that are mapped already (MAP_FIXED replaces them). */
function mappedIn(t: LinuxThread, addr: number, len: number): number {
  let n = 0;
  for (const r of t.proc.regions.list()) n += Math.max(0, Math.min(r.end, addr + len) - Math.max(r.start, addr));
  return n;
}

/**
 * RLIMIT_AS: growing the address space by `more` bytes past the soft limit fails
 * with ENOMEM. When the limit is the jail's, compat says so once on stderr.
 */
function checkAddressSpace(t: LinuxThread, more: number, what: string): boolean {
  const lim = t.proc.block.rlimit(RLIMIT_AS).cur;
  if (lim >= 0xffff_ffff_ffff_ffffn || more <= 0) return true;
  let mapped = 0;
  for (const r of t.proc.regions.list()) mapped += r.end - r.start;
  if (BigInt(mapped + more) <= lim) return true;
  if (!memoryLimitSaid && jailMemoryLimit !== null && BigInt(jailMemoryLimit) === lim) {
    memoryLimitSaid = true;
    writeAllSync(2, `compat: jail limit reached: memory (${formatBytes(jailMemoryLimit)}); ${what} of ${formatBytes(more)} fails with ENOMEM\n`);
  }
  return false;
}

const formatBytes = (n: number): string =>
  n % 2 ** 30 === 0 ? `${n / 2 ** 30} GiB` : n % 2 ** 20 === 0 ? `${n / 2 ** 20} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;

function brk(t: LinuxThread, a: readonly bigint[]): number {
  const p = t.proc;
  const want = ptr(a[0]);
  if (want < p.brkStart || want > p.brkLimit) return p.brkCur;
  const oldTop = pageCeil(p.brkCur);
  const newTop = pageCeil(want);
  if (newTop > oldTop) {
    if (!p.regions.isFree(oldTop, newTop)) return p.brkCur;
    if (!checkAddressSpace(t, newTop - oldTop, 'brk')) return p.brkCur;
    p.regions.map(oldTop, newTop - oldTop, 3, '[heap]');
  } else if (newTop < oldTop) {
    p.regions.unmap(newTop, oldTop - newTop);
  }
  // bytes between the old and new break inside the same page read as zero again when re-grown
  if (want > p.brkCur && pageFloor(p.brkCur) < want) {
    const zeroEnd = Math.min(want, oldTop);
    if (zeroEnd > p.brkCur) t.mem.u8.fill(0, p.brkCur, zeroEnd);
  }
  p.brkCur = want;
  return want;
}

function mmap(t: LinuxThread, a: readonly bigint[], pgoffUnits = 1): number {
  const m = t.arch.mman;
  const addr = ptr(a[0]);
  const len = ulong(a[1]);
  const prot = int(a[2]);
  const flags = int(a[3]);
  const fd = int(a[4]);
  const offset = long(a[5]) * pgoffUnits;
  const type = flags & 3;
  if (len === 0 || len > GUEST_LIMIT) throw fail(len === 0 ? 'EINVAL' : 'ENOMEM');
  if (offset % PAGE_SIZE !== 0 || offset < 0) throw fail('EINVAL');
  if (type !== m.MAP_SHARED && type !== m.MAP_PRIVATE && type !== m.MAP_SHARED_VALIDATE) throw fail('EINVAL');
  const anon = (flags & m.MAP_ANONYMOUS) !== 0;
  const fixed = (flags & m.MAP_FIXED) !== 0;
  const noReplace = (flags & m.MAP_FIXED_NOREPLACE) !== 0;
  const size = pageCeil(len);
  if (!checkAddressSpace(t, fixed ? size - mappedIn(t, addr, size) : size, 'mmap')) throw fail('ENOMEM');
  let start: number;
  if (fixed || noReplace) {
    if (addr % PAGE_SIZE !== 0) throw fail('EINVAL');
    if (addr + size > GUEST_LIMIT || addr < 0x10000) throw fail(fixed ? 'EPERM' : 'ENOMEM');
    if (noReplace && !fixed && !t.proc.regions.isFree(addr, addr + size)) throw fail('EEXIST');
    start = addr;
  } else {
    start = t.proc.regions.place(size, addr);
    if (start < 0) throw fail('ENOMEM');
  }
  if (anon) {
    t.proc.regions.map(start, size, prot & PROT_MASK, '');
  } else {
    mapFileRange(t, fd, start, size, len, offset, prot & PROT_MASK, type !== m.MAP_PRIVATE);
  }
  return start;
}

function munmap(t: LinuxThread, a: readonly bigint[]): number {
  const addr = ptr(a[0]);
  const len = ulong(a[1]);
  if (addr % PAGE_SIZE !== 0 || len === 0 || addr + len > GUEST_LIMIT) throw fail('EINVAL');
  t.proc.regions.unmap(addr, pageCeil(len));
  return 0;
}

function mprotect(t: LinuxThread, a: readonly bigint[]): number {
  const addr = ptr(a[0]);
  const len = ulong(a[1]);
  const prot = int(a[2]);
  if (addr % PAGE_SIZE !== 0 || (prot & ~(PROT_MASK | 0x01000000 | 0x02000000)) !== 0) throw fail('EINVAL');
  if (len === 0) return 0;
  if (!t.proc.regions.protect(addr, pageCeil(len), prot & PROT_MASK)) throw fail('ENOMEM');
  return 0;
}

function mremap(t: LinuxThread, a: readonly bigint[]): number {
  const oldAddr = ptr(a[0]);
  const oldLen = pageCeil(ulong(a[1]));
  const newLen = pageCeil(ulong(a[2]));
  const flags = int(a[3]);
  const newAddrReq = ptr(a[4]);
  const regions = t.proc.regions;
  if (oldAddr % PAGE_SIZE !== 0 || newLen === 0 || (flags & ~7) !== 0) throw fail('EINVAL');
  if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) throw fail('EINVAL');
  const reg = regions.find(oldAddr);
  if (!reg || !t.mem.isMapped(oldAddr, Math.max(oldLen, PAGE_SIZE))) throw fail('EFAULT');
  const name = reg.name;
  const prot = reg.prot;
  if (!(flags & MREMAP_FIXED) && !(flags & MREMAP_DONTUNMAP)) {
    if (newLen <= oldLen) {
      if (newLen < oldLen) regions.unmap(oldAddr + newLen, oldLen - newLen);
      return oldAddr;
    }
    if (regions.isFree(oldAddr + oldLen, oldAddr + newLen)) {
      regions.map(oldAddr + oldLen, newLen - oldLen, prot, name);
      return oldAddr;
    }
    if (!(flags & MREMAP_MAYMOVE)) throw fail('ENOMEM');
  }
  let dest: number;
  if (flags & MREMAP_FIXED) {
    if (newAddrReq % PAGE_SIZE !== 0) throw fail('EINVAL');
    dest = newAddrReq;
  } else {
    dest = regions.place(newLen);
    if (dest < 0) throw fail('ENOMEM');
  }
  const keep = t.mem.u8.slice(oldAddr, oldAddr + Math.min(oldLen, newLen));
  regions.map(dest, newLen, prot, name);
  t.mem.poke(dest, keep);
  if (prot & PROT_EXEC) t.mem.codeChanged(dest, dest + newLen);
  if (flags & MREMAP_DONTUNMAP) regions.map(oldAddr, oldLen, prot, name);
  else regions.unmap(oldAddr, oldLen);
  return dest;
}

const MADV_DONTNEED = 4;
const MADV_REMOVE = 9;

function madvise(t: LinuxThread, a: readonly bigint[]): number {
  const addr = ptr(a[0]);
  const len = pageCeil(ulong(a[1]));
  const advice = int(a[2]);
  if (addr % PAGE_SIZE !== 0) throw fail('EINVAL');
  if (!t.mem.isMapped(addr, len)) throw fail('ENOMEM');
  if (advice === MADV_DONTNEED || advice === MADV_REMOVE) {
    // private anonymous pages read back as zero afterwards
    const r = t.proc.regions.find(addr);
    if (!r?.shared) t.mem.u8.fill(0, addr, addr + len);
  }
  return 0;
}

function msync(t: LinuxThread, a: readonly bigint[]): number {
  const addr = ptr(a[0]);
  const len = pageCeil(ulong(a[1]));
  if (addr % PAGE_SIZE !== 0) throw fail('EINVAL');
  if (!t.mem.isMapped(addr, len)) throw fail('ENOMEM');
  t.proc.regions.sync(addr, addr + len);
  return 0;
}

function mincore(t: LinuxThread, a: readonly bigint[]): number {
  const addr = ptr(a[0]);
  const len = pageCeil(ulong(a[1]));
  if (addr % PAGE_SIZE !== 0) throw fail('EINVAL');
  if (!t.mem.isMapped(addr, len)) throw fail('ENOMEM');
  t.mem.writeBytes(ptr(a[2]), new Uint8Array(len / PAGE_SIZE).fill(1));
  return 0;
}

const ok = (): number => 0;

/** riscv_flush_icache(start, end, flags): code in the range may have changed. */
function flushIcache(t: LinuxThread, a: readonly bigint[]): number {
  const start = ptr(a[0]);
  const end = ptr(a[1]);
  if (int(a[2]) & ~1) throw fail('EINVAL');
  if (end > start) t.mem.codeChanged(start, end);
  else t.mem.codeChanged(0, GUEST_LIMIT);
  return 0;
}

export const memorySyscalls: SyscallGroup = {
  brk: { name: 'brk', fn: brk, args: ['ptr'], ret: 'hex' },
  mmap: { name: 'mmap', fn: (t, a) => mmap(t, a), args: ['ptr', 'uint', 'hex', 'hex', 'fd', 'hex'], ret: 'hex' },
  mmap2: { name: 'mmap2', fn: (t, a) => mmap(t, a, 4096), args: ['ptr', 'uint', 'hex', 'hex', 'fd', 'hex'], ret: 'hex' },
  munmap: { name: 'munmap', fn: munmap, args: ['ptr', 'uint'] },
  mprotect: { name: 'mprotect', fn: mprotect, args: ['ptr', 'uint', 'hex'] },
  mremap: { name: 'mremap', fn: mremap, args: ['ptr', 'uint', 'uint', 'hex', 'ptr'], ret: 'hex' },
  madvise: { name: 'madvise', fn: madvise, args: ['ptr', 'uint', 'int'] },
  msync: { name: 'msync', fn: msync, args: ['ptr', 'uint', 'hex'] },
  mincore: { name: 'mincore', fn: mincore, args: ['ptr', 'uint', 'ptr'] },
  mlock: { name: 'mlock', fn: ok, args: ['ptr', 'uint'] },
  mlock2: { name: 'mlock2', fn: ok, args: ['ptr', 'uint', 'hex'] },
  munlock: { name: 'munlock', fn: ok, args: ['ptr', 'uint'] },
  mlockall: { name: 'mlockall', fn: ok, args: ['hex'] },
  munlockall: { name: 'munlockall', fn: ok, args: [] },
  cacheflush: { name: 'cacheflush', fn: (t, a) => { const s0 = ptr(a[0]); t.mem.codeChanged(s0, s0 + ulong(a[1])); return 0; }, args: ['ptr', 'uint', 'int'] },
  riscv_flush_icache: { name: 'riscv_flush_icache', fn: flushIcache, args: ['ptr', 'ptr', 'hex'] },
};
