/**
 * x87: only the control/status word instructions so far (FNSTCW, FLDCW,
 * FNSTSW, FNINIT, FNCLEX). Arithmetic on the register stack is not
 * implemented yet and raises SIGILL (an honest refusal, not a wrong value).
 */
import type { X86Core } from './core.js';

export function execX87(c: X86Core, op: number): void {
  c.modrm();
  const k = c.reg & 7;
  if (c.mod !== 3) {
    if (op === 0xd9 && k === 7) { c.st(c.ea(), 2, c.s.fcw, 0); return; } // FNSTCW m16
    if (op === 0xd9 && k === 5) { c.s.fcw = c.ld16(c.ea()); return; } // FLDCW m16
    if (op === 0xdd && k === 7) { c.st(c.ea(), 2, 0, 0); return; } // FNSTSW m16
    if (op === 0xd9 && k === 6) { // FNSTENV: 28-byte environment (32-bit form): FCW, FSW 0, FTW all empty, pointers 0
      const a = c.ea();
      c.chk(a, 28, 2);
      for (let i = 0; i < 28; i += 4) c.st(a + i, 4, 0, 0);
      c.st(a, 2, c.s.fcw, 0);
      c.st(a + 8, 2, 0xffff, 0);
      c.s.fcw |= 0x3f; // FNSTENV masks all exceptions after storing
      return;
    }
    if (op === 0xd9 && k === 4) { c.s.fcw = c.ld16(c.ea()); return; } // FLDENV (only the control word is kept)
    c.illegal();
  }
  if (op === 0xdf && k === 4 && (c.rm & 7) === 0) { c.writeReg(0, 2, 0, 0); return; } // FNSTSW AX
  if (op === 0xdb && k === 4 && ((c.rm & 7) === 3 || (c.rm & 7) === 2)) { if ((c.rm & 7) === 3) c.s.fcw = 0x37f; return; } // FNINIT, FNCLEX
  c.illegal();
}
