/**
 * Malformed-input fuzzing: hundreds of deterministic mutations of the real
 * fixtures. Every one must give a claim or a one-line 126 refusal, and the
 * parser may only throw ExecFormatError. Time is not measured here (a
 * 500 ms-per-input check failed on a loaded machine): a sniffer that loops
 * or slows down on some input fails the 60 s test timeout, each test having
 * 250 and more inputs.
 */
import { describe, expect, it } from 'vitest';
import {
  ExecFormatError, findDynamicSymbol, parseElf, readDynamicSymbolU32, sniffInput, sniffInputFromBytes, type ElfInfo,
} from '../../src/exec/index.js';
import { linuxElfSniffer } from '../../personalities/linux/sniffer.js';
import { fixtureBytes, prng } from './helpers.js';

const BASES = [
  'hello-riscv64-dynamic', 'hello-riscv64-static-pie', 'hello-riscv64-dynamic-unstripped', 'hello-mipsel-dynamic',
  'hello-i686-dynamic', 'hello-powerpc-dynamic', 'haiku-like-x86_64', 'hello-aarch64-dynamic',
];
const BIG = ['hello-x86_64-static', 'hello-mipsel-static'];

interface Layout { le: boolean; is64: boolean; info: ElfInfo }

function layout(b: Uint8Array): Layout {
  const info = parseElf(b);
  return { le: info.endian === 'little', is64: info.wordSize === 64, info };
}

/** Writes an address-sized field. */
function setWord(dv: DataView, off: number, v: bigint, l: Layout): void {
  if (off < 0) return;
  if (l.is64) { if (off + 8 <= dv.byteLength) dv.setBigUint64(off, BigInt.asUintN(64, v), l.le); }
  else if (off + 4 <= dv.byteLength) dv.setUint32(off, Number(BigInt.asUintN(32, v)), l.le);
}

const ABSURD = [0n, 1n, 0x7fn, 0xffffn, 0x7fffffffn, 0xffffffffn, 0xfffffffffn, 0x7fffffffffffffffn, 0xffffffffffffffffn, 0x1_0000_0000n];

type Mutation = { name: string; bytes: Uint8Array };

function* mutations(name: string, base: Uint8Array, rnd: () => number): Generator<Mutation> {
  const l = layout(base);
  const w = l.is64 ? 8 : 4;
  const ri = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]) => a[ri(a.length)]!;
  const ehOff = l.is64
    ? { entry: 24, phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60, shstrndx: 62 }
    : { entry: 24, phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, shnum: 48, shstrndx: 50 };
  const phField = (i: number, f: 'offset' | 'vaddr' | 'filesz' | 'memsz' | 'align') => {
    const o = l.info.phoff + i * (l.is64 ? 56 : 32);
    const t64 = { offset: 8, vaddr: 16, filesz: 32, memsz: 40, align: 48 };
    const t32 = { offset: 4, vaddr: 8, filesz: 16, memsz: 20, align: 28 };
    return o + (l.is64 ? t64 : t32)[f];
  };
  const copy = () => base.slice();
  const dvOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

  // 1. truncations: every length up to 160, then many more across the file
  for (let n = 0; n <= 160; n += 3) yield { name: `${name} truncated to ${n}`, bytes: base.slice(0, n) };
  for (let k = 0; k < 25; k++) { const n = ri(base.length); yield { name: `${name} truncated to ${n}`, bytes: base.slice(0, n) }; }
  // 2. random byte corruptions in the ELF header
  for (let k = 0; k < 25; k++) {
    const b = copy();
    for (let j = 0, m = 1 + ri(4); j < m; j++) b[ri(l.is64 ? 64 : 52)] = ri(256);
    yield { name: `${name} header corruption ${k}`, bytes: b };
  }
  // 3. random corruptions in the program header table
  const phEnd = l.info.phoff + l.info.phnum * l.info.phentsize;
  for (let k = 0; k < 25; k++) {
    const b = copy();
    for (let j = 0, m = 1 + ri(6); j < m; j++) b[l.info.phoff + ri(phEnd - l.info.phoff)] = ri(256);
    yield { name: `${name} phdr corruption ${k}`, bytes: b };
  }
  // 4. absurd header fields
  for (const field of ['phoff', 'shoff', 'entry'] as const) {
    for (const v of ABSURD) {
      const b = copy();
      setWord(dvOf(b), ehOff[field], v, l);
      yield { name: `${name} e_${field}=${v}`, bytes: b };
    }
  }
  for (const field of ['phnum', 'phentsize', 'shnum', 'shentsize', 'shstrndx'] as const) {
    for (const v of [0, 1, 2, 0x7fff, 0xfffe, 0xffff, l.info.shnum, ri(0x10000)]) {
      const b = copy();
      dvOf(b).setUint16(ehOff[field], v, l.le);
      yield { name: `${name} e_${field}=${v}`, bytes: b };
    }
  }
  // 5. absurd program header fields
  for (let k = 0; k < 40; k++) {
    const b = copy();
    const i = ri(l.info.phnum);
    const f = pick(['offset', 'vaddr', 'filesz', 'memsz', 'align'] as const);
    const v = rnd() < 0.5 ? pick(ABSURD) : BigInt(ri(base.length * 2));
    setWord(dvOf(b), phField(i, f), v, l);
    yield { name: `${name} ph${i}.${f}=${v}`, bytes: b };
  }
  // 6. dynamic section: string table pointing at itself, huge DT_STRSZ, wild DT_NEEDED offsets
  const dyn = l.info.programHeaders.find((p) => p.type === 2);
  if (dyn) {
    const ent = 2 * w;
    const count = Math.floor(dyn.filesz / ent);
    for (let k = 0; k < 30; k++) {
      const b = copy();
      const dv = dvOf(b);
      const i = ri(count);
      const at = dyn.offset + i * ent;
      const choice = ri(4);
      if (choice === 0) { setWord(dv, at, 5n, l); setWord(dv, at + w, BigInt(dyn.vaddr), l); } // DT_STRTAB = the dynamic section itself
      else if (choice === 1) { setWord(dv, at, 10n, l); setWord(dv, at + w, pick(ABSURD), l); } // DT_STRSZ
      else if (choice === 2) { setWord(dv, at, 1n, l); setWord(dv, at + w, pick(ABSURD), l); } // DT_NEEDED
      else { for (let j = 0; j < count; j++) setWord(dv, dyn.offset + j * ent, 1n, l); } // no DT_NULL at all
      yield { name: `${name} dynamic mutation ${k}/${choice}`, bytes: b };
    }
  }
  // 7. section headers: absurd offsets/sizes, names, shstrndx on itself
  if (l.info.sections && l.info.sections.length) {
    const sz = l.is64 ? 64 : 40;
    for (let k = 0; k < 20; k++) {
      const b = copy();
      const dv = dvOf(b);
      const i = ri(l.info.shnum);
      const o = l.info.shoff + i * sz;
      const f = ri(3);
      if (f === 0) dv.setUint32(o, ri(2) ? 0xffffffff : ri(4096), l.le); // sh_name
      else if (f === 1) setWord(dv, o + (l.is64 ? 24 : 16), pick(ABSURD), l); // sh_offset
      else setWord(dv, o + (l.is64 ? 32 : 20), pick(ABSURD), l); // sh_size
      yield { name: `${name} section ${i} mutation ${f}`, bytes: b };
    }
  }
  // 8. random corruption anywhere in the first 4 KiB
  for (let k = 0; k < 15; k++) {
    const b = copy();
    for (let j = 0, m = 1 + ri(16); j < m; j++) b[ri(Math.min(4096, b.length))] = ri(256);
    yield { name: `${name} random corruption ${k}`, bytes: b };
  }
}

