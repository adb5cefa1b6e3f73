/**
 * The Haiku personality's riscv64 signal frame (compat's own layout: the
 * reference notes give no riscv64 signal_frame_data). Written below the
 * interrupted sp (16-byte aligned), the handler runs with
 *   a0 = signal, a1 = sa_userdata, a2 = the frame, sp = the frame,
 *   ra = the code page's return stub (`mv a0, sp; li t0, restore_signal_frame; ecall`),
 * and `_kern_restore_signal_frame(frame)` puts everything back.
 *
 *   0   uint64 magic 'HSIGFRM1'
 *   8   int32  signal, 12 int32 flags (0)
 *   16  uint64 the mask before delivery
 *   24  uint64 pc
 *   32  uint64 x1..x31
 *   280 uint64 f0..f31 (raw bits)
 *   536 uint32 fcsr (frm << 5 | fflags), 540 pad
 *   544 size
 */
import type { IsaCore } from '../../src/plugin/contracts.js';
import { B_BAD_ADDRESS, B_BAD_VALUE } from './abi/errors.js';
import { SIGNAL_RETURN_OFFSET } from './setup.js';
import type { HaikuThread } from './syscalls/types.js';

export const HAIKU_FRAME = { magic: 0, signal: 8, mask: 16, pc: 24, regs: 32, fregs: 280, fcsr: 536, size: 544 } as const;
const MAGIC = 0x314d524647495348n; // "HSIGFRM1"
const SP = 2;
const RA = 1;
const A0 = 10;

interface RvState { fbits: Int32Array; fflags: number; frm: number; reservation: number }
function rvState(core: IsaCore): RvState | null {
  const s = (core as { s?: Partial<RvState> }).s;
  if (s === undefined || !(s.fbits instanceof Int32Array) || s.fbits.length < 64) return null;
  return s as RvState;
}

export interface HandlerAction { handler: bigint; userdata: bigint; newMask: bigint }

/** Saves the thread's registers in a frame on its stack and enters the handler. Throws GuestFault when the stack is unwritable. */
export function enterHandler(t: HaikuThread, sig: number, act: HandlerAction): void {
  const core = t.core;
  const st = rvState(core);
  const sp = Number(BigInt.asUintN(64, core.getReg(SP)));
  const frame = (sp - HAIKU_FRAME.size) & ~15;
  const buf = new Uint8Array(HAIKU_FRAME.size);
  const dv = new DataView(buf.buffer);
  dv.setBigUint64(HAIKU_FRAME.magic, MAGIC, true);
  dv.setInt32(HAIKU_FRAME.signal, sig, true);
  dv.setBigUint64(HAIKU_FRAME.mask, t.kernel.thread.mask, true);
  dv.setBigUint64(HAIKU_FRAME.pc, BigInt(core.pc >>> 0), true);
  for (let i = 1; i < 32; i++) dv.setBigUint64(HAIKU_FRAME.regs + 8 * (i - 1), BigInt.asUintN(64, core.getReg(i)), true);
  if (st) {
    for (let i = 0; i < 32; i++) {
      dv.setInt32(HAIKU_FRAME.fregs + 8 * i, st.fbits[2 * i], true);
      dv.setInt32(HAIKU_FRAME.fregs + 8 * i + 4, st.fbits[2 * i + 1], true);
    }
    dv.setUint32(HAIKU_FRAME.fcsr, ((st.frm & 7) << 5) | (st.fflags & 31), true);
    st.reservation = -1;
  }
  t.mem.writeBytes(frame, buf);
  t.kernel.thread.mask = act.newMask;
  core.pc = Number(BigInt.asUintN(32, act.handler));
  core.setReg(A0, BigInt(sig));
  core.setReg(A0 + 1, act.userdata);
  core.setReg(A0 + 2, BigInt(frame));
  core.setReg(SP, BigInt(frame));
  core.setReg(RA, BigInt(t.team.handle.exitStub + SIGNAL_RETURN_OFFSET));
}

/** _kern_restore_signal_frame: registers, pc and mask from the frame; 0, or an error (nothing changed). */
export function restoreSignalFrame(t: HaikuThread, frame: number): number {
  let b: Uint8Array;
  try { b = t.mem.readBytes(frame, HAIKU_FRAME.size); } catch { return B_BAD_ADDRESS; }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getBigUint64(HAIKU_FRAME.magic, true) !== MAGIC) return B_BAD_VALUE;
  const core = t.core;
  const st = rvState(core);
  core.pc = Number(BigInt.asUintN(32, dv.getBigUint64(HAIKU_FRAME.pc, true)));
  for (let i = 1; i < 32; i++) core.setReg(i, dv.getBigUint64(HAIKU_FRAME.regs + 8 * (i - 1), true));
  if (st) {
    for (let i = 0; i < 32; i++) {
      st.fbits[2 * i] = dv.getInt32(HAIKU_FRAME.fregs + 8 * i, true);
      st.fbits[2 * i + 1] = dv.getInt32(HAIKU_FRAME.fregs + 8 * i + 4, true);
    }
    const fcsr = dv.getUint32(HAIKU_FRAME.fcsr, true);
    st.fflags = fcsr & 31;
    st.frm = (fcsr >>> 5) & 7;
    st.reservation = -1;
  }
  t.kernel.thread.mask = dv.getBigUint64(HAIKU_FRAME.mask, true) & ~((1n << 8n) | (1n << 9n) | (1n << 20n));
  t.kernel.maskChanged();
  return 0;
}
