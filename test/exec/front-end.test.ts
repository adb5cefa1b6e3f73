import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  claimToJson, describeClaim, parseShebang, resolveExec, resolveScript, sniffFile, sniffInput, sniffInputFromBytes,
} from '../../src/exec/index.js';
import { linuxElfSniffer } from '../../personalities/linux/sniffer.js';
import { FIXTURE_TABLE } from './elf.test.js';
import { ascii, fixture, fixtureBytes } from './helpers.js';

const SNIFFERS = [linuxElfSniffer];
const tmp = mkdtempSync(join(tmpdir(), 'compat-sniff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string, mode = 0o755): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  chmodSync(p, mode);
  return p;
}
const refuse = (bytes: Uint8Array | number[], opts = {}) => {
  const o = sniffInput(sniffInputFromBytes(Uint8Array.from(bytes)), SNIFFERS, opts);
  expect(o.ok).toBe(false);
  if (o.ok) throw new Error('claimed');
  expect(o.message).not.toMatch(/\n/);
  return o;
};

describe('sniffFile: Linux claims for the fixtures', () => {
  it.each(FIXTURE_TABLE)('%s', (name, isa, endian, word, linkage, interp, needed) => {
    const o = sniffFile(fixture(name), SNIFFERS);
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.claim.format).toBe('ELF');
    expect(o.claim.personality).toBe('linux');
    expect(o.claim.isa).toBe(isa);
    expect(o.claim.endian).toBe(endian);
    expect(o.claim.wordSize).toBe(word);
    expect(o.claim.abi['linkage']).toBe(linkage);
    expect(o.claim.abi['static']).toBe(linkage !== 'dynamic');
    expect(o.claim.abi['interp']).toBe(interp);
    expect(o.claim.abi['needed']).toEqual(needed);
    expect(o.claim.confidence).toBeGreaterThanOrEqual(40);
    expect(o.info?.isa).toBe(isa);
    expect(() => JSON.stringify(claimToJson(o.claim))).not.toThrow();
  });

  it('claims an unbranded static-pie by the fallback brand with lower confidence', () => {
    const o = sniffFile(fixture('hello-riscv64-static-pie'), SNIFFERS);
    expect(o.ok && o.claim.abi['brand']).toBe('fallback');
    expect(o.ok && o.claim.confidence).toBe(40);
  });

  it('describes claims in one line', () => {
    const get = (n: string) => { const o = sniffFile(fixture(n), SNIFFERS); if (!o.ok) throw new Error(o.message); return o.claim; };
    expect(describeClaim(get('hello-riscv64-static-pie'), { coreAvailable: true })).toBe('ELF64 RISC-V little-endian, Linux, static-pie, interpreter none');
    expect(describeClaim(get('hello-mipsel-static'), { coreAvailable: false })).toBe('ELF32 MIPS little-endian, Linux, static — no ISA core for mips');
    expect(describeClaim(get('hello-x86_64-dynamic'), { coreAvailable: false })).toBe(
      'ELF64 x86-64 little-endian, Linux, dynamic (interpreter /lib64/ld-linux-x86-64.so.2; needs libc.so.6), PIE — no ISA core for x86_64');
    const j = claimToJson(get('hello-powerpc-static'), { path: 'p', coreAvailable: false });
    expect(Object.keys(j)).toEqual(['path', 'format', 'isa', 'machine', 'endian', 'wordSize', 'personality', 'abi', 'coreAvailable', 'description']);
    expect(j).toMatchObject({ path: 'p', format: 'ELF', isa: 'ppc', endian: 'big', wordSize: 32, personality: 'linux', coreAvailable: false });
  });
});

