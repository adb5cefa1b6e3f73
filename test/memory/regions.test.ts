import { describe, expect, it } from 'vitest';
import { AddressSpace, PAGE_SIZE, PROT_READ, PROT_WRITE, PROT_EXEC } from '../../src/memory/address-space.js';
import { GuestFault } from '../../src/memory/fault.js';
import { RegionMap } from '../../src/memory/regions.js';

const layout = { mmapTop: 0x7000_0000, mmapBottom: 0x2000_0000 };

describe('AddressSpace', () => {
  it('faults on unmapped and read-only memory with the right reason', () => {
    const mem = new AddressSpace();
    expect(() => mem.readU32(0x40000)).toThrowError(GuestFault);
    try { mem.readU8(0x40000); } catch (e) { expect((e as GuestFault).reason).toBe('maperr'); }
    mem.mapPages(0x40000, PAGE_SIZE, PROT_READ);
    expect(mem.readU32(0x40000)).toBe(0);
    try { mem.writeU8(0x40000, 1); expect.unreachable(); } catch (e) { expect((e as GuestFault).reason).toBe('accerr'); }
    // an access straddling into an unmapped page faults at the first bad byte
    try { mem.readU32(0x40ffe); expect.unreachable(); } catch (e) { expect((e as GuestFault).addr).toBe(0x41000); }
  });

  it('re-zeroes pages that are mapped again after use', () => {
    const mem = new AddressSpace();
    mem.mapPages(0x50000, PAGE_SIZE, PROT_READ | PROT_WRITE);
    mem.writeU32(0x50010, 0xdeadbeef);
    mem.unmapPages(0x50000, PAGE_SIZE);
    mem.mapPages(0x50000, PAGE_SIZE, PROT_READ | PROT_WRITE);
    expect(mem.readU32(0x50010)).toBe(0);
  });

  it('reads C strings across pages and reports unterminated ones', () => {
    const mem = new AddressSpace();
    mem.mapPages(0x60000, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
    mem.writeBytes(0x60ffe, new Uint8Array([0x61, 0x62, 0x63, 0]));
    const s = mem.readCString(0x60ffe);
    expect(Buffer.from(s.bytes).toString()).toBe('abc');
    expect(s.terminated).toBe(true);
    expect(mem.readCString(0x60ffe, 2).terminated).toBe(false);
  });

  it('notifies cores when executable pages change', () => {
    const mem = new AddressSpace();
    const seen: Array<[number, number]> = [];
    mem.onCodeChange = (a, b) => seen.push([a, b]);
    mem.mapPages(0x70000, PAGE_SIZE, PROT_READ | PROT_EXEC);
    mem.protectPages(0x70000, PAGE_SIZE, PROT_READ);
    mem.mapPages(0x80000, PAGE_SIZE, PROT_READ); // not exec: no notice
    expect(seen).toEqual([[0x70000, 0x71000], [0x70000, 0x71000]]);
  });

  it('clone copies mapped pages only and is independent', () => {
    const mem = new AddressSpace();
    mem.mapPages(0x90000, PAGE_SIZE, PROT_READ | PROT_WRITE);
    mem.writeU32(0x90000, 42);
    const copy = mem.clone();
    copy.writeU32(0x90000, 7);
    expect(mem.readU32(0x90000)).toBe(42);
    expect(copy.readU32(0x90000)).toBe(7);
    expect(() => copy.readU8(0xa0000)).toThrowError(GuestFault);
  });
});

describe('RegionMap', () => {
  it('places mappings top-down, honours free hints, and refuses overlaps when asked', () => {
    const r = new RegionMap(new AddressSpace(), layout);
    const a = r.place(3 * PAGE_SIZE);
    expect(a).toBe(0x7000_0000 - 3 * PAGE_SIZE);
    r.map(a, 3 * PAGE_SIZE, 3, '');
    const b = r.place(PAGE_SIZE);
    expect(b).toBe(a - PAGE_SIZE);
    expect(r.place(PAGE_SIZE, 0x3000_0000)).toBe(0x3000_0000);
    expect(r.isFree(a, a + PAGE_SIZE)).toBe(false);
  });

  it('splits regions on partial unmap and protect', () => {
    const mem = new AddressSpace();
    const r = new RegionMap(mem, layout);
    r.map(0x3000_0000, 4 * PAGE_SIZE, 3, 'x');
    r.unmap(0x3000_1000, PAGE_SIZE);
    expect(r.list().map((g) => [g.start, g.end])).toEqual([[0x3000_0000, 0x3000_1000], [0x3000_2000, 0x3000_4000]]);
    expect(r.protect(0x3000_2000, PAGE_SIZE, 1)).toBe(true);
    expect(r.list().map((g) => g.prot)).toEqual([3, 1, 3]);
    expect(r.protect(0x3000_0000, 3 * PAGE_SIZE, 1)).toBe(false); // hole → ENOMEM
    expect(() => mem.writeU8(0x3000_2000, 1)).toThrowError(GuestFault);
  });

  it('writes shared file mappings back on msync and munmap', () => {
    const mem = new AddressSpace();
    const r = new RegionMap(mem, layout);
    const writes: Array<[number, number, number[]]> = [];
    const released: number[] = [];
    r.hooks = { writeBack: (fd, d, off) => writes.push([fd, off, [...d.subarray(0, 2)]]), release: (fd) => released.push(fd) };
    r.map(0x3000_0000, 2 * PAGE_SIZE, 3, 'f', { hostFd: 77, fileOffset: 8192 });
    mem.writeBytes(0x3000_1000, new Uint8Array([9, 8]));
    r.sync(0x3000_1000, 0x3000_2000);
    r.unmap(0x3000_0000, PAGE_SIZE);
    expect(writes).toEqual([[77, 8192 + 4096, [9, 8]], [77, 8192, [0, 0]]]);
    expect(released).toEqual([]); // the second page still uses the fd
    r.unmap(0x3000_1000, PAGE_SIZE);
    expect(released).toEqual([77]);
  });

  it('is shared between two maps attached to the same table', () => {
    const mem = new AddressSpace();
    const a = new RegionMap(mem, layout);
    const b = new RegionMap(mem, layout, a.share());
    const x = a.placeAndMap(PAGE_SIZE, 0, 3, '/lib/thing.so');
    expect(b.find(x)?.name).toBe('/lib/thing.so');
    const y = b.placeAndMap(PAGE_SIZE, 0, 3, '');
    expect(y).not.toBe(x);
    expect(a.list().length).toBe(2);
  });
});
