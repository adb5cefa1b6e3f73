/**
 * x86 (x86-64 and i386) architectural state.
 *
 * As for the other cores, the register files live in the guest's own memory,
 * in the runtime-owned area below GUEST_MIN_ADDR, one 1 KiB slot per guest
 * thread (`slot * 1024`), little-endian.
 *
 * Slot layout (byte offsets from the slot base):
 *   0   .. 127  RAX RCX RDX RBX RSP RBP RSI RDI R8..R15, 8 bytes each
 *               (low int32 word, then high int32 word); i386 uses the low words
 *   128 .. 383  XMM0..XMM15, 16 bytes each, byte 0 least significant
 *   384 .. 463  x87 ST registers as 8 doubles (physical order) — reserved
 * Everything else (RIP, RFLAGS, FS/GS bases, MXCSR) is in X86State fields,
 * which fork and clone copy through the core.
 */
import type { AddressSpace } from '../../memory/address-space.js';

export const SLOT_SIZE = 1024;
export const XMM_OFFSET = 128;

/** Register numbers as the encodings use them (and the ABI glue). */
export const REG = {
  rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7,
  r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15,
} as const;

/** RFLAGS bits. */
export const CF = 1, PF = 4, AF = 16, ZF = 64, SF = 128, TF = 256, IF = 512, DF = 1024, OF = 2048, ID = 1 << 21;
/** The status flags the arithmetic instructions write. */
export const STATUS = CF | PF | AF | ZF | SF | OF;

export class X86State {
  /** GPRs as int32 pairs: r[2*i] = low word, r[2*i+1] = high word. */
  readonly r: Int32Array;
  readonly xb: Uint8Array;
  readonly xw: Uint16Array;
  readonly xd: Int32Array;
  readonly xf32: Float32Array;
  readonly xf64: Float64Array;
  /** DataView over XMM0..15. */
  readonly xdv: DataView;
  rip = 0;
  /** RFLAGS (bit 1 always set). */
  flags = 2;
  fsBase = 0;
  gsBase = 0;
  mxcsr = 0x1f80;
  /** x87 control word (the only x87 state kept so far: fnstcw/fldcw). */
  fcw = 0x37f;
  /** i386 segment selectors (fs, gs) and the thread's TLS descriptors (GDT entries 12..14): base per entry. */
  fsSel = 0;
  gsSel = 0;
  readonly tls: number[] = [0, 0, 0];

  constructor(readonly mem: AddressSpace, readonly slot: number) {
    const base = slot * SLOT_SIZE;
    this.r = new Int32Array(mem.buffer, base, 32);
    this.xb = new Uint8Array(mem.buffer, base + XMM_OFFSET, 256);
    this.xw = new Uint16Array(mem.buffer, base + XMM_OFFSET, 128);
    this.xd = new Int32Array(mem.buffer, base + XMM_OFFSET, 64);
    this.xf32 = new Float32Array(mem.buffer, base + XMM_OFFSET, 64);
    this.xf64 = new Float64Array(mem.buffer, base + XMM_OFFSET, 32);
    this.xdv = new DataView(mem.buffer, base + XMM_OFFSET, 256);
  }

  getX(i: number): bigint { return (BigInt(this.r[2 * i + 1] >>> 0) << 32n) | BigInt(this.r[2 * i] >>> 0); }
  setX(i: number, v: bigint): void {
    this.r[2 * i] = Number(v & 0xffffffffn) | 0;
    this.r[2 * i + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
  }
}
