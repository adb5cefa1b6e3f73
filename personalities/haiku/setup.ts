/**
 * The Haiku start-up protocol as compat builds it: per-thread TLS slot
 * arrays (tp), the code page (thread-exit and team-exit stubs, the init
 * trampoline that runs init routines then calls entry(argc, argv, env)),
 * user_space_program_args with its flat argument buffer, and the commpage.
 */
import type { RegionMap } from '../../src/memory/regions.js';

export const TLS_MAX_KEYS = 64;
export const TLS_SLOT = { BASE: 0, THREAD_ID: 1, ERRNO: 2, ON_EXIT: 3, USER_THREAD: 4 } as const;
/** One page per thread: the slot array, then the user_thread structure. */
const USER_THREAD_OFFSET = TLS_MAX_KEYS * 8;

/** Maps a thread's TLS page and fills its slots; returns the value for tp. */
export function mapTls(regions: RegionMap, tid: number, name: string): number {
  const at = regions.placeAndMap(4096, 0, 3, `${name} tls`);
  if (at < 0) throw new Error('no room for a thread\'s TLS block');
  const dv = regions.mem.dv;
  dv.setBigUint64(at + TLS_SLOT.BASE * 8, BigInt(at), true);
  dv.setBigUint64(at + TLS_SLOT.THREAD_ID * 8, BigInt(tid), true);
  dv.setBigUint64(at + TLS_SLOT.USER_THREAD * 8, BigInt(at + USER_THREAD_OFFSET), true);
  return at;
}

// ---- RISC-V encodings for the code page (our own tiny assembler) ----
const R = { zero: 0, ra: 1, sp: 2, t0: 5, t1: 6, s1: 9, s2: 18, s3: 19, s4: 20, s5: 21, s6: 22, a0: 10, a1: 11, a2: 12 } as const;
const itype = (op: number, f3: number, rd: number, rs1: number, imm: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const addi = (rd: number, rs1: number, imm: number): number => itype(0x13, 0, rd, rs1, imm);
const ld = (rd: number, rs1: number, imm: number): number => itype(0x03, 3, rd, rs1, imm);
const jalr = (rd: number, rs1: number, imm: number): number => itype(0x67, 0, rd, rs1, imm);
const auipc = (rd: number, imm20: number): number => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x17) >>> 0;
const ECALL = 0x00000073;

export interface CodePage {
  base: number;
  /** `li t0, exit_thread; ecall`: return address of every thread entry. */
  threadExit: number;
  /** `li t0, exit_team; ecall`: return address of the program entry. */
  teamExit: number;
  /** Runs the init routines in s1[0..n) with (argc, argv, env) = (s3, s4, s5), then jumps to s6. */
  start: number;
}

/** Writes the code page: exit stubs (numbers from the team's numbering) and the init trampoline. */
export function mapCodePage(regions: RegionMap, exitThreadNr: number, exitTeamNr: number, initCount: number, restoreSignalFrameNr = 0): CodePage {
  const words: number[] = [
    addi(R.t0, R.zero, exitThreadNr), ECALL, // 0: thread exit (a0 = return value)
    addi(R.t0, R.zero, exitTeamNr), ECALL, // 8: team exit (a0 = status)
    // 16: return from a signal handler (SIGNAL_RETURN_OFFSET): sp is back at the frame
    addi(R.a0, R.sp, 0), addi(R.t0, R.zero, restoreSignalFrameNr), ECALL, 0x00100073 /* ebreak: not reached */,
  ];
  const start = words.length * 4;
  for (let i = 0; i < initCount; i++) {
    words.push(ld(R.t1, R.s1, i * 8), addi(R.a0, R.s3, 0), addi(R.a1, R.s4, 0), addi(R.a2, R.s5, 0), jalr(R.ra, R.t1, 0));
  }
  words.push(addi(R.a0, R.s3, 0), addi(R.a1, R.s4, 0), addi(R.a2, R.s5, 0));
  // ra = the team-exit stub at offset 8: auipc ra, 0; addi ra, ra, 8 - here
  const here = words.length * 4;
  words.push(auipc(R.ra, 0), addi(R.ra, R.ra, 8 - here), jalr(R.zero, R.s6, 0));
  const size = Math.max(4096, Math.ceil((words.length * 4) / 4096) * 4096);
  const base = regions.placeAndMap(size, 0, 3, '[haiku code]');
  if (base < 0) throw new Error('no room for the Haiku code page');
  words.forEach((w, i) => regions.mem.dv.setUint32(base + i * 4, w, true));
  regions.protect(base, size, 5);
  return { base, threadExit: base, teamExit: base + 8, start: base + start };
}