function check(m: Mutation): 'claim' | 'refusal' {
  let info: ElfInfo | null = null;
  try {
    info = parseElf(m.bytes);
  } catch (e) {
    if (!(e instanceof ExecFormatError)) throw new Error(`${m.name}: parseElf threw ${(e as Error)?.constructor?.name}: ${String(e)}`);
    expect(e.message, m.name).not.toMatch(/[\r\n]/);
    expect(e.message.length, m.name).toBeLessThan(300);
  }
  if (info) {
    expect(() => findDynamicSymbol(info!, m.bytes, '_gSharedObjectHaikuABI'), m.name).not.toThrow();
    expect(() => readDynamicSymbolU32(info!, m.bytes, 'printf'), m.name).not.toThrow();
  }
  const out = { exec: sniffInput(sniffInputFromBytes(m.bytes, m.name), [linuxElfSniffer]),
    sniff: sniffInput(sniffInputFromBytes(m.bytes, m.name), [linuxElfSniffer], { forExec: false }) };
  for (const o of [out.exec, out.sniff]) {
    if (!o.ok) {
      expect(o.status, m.name).toBe(126);
      expect(o.message, m.name).not.toMatch(/[\r\n]/);
      expect(o.message.length, m.name).toBeLessThan(300);
      expect(o.message.length, m.name).toBeGreaterThan(0);
    } else {
      expect(['ELF', 'script', 'PEF']).toContain(o.claim.format);
      expect(() => JSON.stringify(o.claim)).not.toThrow();
    }
  }
  return out.exec.ok ? 'claim' : 'refusal';
}

describe('malformed ELF fuzzing', () => {
  it.each(BASES)('mutations of %s', (name) => {
    const base = fixtureBytes(name);
    const rnd = prng(0xc0ffee ^ name.length * 7919 ^ name.charCodeAt(6));
    let n = 0;
    const tally = { claim: 0, refusal: 0 };
    for (const m of mutations(name, base, rnd)) { tally[check(m)]++; n++; }
    expect(n).toBeGreaterThan(250);
    expect(tally.refusal).toBeGreaterThan(50);
  });

  it.each(BIG)('header and segment mutations of the large static %s', (name) => {
    const base = fixtureBytes(name);
    const rnd = prng(42 + name.length);
    let n = 0;
    for (const m of mutations(name, base, rnd)) { check(m); if (++n >= 120) break; }
    expect(n).toBe(120);
  });

  it('never allocates for header-claimed sizes: a 64-byte ELF claiming 65535 program headers', () => {
    const b = fixtureBytes('hello-riscv64-static-pie').slice(0, 64);
    new DataView(b.buffer).setUint16(56, 0xffff, true);
    expect(() => parseElf(b)).toThrow(ExecFormatError);
  });
});
