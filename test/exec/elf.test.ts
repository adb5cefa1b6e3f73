import { describe, expect, it } from 'vitest';
import { ExecFormatError, findDynamicSymbol, parseElf, readDynamicSymbolU32 } from '../../src/exec/index.js';
import { fixtureBytes } from './helpers.js';

type Row = [file: string, isa: string, endian: 'little' | 'big', word: 32 | 64, linkage: string, interp: string | null, needed: string[]];
const LIBC = ['libc.so.6'];
export const FIXTURE_TABLE: Row[] = [
  ['hello-riscv64-dynamic', 'riscv64', 'little', 64, 'dynamic', '/lib/ld-linux-riscv64-lp64d.so.1', LIBC],
  ['hello-riscv64-static', 'riscv64', 'little', 64, 'static', null, []],
  ['hello-riscv64-static-pie', 'riscv64', 'little', 64, 'static-pie', null, []],
  ['hello-riscv64-dynamic-unstripped', 'riscv64', 'little', 64, 'dynamic', '/lib/ld-linux-riscv64-lp64d.so.1', LIBC],
  ['hello-mipsel-dynamic', 'mips', 'little', 32, 'dynamic', '/lib/ld.so.1', LIBC],
  ['hello-mipsel-static', 'mips', 'little', 32, 'static', null, []],
  ['hello-i686-dynamic', 'i386', 'little', 32, 'dynamic', '/lib/ld-linux.so.2', LIBC],
  ['hello-i686-static', 'i386', 'little', 32, 'static', null, []],
  ['hello-i686-static-pie', 'i386', 'little', 32, 'static-pie', null, []],
  ['hello-x86_64-dynamic', 'x86_64', 'little', 64, 'dynamic', '/lib64/ld-linux-x86-64.so.2', LIBC],
  ['hello-x86_64-static', 'x86_64', 'little', 64, 'static', null, []],
  ['hello-x86_64-static-pie', 'x86_64', 'little', 64, 'static-pie', null, []],
  ['hello-powerpc-dynamic', 'ppc', 'big', 32, 'dynamic', '/lib/ld.so.1', LIBC],
  ['hello-powerpc-static', 'ppc', 'big', 32, 'static', null, []],
  ['hello-aarch64-dynamic', 'aarch64', 'little', 64, 'dynamic', '/lib/ld-linux-aarch64.so.1', LIBC],
  ['hello-aarch64-static', 'aarch64', 'little', 64, 'static', null, []],
  ['hello-aarch64-static-pie', 'aarch64', 'little', 64, 'static-pie', null, []],
];

