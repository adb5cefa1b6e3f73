/**
 * Haiku areas and address-space calls over the process's RegionMap
 * (src/memory/regions.ts) and the team's area table (servers/areas.ts).
 */
import { fail } from '../../../servers/common/errno.js';
import { mapFile } from '../../../servers/files/mapping.js';
import { GUEST_LIMIT, PAGE_SIZE, pageCeil } from '../../../src/memory/address-space.js';
import { B_BAD_VALUE, B_NO_MEMORY, B_OK, B_ERROR } from '../abi/errors.js';
import { ADDRESS, B_OS_NAME_LENGTH, encodeAreaInfo, REGION_PRIVATE_MAP } from '../abi/memory.js';
import { cstr, int, ptr, size, u32, type HaikuSyscallGroup, type HaikuThread } from './types.js';

const PROT = 7;
const RESERVED = '[haiku reserved]';

/** Where an area of `len` bytes goes for an address spec; -1 when there is no room. */
function placeFor(t: HaikuThread, spec: number, want: number, len: number): number {
  const regions = t.team.regions;
  switch (spec) {
    case ADDRESS.EXACT: {
      if (want % PAGE_SIZE !== 0 || want + len > GUEST_LIMIT || want === 0) throw fail('EINVAL');
      // only free space, or space this team reserved
      const clash = regions.list().some((r) => r.start < want + len && r.end > want && r.name !== RESERVED);
      return clash ? -2 : want;
    }
    case ADDRESS.BASE: case ADDRESS.RANDOMIZED_BASE: {
      for (let a = Math.max(PAGE_SIZE, want - (want % PAGE_SIZE)); a + len <= GUEST_LIMIT; a += PAGE_SIZE) {
        if (regions.isFree(a, a + len)) return a;
        const r = regions.find(a);
        if (r) a = r.end - PAGE_SIZE;
      }
      return -1;
    }
    case ADDRESS.ANY: case ADDRESS.RANDOMIZED_ANY: case ADDRESS.ANY_KERNEL:
      return regions.place(len, 0);
    default:
      throw fail('EINVAL');
  }
}

function areaName(t: HaikuThread, p: bigint): string {
  const a = ptr(p);
  return a ? cstr(t, a, B_OS_NAME_LENGTH).slice(0, B_OS_NAME_LENGTH - 1) : 'unnamed area';
}

function createArea(t: HaikuThread, a: readonly bigint[]): number {
  const name = areaName(t, a[0]);
  const addrAt = ptr(a[1]);
  const spec = u32(a[2]);
  const len = size(a[3]);
  const lock = u32(a[4]);
  const prot = u32(a[5]);
  if (len === 0 || len % PAGE_SIZE !== 0) return B_BAD_VALUE;
  const want = Number(t.mem.readU64(addrAt));
  const at = placeFor(t, spec, want, len);
  if (at === -2) return B_BAD_VALUE;
  if (at < 0) return B_NO_MEMORY;
  t.team.regions.map(at, len, prot & PROT, `area ${name}`);
  const id = t.team.areas.add(at, len, prot, lock, name);
  if (id < 0) { t.team.regions.unmap(at, len); return B_NO_MEMORY; }
  t.mem.writeU64(addrAt, BigInt(at));
  return id;
}

