/**
 * The Linux process start-up protocol: the initial stack the kernel builds
 * (argc, argv, envp, auxv, strings, AT_RANDOM bytes) and the registers the
 * program's entry point expects.
 */
import { randomFillSync } from 'node:crypto';
import type { GuestImage } from '../../src/plugin/contracts.js';
import type { LinuxArch } from './abi/arch.js';

export const AT = {
  NULL: 0, IGNORE: 1, EXECFD: 2, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8,
  ENTRY: 9, NOTELF: 10, UID: 11, EUID: 12, GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16,
  CLKTCK: 17, SECURE: 23, BASE_PLATFORM: 24, RANDOM: 25, HWCAP2: 26, EXECFN: 31,
  SYSINFO_EHDR: 33, MINSIGSTKSZ: 51,
} as const;

export interface Credentials { uid: number; euid: number; gid: number; egid: number }

/**
 * Writes the initial stack below `stackTop` and returns the stack pointer
 * (pointing at argc, 16-byte aligned).
 */
export function buildInitialStack(img: GuestImage, arch: LinuxArch, stackTop: number, cred: Credentials): number {
  const mem = img.mem;
  const w = arch.wordSize / 8;
  const le = arch.endian === 'little';
  let sp = stackTop;

  const pushBytes = (b: Uint8Array): number => {
    sp -= b.length;
    mem.poke(sp, b);
    return sp;
  };
  const cstr = (s: string): Uint8Array => {
    const b = Buffer.from(s, 'utf8');
    const out = new Uint8Array(b.length + 1);
    out.set(b);
    return out;
  };

  // strings at the very top, as the kernel lays them out: execfn, then env, then args
  pushBytes(new Uint8Array(w)); // end marker
  const execfnAddr = pushBytes(cstr(img.execPath));
  const envAddrs = img.envp.map((e) => e).reverse().map((e) => pushBytes(cstr(e))).reverse();
  const argAddrs = img.argv.map((a) => a).reverse().map((a) => pushBytes(cstr(a))).reverse();
  sp &= ~15;
  const platformAddr = arch.platform === null ? 0 : pushBytes(cstr(arch.platform));
  const random = new Uint8Array(16);
  randomFillSync(random);
  sp &= ~15;
  const randomAddr = pushBytes(random);

  const auxv: Array<[number, bigint | number]> = [
    [AT.HWCAP, arch.hwcap],
    [AT.PAGESZ, arch.pageSize],
    [AT.CLKTCK, 100],
    [AT.PHDR, img.phdr],
    [AT.PHENT, img.phent],
    [AT.PHNUM, img.phnum],
    [AT.BASE, img.interpBase],
    [AT.FLAGS, 0],
    [AT.ENTRY, img.entry],
    [AT.UID, cred.uid],
    [AT.EUID, cred.euid],
    [AT.GID, cred.gid],
    [AT.EGID, cred.egid],
    [AT.SECURE, 0],
    [AT.RANDOM, randomAddr],
    [AT.HWCAP2, 0],
    [AT.EXECFN, execfnAddr],
    [AT.NULL, 0],
  ];

  if (platformAddr) auxv.splice(auxv.length - 1, 0, [AT.PLATFORM, platformAddr]);
  const words: Array<bigint | number> = [img.argv.length, ...argAddrs, 0, ...envAddrs, 0];
  for (const [k, v] of auxv) words.push(k, v);
  const size = words.length * w;
  sp = (sp - size) & ~15;
  const dv = new DataView(new ArrayBuffer(size));
  words.forEach((v, i) => {
    if (w === 8) dv.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(v)), le);
    else dv.setUint32(i * 4, Number(BigInt.asUintN(32, BigInt(v))), le);
  });
  mem.poke(sp, new Uint8Array(dv.buffer));
  return sp;
}
