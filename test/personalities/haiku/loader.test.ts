// compat's Haiku image loader: library search in a root, GNU/SysV hash lookups, relocation, init order.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HaikuImageSet, HaikuLoadError, findHaikuRoot } from '../../../personalities/haiku/loader.js';
import { findDynamicSymbol, parseElf } from '../../../src/exec/elf.js';
import { AddressSpace } from '../../../src/memory/address-space.js';
import { RegionMap } from '../../../src/memory/regions.js';

const FIX = path.resolve(__dirname, '../../fixtures');
const LAYOUT = { mmapTop: 0x7000_0000, mmapBottom: 0x2000_0000 };

function fresh(root: string | null) {
  const mem = new AddressSpace();
  const regions = new RegionMap(mem, LAYOUT);
  return { mem, set: new HaikuImageSet(regions, root) };
}

describe('HaikuImageSet', () => {
  it.each([['haiku-root', 'DT_GNU_HASH'], ['haiku-root-2022', 'DT_HASH'], ['haiku-root-rld', 'both']])(
    'looks symbols up through the hash table of %s (%s)', (root, _kind) => {
      const lib = path.join(FIX, root, 'boot/system/lib/libroot.so');
      const bytes = new Uint8Array(readFileSync(lib));
      const info = parseElf(bytes);
      const { set } = fresh(path.join(FIX, root));
      const img = set.mapFile('libroot.so', lib);
      for (const name of ['_kern_write', '_kern_exit_team', 'print', 'spawn_thread', '_gSharedObjectHaikuABI', '__libroot_initialised', 'memcpy']) {
        const want = findDynamicSymbol(info, bytes, name)!;
        const hit = set.lookupIn(img, name)!;
        expect(hit, name).not.toBeNull();
        expect(hit.value - img.bias, name).toBe(want.value);
      }
      expect(set.lookupIn(img, 'no_such_symbol')).toBeNull();
      expect(set.lookupIn(img, '_kern_write_')).toBeNull();
    });

  it('loads DT_NEEDED from the root and binds PLT slots to libroot', () => {
    const root = path.join(FIX, 'haiku-root');
    const { mem, set } = fresh(root);
    const prog = set.mapFile('args', path.join(root, 'boot/home/bin/args'));
    set.loadNeeded();
    expect(set.images.map((i) => i.name)).toEqual(['args', 'libroot.so']);
    set.relocateAll();
    const lr = set.images[1];
    // every JUMP_SLOT of the program now holds the address of the libroot function
    const rela = prog.dyn.get(23)![0] + prog.bias;
    const size = prog.dyn.get(2)![0];
    for (let o = rela; o < rela + size; o += 24) {
      const where = Number(mem.dv.getBigUint64(o, true)) + prog.bias;
      const sym = Number(mem.dv.getBigUint64(o + 8, true) >> 32n);
      const name = set.symbol(prog, sym).name;
      expect(Number(mem.dv.getBigUint64(where, true)), name).toBe(set.lookupIn(lr, name)!.value);
    }
    // init routines: libroot's before the program's
    const inits = set.initRoutines();
    expect(inits.length).toBe(2);
    expect(inits[0]).toBeGreaterThanOrEqual(lr.start);
    expect(inits[0]).toBeLessThan(lr.end);
    expect(inits[1]).toBeGreaterThanOrEqual(prog.start);
  });

  it('says which library is missing and where it looked', () => {
    const { set } = fresh(path.join(FIX, 'haiku-sniff'));
    set.mapFile('hello', path.join(FIX, 'haiku-root/boot/home/bin/hello'));
    expect(() => set.loadNeeded()).toThrow(HaikuLoadError);
    expect(() => set.loadNeeded()).toThrow(/hello needs libroot\.so, which is not in .*haiku-sniff\/\{boot\/home\/config\/non-packaged\/lib,/);
  });

  it('refuses an image of another machine', () => {
    const { set } = fresh(null);
    expect(() => set.mapFile('x', path.join(FIX, 'haiku-sniff/haiku-x86_64-gcc4'))).toThrow(/x86-64 image cannot be loaded into a riscv64 program/);
  });

  it('finds the root from the environment or above the program', () => {
    expect(findHaikuRoot(path.join(FIX, 'haiku-root/boot/home/bin/hello'), {})).toBe(path.join(FIX, 'haiku-root'));
    expect(findHaikuRoot('/usr/bin/env', { COMPAT_HAIKU_ROOT: '/x/y' })).toBe('/x/y');
    expect(findHaikuRoot('/usr/bin/env', {})).toBeNull();
  });
});