describe('refusals', () => {
  it('missing file → 127', () => {
    expect(sniffFile(join(tmp, 'nope'), SNIFFERS)).toEqual({ ok: false, status: 127, message: 'No such file or directory' });
  });
  it('directory → 126', () => {
    expect(sniffFile(tmp, SNIFFERS)).toEqual({ ok: false, status: 126, message: 'Is a directory' });
  });
  it('no execute permission → 126 for exec, but sniff still reports the format', () => {
    const p = join(tmp, 'noexec');
    copyFileSync(fixture('hello-riscv64-static-pie'), p);
    chmodSync(p, 0o644);
    expect(sniffFile(p, SNIFFERS)).toEqual({ ok: false, status: 126, message: 'Permission denied' });
    const o = sniffFile(p, SNIFFERS, { forExec: false });
    expect(o.ok && o.claim.isa).toBe('riscv64');
  });
  it('empty file', () => {
    expect(sniffFile(file('empty', ''), SNIFFERS)).toMatchObject({ status: 126, message: expect.stringMatching(/^empty file/) });
  });
  it('text file without #!', () => {
    expect(sniffFile(file('text', 'echo hello\nls\n'), SNIFFERS)).toMatchObject({ status: 126, message: 'text file without a #! line: no personality claims it' });
  });
  it('truncated ELF header', () => {
    const o = refuse(fixtureBytes('hello-x86_64-dynamic').slice(0, 30));
    expect(o).toMatchObject({ status: 126, message: 'ELF64 header is truncated: it needs 64 bytes but the file has 30' });
    expect(refuse([0x7f, 0x45, 0x4c]).message).toMatch(/no personality/);
  });
  it('PE32 executable for Windows', () => {
    const b = new Uint8Array(512);
    b.set(ascii('MZ'));
    const dv = new DataView(b.buffer);
    dv.setUint32(0x3c, 0x80, true);
    b.set(ascii('PE\0\0'), 0x80);
    dv.setUint16(0x84, 0x14c, true); // i386
    dv.setUint16(0x86, 1, true);
    dv.setUint16(0x94, 224, true);
    dv.setUint16(0x96, 0x102, true);
    dv.setUint16(0x98, 0x10b, true); // PE32
    dv.setUint16(0x98 + 68, 3, true); // console
    expect(refuse(b).message).toBe('PE32 executable (console) for Windows (x86): no personality claims it');
    dv.setUint16(0x84, 0x8664, true);
    dv.setUint16(0x98, 0x20b, true);
    dv.setUint16(0x96, 0x2022, true); // DLL
    expect(refuse(b).message).toBe('PE32+ DLL (console) for Windows (x86-64): no personality claims it');
    expect(refuse([...ascii('MZ'), ...new Array(100).fill(0)]).message).toBe('DOS MZ executable: no personality claims it');
  });
  it('Mach-O thin and universal', () => {
    const thin = new Uint8Array(32);
    const dv = new DataView(thin.buffer);
    dv.setUint32(0, 0xfeedfacf, true);
    dv.setUint32(4, 0x0100000c, true);
    dv.setUint32(12, 2, true);
    expect(refuse(thin).message).toBe('Mach-O 64-bit executable for macOS (arm64): no personality claims it');
    const fat = new Uint8Array(64);
    const fv = new DataView(fat.buffer);
    fv.setUint32(0, 0xcafebabe);
    fv.setUint32(4, 2);
    fv.setUint32(8, 0x01000007);
    fv.setUint32(28, 0x0100000c);
    expect(refuse(fat).message).toBe('Mach-O universal binary with 2 architectures (x86_64, arm64) for macOS: no personality claims it');
  });
  it('Java class and WebAssembly', () => {
    expect(refuse([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61, 0, 0]).message).toMatch(/^Java class file \(version 61\.0, Java 17\)/);
    expect(refuse([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]).message).toBe('WebAssembly module (version 1): no personality claims it');
  });
  it('unknown binary data', () => {
    expect(refuse([1, 2, 3, 0, 0xff, 0xfe]).message).toBe('file of unknown format (first bytes 01 02 03 00): no personality claims it');
  });
  it('ELF branded for FreeBSD is named, not claimed by Linux', () => {
    const b = fixtureBytes('hello-riscv64-static-pie').slice();
    b[7] = 9; // EI_OSABI FreeBSD
    const o = refuse(b);
    expect(o.message).toBe('ELF64 RISC-V little-endian, FreeBSD, static-pie, interpreter none: no personality claims it');
    const s = sniffInput(sniffInputFromBytes(b), SNIFFERS, { forExec: false });
    expect(s.ok && s.claim.personality).toBe('freebsd');
  });
  it('a Haiku-looking ELF is not claimed by Linux', () => {
    expect(linuxElfSniffer.sniff(sniffInputFromBytes(fixtureBytes('haiku-like-x86_64')))).toBeNull();
    const o = sniffFile(fixture('haiku-like-x86_64'), SNIFFERS);
    expect(o).toMatchObject({ ok: false, status: 126, message: expect.stringMatching(/Haiku.*no personality claims it/) });
    const s = sniffFile(fixture('haiku-like-x86_64'), SNIFFERS, { forExec: false });
    expect(s.ok && s.claim.personality).toBe('haiku');
  });
  it('relocatable objects are refused', () => {
    const b = fixtureBytes('hello-riscv64-static-pie').slice();
    b[16] = 1; // ET_REL
    expect(refuse(b).message).toMatch(/relocatable object.*cannot be executed/);
  });
});