/** Offset in the code page of the signal-return stub: `mv a0, sp; li t0, restore_signal_frame; ecall`. */
export const SIGNAL_RETURN_OFFSET = 16;

/** The flat argument buffer: argv pointers + NULL, env pointers + NULL, then the strings. */
export function flatArgs(at: number, argv: readonly string[], envp: readonly string[]): { bytes: Uint8Array; argvAt: number; envAt: number } {
  const nptr = argv.length + envp.length + 2;
  const strings = [...argv, ...envp].map((s) => Buffer.from(s + '\0', 'utf8'));
  const total = nptr * 8 + strings.reduce((n, s) => n + s.length, 0);
  const bytes = new Uint8Array(total);
  const dv = new DataView(bytes.buffer);
  let s = nptr * 8;
  let slot = 0;
  const put = (i: number): void => { dv.setBigUint64(slot * 8, BigInt(at + s), true); bytes.set(strings[i], s); s += strings[i].length; slot++; };
  for (let i = 0; i < argv.length; i++) put(i);
  slot++; // NULL
  for (let i = 0; i < envp.length; i++) put(argv.length + i);
  return { bytes, argvAt: at, envAt: at + (argv.length + 1) * 8 };
}

/** struct user_space_program_args (64-bit): offsets per the reference §3.1; 1096 bytes. */
export const USPA = { NAME: 0, PATH: 32, ERROR_PORT: 1056, ERROR_TOKEN: 1060, ARG_COUNT: 1064, ENV_COUNT: 1068, ARGS: 1072, ENV: 1080, UMASK: 1088, DISABLE_ADDONS: 1092, SIZE: 1096 } as const;

/** Maps an area holding user_space_program_args + the flat buffer; returns its address. */
export function mapProgramArgs(regions: RegionMap, programPath: string, argv: readonly string[], envp: readonly string[]): number {
  const probe = flatArgs(0, argv, envp);
  const size = USPA.SIZE + probe.bytes.length;
  const at = regions.placeAndMap(size, 0, 3, 'user_space_program_args');
  if (at < 0) throw new Error('no room for the program arguments');
  const flat = flatArgs(at + USPA.SIZE, argv, envp);
  const b = new Uint8Array(USPA.SIZE);
  const dv = new DataView(b.buffer);
  const base = programPath.split('/').pop() ?? programPath;
  b.set(Buffer.from(base, 'utf8').subarray(0, 31), USPA.NAME);
  b.set(Buffer.from(programPath, 'utf8').subarray(0, 1023), USPA.PATH);
  dv.setInt32(USPA.ERROR_PORT, -1, true);
  dv.setUint32(USPA.ERROR_TOKEN, 0, true);
  dv.setInt32(USPA.ARG_COUNT, argv.length, true);
  dv.setInt32(USPA.ENV_COUNT, envp.length, true);
  dv.setBigUint64(USPA.ARGS, BigInt(flat.argvAt), true);
  dv.setBigUint64(USPA.ENV, BigInt(flat.envAt), true);
  dv.setUint32(USPA.UMASK, 0xffffffff, true); // (mode_t)-1: not set
  regions.mem.poke(at, b);
  regions.mem.poke(at + USPA.SIZE, flat.bytes);
  return at;
}

/** COMMPAGE_SIZE, the signature 'COMM', version 1, entry 2 = offset of the real-time data. */
export const COMMPAGE_SIZE = 0x8000;
export const COMMPAGE_SIGNATURE = 0x434f4d4d;
export function mapCommpage(regions: RegionMap): number {
  const at = regions.placeAndMap(COMMPAGE_SIZE, 0, 3, 'commpage');
  if (at < 0) throw new Error('no room for the commpage');
  const dv = regions.mem.dv;
  dv.setBigUint64(at, BigInt(COMMPAGE_SIGNATURE), true);
  dv.setBigUint64(at + 8, 1n, true);
  const rtd = 64 * 8;
  dv.setBigUint64(at + 16, BigInt(rtd), true);
  // real_time_data stays zero: compat's system_time comes from the _kern_system_time syscall, not from rdtime
  regions.protect(at, COMMPAGE_SIZE, 1);
  return at;
}