describe('parseElf on the fixtures', () => {
  it.each(FIXTURE_TABLE)('%s', (file, isa, endian, word, linkage, interp, needed) => {
    const info = parseElf(fixtureBytes(file));
    expect(info.isa).toBe(isa);
    expect(info.endian).toBe(endian);
    expect(info.wordSize).toBe(word);
    expect(info.linkage).toBe(linkage);
    expect(info.interp).toBe(interp);
    expect(info.dynamic?.needed ?? []).toEqual(needed);
    expect(info.pie).toBe(linkage !== 'static');
    expect(info.warnings).toEqual([]);
    expect(info.programHeaders.length).toBe(info.phnum);
  });

  it('decodes the NT_GNU_ABI_TAG note and the build id', () => {
    const info = parseElf(fixtureBytes('hello-x86_64-dynamic'));
    expect(info.abiTag).toEqual({ osCode: 0, os: 'Linux', kernel: '3.2.0' });
    expect(info.buildId).toMatch(/^[0-9a-f]{40}$/);
    expect(info.notes.map((n) => n.name)).toContain('GNU');
  });

  it('decodes RISC-V e_flags (RVC, double-float ABI)', () => {
    const info = parseElf(fixtureBytes('hello-riscv64-static'));
    expect(info.flagsInfo.rvc).toBe(true);
    expect(info.flagsInfo.floatAbi).toBe('double');
    expect(info.flagsInfo.abi).toBe('lp64d');
    expect(info.machine).toBe(243);
  });

  it('decodes MIPS e_flags and .MIPS.abiflags', () => {
    const info = parseElf(fixtureBytes('hello-mipsel-dynamic'));
    expect(info.flagsInfo.abi).toBe('o32');
    expect(info.flagsInfo.arch).toBe('mips32r2');
    expect(info.flagsInfo.nan2008).toBe(false);
    expect(info.mipsAbiFlags?.isa).toBe('mips32r2');
    expect(info.mipsAbiFlags?.fpAbi).toBe('fpxx');
    expect(info.mipsAbiFlags?.gprSize).toBe(32);
  });

  it('reads section headers, .comment and dynamic symbols of the unstripped riscv64 binary', () => {
    const bytes = fixtureBytes('hello-riscv64-dynamic-unstripped');
    const info = parseElf(bytes);
    const names = info.sections!.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['.text', '.dynsym', '.dynstr', '.comment', '.symtab', '.interp']));
    expect(info.comment.some((c) => c.startsWith('GCC:'))).toBe(true);
    expect(findDynamicSymbol(info, bytes, 'printf')).toMatchObject({ name: 'printf', shndx: 0 });
    expect(findDynamicSymbol(info, bytes, 'no_such_symbol')).toBeNull();
  });

  it('finds Haiku ABI symbols and reads their values through the segments', () => {
    const bytes = fixtureBytes('haiku-like-x86_64');
    const info = parseElf(bytes);
    expect(info.dynamic?.needed).toEqual(['libroot.so']);
    expect(info.interp).toBeNull();
    expect(info.linkage).toBe('dynamic');
    expect(readDynamicSymbolU32(info, bytes, '_gSharedObjectHaikuABI')).toBe(0x00040000);
    expect(readDynamicSymbolU32(info, bytes, '_gSharedObjectHaikuVersion')).toBe(0x500);
  });

  it('finds dynamic symbols without section headers (DT_GNU_HASH count)', () => {
    const bytes = fixtureBytes('haiku-like-x86_64').slice();
    const info0 = parseElf(bytes);
    // wipe e_shoff/e_shnum
    const dv = new DataView(bytes.buffer);
    dv.setBigUint64(0x28, 0n, true);
    dv.setUint16(0x3c, 0, true);
    const info = parseElf(bytes);
    expect(info0.sections).not.toBeNull();
    expect(info.sections).toBeNull();
    expect(readDynamicSymbolU32(info, bytes, '_gSharedObjectHaikuABI')).toBe(0x00040000);
  });

  it('reports a truncated program header table with sizes', () => {
    const bytes = fixtureBytes('hello-riscv64-static-pie').slice(0, 300);
    expect(() => parseElf(bytes)).toThrow(ExecFormatError);
    expect(() => parseElf(bytes)).toThrow(/program header table \(e_phoff 0x40, \d+ entries of 56 bytes\) extends past the end of the 300-byte file/);
  });

  it('rejects absurd e_phentsize, unsorted LOADs, filesz > memsz, entry outside code', () => {
    const base = fixtureBytes('hello-riscv64-static');
    const info = parseElf(base);
    const loads = info.programHeaders.filter((p) => p.type === 1);
    const mut = (f: (dv: DataView) => void) => {
      const b = base.slice();
      f(new DataView(b.buffer));
      return () => parseElf(b);
    };
    expect(mut((dv) => dv.setUint16(0x36, 40, true))).toThrow(/e_phentsize is 40, expected 56/);
    expect(mut((dv) => dv.setBigUint64(0x18, 0x10n, true))).toThrow(/entry point 0x10 is not inside any executable LOAD segment/);
    const ph1 = info.phoff + loads[1]!.index * 56;
    expect(mut((dv) => dv.setBigUint64(ph1 + 32, BigInt(loads[1]!.memsz + 1), true))).toThrow(/p_filesz .* larger than p_memsz|extends past the end/);
    expect(mut((dv) => dv.setBigUint64(ph1 + 16, 0n, true))).toThrow(/not sorted|overlap|differ modulo/);
  });
});