export const memorySyscalls: HaikuSyscallGroup = {
  create_area: { args: ['str', 'ptr', 'int', 'hex', 'int', 'hex'], fn: createArea },
  delete_area: {
    args: ['int'],
    fn: (t, a) => {
      const r = t.team.areas.get(int(a[0]));
      if (!r) return B_BAD_VALUE;
      t.team.regions.unmap(r.start, r.size);
      t.team.areas.remove(r.id);
      return B_OK;
    },
  },
  area_for: {
    args: ['ptr'],
    fn: (t, a) => {
      const r = t.team.areas.at(ptr(a[0]));
      return r ? r.id : B_ERROR;
    },
  },
  find_area: {
    args: ['str'],
    fn: (t, a) => {
      const name = areaName(t, a[0]);
      const r = t.team.areas.all().find((x) => x.name === name);
      return r ? r.id : -0x7fffffff - 1 + 7; // B_NAME_NOT_FOUND
    },
  },
  get_area_info: {
    args: ['int', 'ptr'],
    fn: (t, a) => {
      const r = t.team.areas.get(int(a[0]));
      if (!r) return B_BAD_VALUE;
      t.mem.writeBytes(ptr(a[1]), encodeAreaInfo(r, t.kernel.pid));
      return B_OK;
    },
  },
  resize_area: {
    args: ['int', 'hex'],
    fn: (t, a) => {
      const r = t.team.areas.get(int(a[0]));
      const len = size(a[1]);
      if (!r || len === 0 || len % PAGE_SIZE !== 0) return B_BAD_VALUE;
      if (len > r.size) {
        if (!t.team.regions.isFree(r.start + r.size, r.start + len)) return B_NO_MEMORY;
        t.team.regions.map(r.start + r.size, len - r.size, r.protection & PROT, `area ${r.name}`);
      } else if (len < r.size) {
        t.team.regions.unmap(r.start + len, r.size - len);
      }
      t.team.areas.update(r.id, { size: len });
      return B_OK;
    },
  },
  set_area_protection: {
    args: ['int', 'hex'],
    fn: (t, a) => {
      const r = t.team.areas.get(int(a[0]));
      if (!r) return B_BAD_VALUE;
      const prot = u32(a[1]);
      t.team.regions.protect(r.start, r.size, prot & PROT);
      t.team.areas.update(r.id, { protection: prot });
      return B_OK;
    },
  },
  reserve_address_range: {
    args: ['ptr', 'int', 'hex'],
    fn: (t, a) => {
      const at = ptr(a[0]);
      const len = pageCeil(size(a[2]));
      if (len === 0) return B_BAD_VALUE;
      const start = placeFor(t, u32(a[1]), Number(t.mem.readU64(at)), len);
      if (start === -2) return B_BAD_VALUE;
      if (start < 0) return B_NO_MEMORY;
      t.team.regions.map(start, len, 0, RESERVED);
      t.mem.writeU64(at, BigInt(start));
      return B_OK;
    },
  },
  unreserve_address_range: {
    args: ['ptr', 'hex'],
    fn: (t, a) => {
      const start = ptr(a[0]);
      const end = start + pageCeil(size(a[1]));
      for (const r of t.team.regions.list()) {
        if (r.name !== RESERVED || r.end <= start || r.start >= end) continue;
        const s = Math.max(r.start, start);
        t.team.regions.unmap(s, Math.min(r.end, end) - s);
      }
      return B_OK;
    },
  },
  map_file: {
    args: ['str', 'ptr', 'int', 'hex', 'hex', 'int', 'int', 'int', 'i64'],
    fn: (t, a) => {
      const name = areaName(t, a[0]);
      const addrAt = ptr(a[1]);
      const spec = u32(a[2]);
      const len = pageCeil(size(a[3]));
      const prot = u32(a[4]);
      const mapping = u32(a[5]);
      const unmapRange = int(a[6]) !== 0;
      const fd = int(a[7]);
      const offset = t.stackArg(8);
      if (len === 0) return B_BAD_VALUE;
      const want = Number(t.mem.readU64(addrAt));
      if (unmapRange && spec === ADDRESS.EXACT) t.team.regions.unmap(want, len);
      const at = placeFor(t, spec, want, len);
      if (at === -2) return B_BAD_VALUE;
      if (at < 0) return B_NO_MEMORY;
      if (fd < 0) {
        t.team.regions.map(at, len, prot & PROT, `area ${name}`);
      } else {
        const shared = mapping !== REGION_PRIVATE_MAP;
        const buf = new Uint8Array(len);
        const m = mapFile(t.files, fd, buf, offset, { shared, writable: (prot & 2) !== 0 });
        t.team.regions.map(at, len, 3, t.files.guestPathOf(fd), m.sharedHostFd !== undefined ? { hostFd: m.sharedHostFd, fileOffset: Number(offset) } : undefined);
        t.mem.poke(at, buf.subarray(0, m.filled));
        t.team.regions.protect(at, len, prot & PROT);
      }
      const id = t.team.areas.add(at, len, prot, 0, name);
      t.mem.writeU64(addrAt, BigInt(at));
      return id;
    },
  },
  unmap_memory: {
    args: ['ptr', 'hex'],
    fn: (t, a) => {
      const start = ptr(a[0]);
      const len = pageCeil(size(a[1]));
      if (start % PAGE_SIZE !== 0 || len === 0) return B_BAD_VALUE;
      t.team.regions.unmap(start, len);
      for (const r of t.team.areas.all()) {
        if (r.start >= start && r.start + r.size <= start + len) t.team.areas.remove(r.id);
      }
      return B_OK;
    },
  },
  set_memory_protection: {
    args: ['ptr', 'hex', 'hex'],
    fn: (t, a) => {
      const start = ptr(a[0]);
      const len = pageCeil(size(a[1]));
      if (start % PAGE_SIZE !== 0) return B_BAD_VALUE;
      if (!t.team.regions.protect(start, len, u32(a[2]) & PROT)) return B_BAD_VALUE;
      return B_OK;
    },
  },
};
