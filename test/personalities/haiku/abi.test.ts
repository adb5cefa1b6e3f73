// Haiku ABI data: numbering tables, stub decoding, numbering choice from a libroot, error codes, versions.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAIKU_SYSCALLS_2022 } from '../../../personalities/haiku/abi/syscalls-2022.js';
import { HAIKU_SYSCALLS_2024 } from '../../../personalities/haiku/abi/syscalls-2024.js';
import { chooseNumbering, stubNumber } from '../../../personalities/haiku/abi/numbering.js';
import {
  B_BAD_ADDRESS, B_BUSTED_PIPE, B_ENTRY_NOT_FOUND, B_FILE_ERROR, B_GENERAL_ERROR_BASE, B_NO_MEMORY, B_POSIX_ERROR_BASE,
  B_WOULD_BLOCK, haikuError, haikuErrorName,
} from '../../../personalities/haiku/abi/errors.js';
import { abiFromComment, abiName, versionName } from '../../../personalities/haiku/abi/versions.js';
import { numberingFromLibroot } from '../../../personalities/haiku/personality.js';

const ROOT = path.resolve(__dirname, '../../fixtures');

describe('Haiku syscall numbering tables', () => {
  it('ship 279 (2022) and 286 (2024) calls', () => {
    expect(HAIKU_SYSCALLS_2022).toHaveLength(279);
    expect(HAIKU_SYSCALLS_2024).toHaveLength(286);
    expect(new Set(HAIKU_SYSCALLS_2024).size).toBe(286);
  });

  it('hold the numbers seen in the UserlandVM log (2022) and their +7 shift (2024)', () => {
    const pairs: Array<[string, number, number]> = [
      ['register_image', 91, 98], ['image_relocated', 93, 100], ['normalize_path', 105, 112], ['open', 107, 114],
      ['read', 142, 149], ['read_stat', 149, 156], ['close', 151, 158], ['create_area', 193, 200],
      ['set_area_protection', 201, 208], ['reserve_address_range', 203, 210], ['map_file', 205, 212],
      ['get_system_info', 241, 248], ['exit_thread', 56, 59],
    ];
    for (const [name, n22, n24] of pairs) {
      expect(HAIKU_SYSCALLS_2022.indexOf(name), name).toBe(n22);
      expect(HAIKU_SYSCALLS_2024.indexOf(name), name).toBe(n24);
    }
    expect(HAIKU_SYSCALLS_2022[49]).toBe('spawn_thread');
    expect(HAIKU_SYSCALLS_2022).toContain('mutex_unlock');
    expect(HAIKU_SYSCALLS_2024).toContain('mutex_unblock');
    expect(HAIKU_SYSCALLS_2024.slice(7, 10)).toEqual(['event_queue_create', 'event_queue_select', 'event_queue_wait']);
  });
});

describe('riscv64 _kern_* stub decoding', () => {
  const le32 = (w: number) => new Uint8Array([w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);
  it('reads addi t0, zero, N', () => {
    expect(stubNumber(le32((248 << 20) | (5 << 7) | 0x13))).toBe(248);
    expect(stubNumber(le32((59 << 20) | (5 << 7) | 0x13))).toBe(59);
  });
  it('reads c.li t0, N', () => {
    // c.li t0, 7: 010 0 00101 00111 01
    expect(stubNumber(new Uint8Array([0x9d, 0x42]))).toBe(7);
    expect(stubNumber(new Uint8Array([0x81, 0x42]))).toBe(0);
  });
  it('refuses other instructions', () => {
    expect(stubNumber(le32((5 << 20) | (6 << 7) | 0x13))).toBeNull(); // addi t1
    expect(stubNumber(le32(0x00000073))).toBeNull(); // ecall
  });
  it('chooses the table every stub agrees with, else the stubs themselves', () => {
    expect(chooseNumbering(new Map([['open', 114], ['exit_team', HAIKU_SYSCALLS_2024.indexOf('exit_team')]]), '2022', 'x').name).toBe('2024');
    expect(chooseNumbering(new Map([['open', 107], ['exit_team', 38]]), '2024', 'x').name).toBe('2022');
    const own = chooseNumbering(new Map([['open', 300], ['write', 301]]), '2024', 'x');
    expect(own.name).toBe('libroot');
    expect(own.byNumber.get(300)).toBe('open');
    expect(chooseNumbering(new Map(), '2022', 'x').name).toBe('2022');
  });
  it('finds the numbering of the fixture libroot.so builds from their stubs', () => {
    const n24 = numberingFromLibroot(path.join(ROOT, 'haiku-root/boot/system/lib/libroot.so'), '2022');
    expect(n24.name).toBe('2024');
    expect(n24.byName.get('write')).toBe(HAIKU_SYSCALLS_2024.indexOf('write'));
    const n22 = numberingFromLibroot(path.join(ROOT, 'haiku-root-2022/boot/system/lib/libroot.so'), '2024');
    expect(n22.name).toBe('2022');
    expect(n22.source).toMatch(/stubs match the 2022 table/);
  });
});

describe('Haiku error codes', () => {
  it('are negative from INT_MIN', () => {
    expect(B_GENERAL_ERROR_BASE).toBe(-2147483648);
    expect(B_NO_MEMORY).toBe(-2147483648);
    expect(B_BAD_ADDRESS).toBe(-2147483648 + 0x1301);
    expect(B_POSIX_ERROR_BASE).toBe(-2147483648 + 0x7000);
  });
  it('map neutral errnos as Haiku encodes POSIX errors', () => {
    expect(haikuError('ENOENT')).toBe(B_ENTRY_NOT_FOUND);
    expect(haikuError('EBADF')).toBe(B_FILE_ERROR);
    expect(haikuError('EPIPE')).toBe(B_BUSTED_PIPE);
    expect(haikuError('EAGAIN')).toBe(B_WOULD_BLOCK);
    expect(haikuError('ENOMEM')).toBe(B_NO_MEMORY);
    expect(haikuError('E2BIG')).toBe(B_POSIX_ERROR_BASE + 1);
    expect(haikuError('ENOSYS')).toBe(B_POSIX_ERROR_BASE + 9);
    expect(haikuError('ESPIPE')).toBe(B_POSIX_ERROR_BASE + 12);
    expect(haikuErrorName(B_ENTRY_NOT_FOUND)).toBe('B_ENTRY_NOT_FOUND');
  });
});

describe('Haiku ABI and version markers', () => {
  it('names ABI values', () => {
    expect(abiName(0x00040000).abi).toBe('gcc4');
    expect(abiName(0x00020002)).toEqual({ abi: 'gcc2', gcc2Flavor: 'haiku' });
    expect(abiName(0x00020001)).toEqual({ abi: 'gcc2', gcc2Flavor: 'beos' });
  });
  it('derives the ABI from .comment as runtime_loader does', () => {
    expect(abiFromComment(['GCC: (GNU) 2.9-beos-991026'])).toBe(0x00020000);
    expect(abiFromComment(['GCC: (GNU) 2.95.3-haiku-080322'])).toBe(0x00020002);
    expect(abiFromComment(['GCC: (GNU) 2.95.3-beos'])).toBe(0x00020001);
    expect(abiFromComment(['GCC: (2018_05_01) 7.3.0'])).toBe(0x00070000);
    expect(abiFromComment(['clang'])).toBeNull();
  });
  it('names API versions', () => {
    expect(versionName(0x500)).toBe('R1/beta1');
    expect(versionName(0x10000)).toBe('R1');
    expect(versionName(1)).toBe('BeOS');
  });
});