describe('PEF', () => {
  function pef(libs: string[]): Uint8Array {
    const b = new Uint8Array(40 + 2 * 28 + 256);
    const dv = new DataView(b.buffer);
    b.set(ascii('Joy!peffpwpc'));
    dv.setUint32(12, 1);
    dv.setUint16(32, 2);
    dv.setUint16(34, 1);
    const code = 40, loader = 68, body = 96;
    dv.setInt32(code, -1); dv.setUint32(code + 16, 4); dv.setUint32(code + 20, body); b[code + 24] = 0;
    const lsec = body + 4;
    const strings = 56 + libs.length * 24;
    let strOff = 0;
    libs.forEach((l, i) => { dv.setUint32(lsec + 56 + i * 24, strOff); b.set([...ascii(l), 0], lsec + strings + strOff); strOff += l.length + 1; });
    dv.setUint32(lsec + 24, libs.length);
    dv.setUint32(lsec + 40, strings);
    dv.setInt32(loader, -1); dv.setUint32(loader + 16, strings + strOff); dv.setUint32(loader + 20, lsec); b[loader + 24] = 4;
    return b;
  }
  it('recognizes a BeOS PowerPC PEF as a beos candidate', () => {
    const o = sniffInput(sniffInputFromBytes(pef(['libroot.so', 'libbe.so'])), SNIFFERS, { forExec: false });
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.claim).toMatchObject({ format: 'PEF', isa: 'ppc', endian: 'big', wordSize: 32, personality: 'beos' });
    expect(o.claim.abi['needed']).toEqual(['libroot.so', 'libbe.so']);
    expect(describeClaim(o.claim, { coreAvailable: false })).toBe('PEF PowerPC big-endian, BeOS, needs libroot.so, libbe.so — no ISA core for ppc');
    expect(refuse(pef(['InterfaceLib'])).message).toBe('PEF PowerPC big-endian, classic Mac OS, needs InterfaceLib: no personality claims it');
  });
  it('refuses a truncated PEF', () => {
    expect(refuse(pef(['libroot.so']).slice(0, 50)).message).toMatch(/PEF section headers .* extend past the end/);
  });
});

describe('#! scripts', () => {
  const sb = (s: string) => parseShebang(new TextEncoder().encode(s));
  it('parses like Linux', () => {
    expect(sb('#!/bin/sh\necho')).toEqual({ ok: true, interpreter: '/bin/sh', argument: null });
    expect(sb('#! /usr/bin/env  python3 -u  \n')).toEqual({ ok: true, interpreter: '/usr/bin/env', argument: 'python3 -u' });
    expect(sb('#!/bin/sh\r\n')).toEqual({ ok: true, interpreter: '/bin/sh\r', argument: null });
    expect(sb('#!\t/bin/bash\t-e\t\n')).toEqual({ ok: true, interpreter: '/bin/bash', argument: '-e' });
    expect(sb('#!/bin/sh')).toEqual({ ok: true, interpreter: '/bin/sh', argument: null });
    expect(sb('#!   \n')).toMatchObject({ ok: false });
    expect(sb('#!' + ' '.repeat(300))).toMatchObject({ ok: false });
    expect(sb('#!/' + 'a'.repeat(300))).toMatchObject({ ok: false, reason: expect.stringMatching(/256/) });
    expect(sb('#!/bin/sh ' + 'x'.repeat(300))).toEqual({ ok: true, interpreter: '/bin/sh', argument: 'x'.repeat(246) });
    expect(sb('echo')).toBeNull();
  });
  it('rewrites argv and follows interpreters', () => {
    const script = file('s1', '#!/bin/sh -e\necho hi\n');
    const o = sniffFile(script, SNIFFERS);
    expect(o.ok && o.claim.format).toBe('script');
    if (!o.ok) return;
    expect(resolveScript(o.claim, script, ['s1', 'a', 'b'])).toEqual({ ok: true, interpreter: '/bin/sh', argv: ['/bin/sh', '-e', script, 'a', 'b'] });
    const elf = fixture('hello-riscv64-static-pie');
    const s2 = file('s2', `#!${elf} x\n`);
    const s3 = file('s3', `#!${s2}\n`);
    const r = resolveExec(s3, ['s3', 'arg'], SNIFFERS);
    expect(r).toMatchObject({ ok: true, path: elf, argv: [elf, 'x', s2, s3, 'arg'], interpreters: [s2, elf] });
  });
  it('stops after four levels of interpreters', () => {
    const elf = fixture('hello-riscv64-static-pie');
    let prev = file('l0', `#!${elf}\n`);
    for (let i = 1; i <= 3; i++) prev = file(`l${i}`, `#!${prev}\n`);
    expect(resolveExec(prev, ['x'], SNIFFERS)).toMatchObject({ ok: true, path: elf });
    const top = file('l4', `#!${prev}\n`);
    expect(resolveExec(top, ['x'], SNIFFERS)).toEqual({ ok: false, status: 126, message: 'too many levels of #! interpreters' });
  });
  it('missing interpreter → 127 bad interpreter', () => {
    const s = file('bad', '#!/nonexistent/interp\n');
    expect(resolveExec(s, ['bad'], SNIFFERS)).toEqual({
      ok: false, status: 127, message: '/nonexistent/interp: bad interpreter: No such file or directory',
    });
  });
});
