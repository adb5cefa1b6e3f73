/**
 * Replays the qemu-recorded RISC-V F/D vectors (test/fixtures/vectors/rv64-fp-*.txt,
 * produced by scripts/record-fp-vectors.sh) through executeFp and checks every
 * result bit pattern and the fflags each instruction raised.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AddressSpace } from '../../../src/memory/address-space.js';
import { Rv64State } from '../../../src/isa/riscv64/state.js';
import { executeFp } from '../../../src/isa/riscv64/fpu.js';

const VEC_DIR = fileURLToPath(new URL('../../fixtures/vectors/', import.meta.url));

type Kind = 'ff_f' | 'f_f' | 'fff_f' | 'ff_x' | 'f_x' | 'x_f';
interface OpInfo { kind: Kind; encode: (rd: number, rs1: number, rs2: number, rs3: number, rm: number) => number; inS: boolean; outS: boolean }

const opfp = (f7: number, rs2fixed?: number, f3fixed?: number) =>
  (rd: number, rs1: number, rs2: number, _rs3: number, rm: number) =>
    ((f7 << 25) | ((rs2fixed ?? rs2) << 20) | (rs1 << 15) | ((f3fixed ?? rm) << 12) | (rd << 7) | 0x53) >>> 0;
const r4 = (opc: number, fmt: number) =>
  (rd: number, rs1: number, rs2: number, rs3: number, rm: number) =>
    ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opc) >>> 0;

export const OPS: Record<string, OpInfo> = {};
for (const [sfx, fmt] of [['s', 0], ['d', 1]] as const) {
  const S = fmt === 0;
  const add = (name: string, kind: Kind, encode: OpInfo['encode'], inS = S, outS = S) => {
    OPS[`${name}.${sfx}`] = { kind, encode, inS, outS };
  };
  add('fadd', 'ff_f', opfp(0x00 | fmt));
  add('fsub', 'ff_f', opfp(0x04 | fmt));
  add('fmul', 'ff_f', opfp(0x08 | fmt));
  add('fdiv', 'ff_f', opfp(0x0c | fmt));
  add('fsqrt', 'f_f', opfp(0x2c | fmt, 0));
  add('fsgnj', 'ff_f', opfp(0x10 | fmt, undefined, 0));
  add('fsgnjn', 'ff_f', opfp(0x10 | fmt, undefined, 1));
  add('fsgnjx', 'ff_f', opfp(0x10 | fmt, undefined, 2));
  add('fmin', 'ff_f', opfp(0x14 | fmt, undefined, 0));
  add('fmax', 'ff_f', opfp(0x14 | fmt, undefined, 1));
  add('feq', 'ff_x', opfp(0x50 | fmt, undefined, 2), S, false);
  add('flt', 'ff_x', opfp(0x50 | fmt, undefined, 1), S, false);
  add('fle', 'ff_x', opfp(0x50 | fmt, undefined, 0), S, false);
  add('fclass', 'f_x', opfp(0x70 | fmt, 0, 1), S, false);
  add('fmadd', 'fff_f', r4(0x43, fmt));
  add('fmsub', 'fff_f', r4(0x47, fmt));
  add('fnmsub', 'fff_f', r4(0x4b, fmt));
  add('fnmadd', 'fff_f', r4(0x4f, fmt));
  ['w', 'wu', 'l', 'lu'].forEach((it, i) => {
    OPS[`fcvt.${it}.${sfx}`] = { kind: 'f_x', encode: opfp(0x60 | fmt, i), inS: S, outS: false };
    OPS[`fcvt.${sfx}.${it}`] = { kind: 'x_f', encode: opfp(0x68 | fmt, i), inS: false, outS: S };
  });
}
OPS['fcvt.s.d'] = { kind: 'f_f', encode: opfp(0x20, 1), inS: false, outS: true };
OPS['fcvt.d.s'] = { kind: 'f_f', encode: opfp(0x21, 0), inS: true, outS: false };
OPS['fmv.x.w'] = { kind: 'f_x', encode: opfp(0x70, 0, 0), inS: false, outS: false };
OPS['fmv.w.x'] = { kind: 'x_f', encode: opfp(0x78, 0, 0), inS: false, outS: false };
OPS['fmv.x.d'] = { kind: 'f_x', encode: opfp(0x71, 0, 0), inS: false, outS: false };
OPS['fmv.d.x'] = { kind: 'x_f', encode: opfp(0x79, 0, 0), inS: false, outS: false };

const state = new Rv64State(new AddressSpace(), 1);

function setF(r: number, hex: string, isS: boolean): void {
  const v = BigInt('0x' + hex);
  if (isS) { state.fbits[2 * r] = Number(v) | 0; state.fbits[2 * r + 1] = -1; }
  else { state.fbits[2 * r] = Number(v & 0xffffffffn) | 0; state.fbits[2 * r + 1] = Number(v >> 32n) | 0; }
}
function setX(r: number, hex: string): void {
  const v = BigInt('0x' + hex);
  state.x[2 * r] = Number(v & 0xffffffffn) | 0;
  state.x[2 * r + 1] = Number(v >> 32n) | 0;
}
const hex64 = (lo: number, hi: number) =>
  ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16).padStart(16, '0');

/** Run one vector line; returns an error description or null. `dyn` uses rm=7 with frm. */
export function runVector(line: string, dyn: boolean): string | null {
  const t = line.trim().split(/\s+/);
  const [name, rmS, a, b, c, arrow, res, flS] = t;
  if (arrow !== '->') return `bad line: ${line}`;
  const op = OPS[name];
  if (!op) return `unknown op ${name}`;
  const rm = Number(rmS);
  state.fflags = 0;
  state.frm = dyn ? rm : 0;
  // fill destinations with junk so missing writes show
  state.fbits[8] = 0x12345678; state.fbits[9] = 0x9abcdef0;
  state.x[10] = 0x1234567; state.x[11] = 0x7654321;
  const inS = op.inS;
  switch (op.kind) {
    case 'ff_f': case 'ff_x': setF(1, a, inS); setF(2, b, inS); break;
    case 'fff_f': setF(1, a, inS); setF(2, b, inS); setF(3, c, inS); break;
    case 'f_f': case 'f_x': setF(1, a, inS); break;
    case 'x_f': setX(6, a); break;
  }
  const outX = op.kind === 'ff_x' || op.kind === 'f_x';
  const rd = outX ? 5 : 4;
  const rs1 = op.kind === 'x_f' ? 6 : 1;
  const insn = op.encode(rd, rs1, 2, 3, dyn ? 7 : rm);
  if (!executeFp(state, insn)) return `${line}: executeFp returned false`;
  let got: string;
  if (outX) got = hex64(state.x[10], state.x[11]);
  else if (op.outS) {
    got = (state.fbits[8] >>> 0).toString(16).padStart(8, '0');
    if (state.fbits[9] !== -1) got += ' (not NaN-boxed)';
  } else got = hex64(state.fbits[8], state.fbits[9]);
  const fl = state.fflags.toString(16).padStart(2, '0');
  if (got !== res || fl !== flS) return `${line}  GOT ${got} ${fl}${dyn ? ' (dyn rm)' : ''}`;
  return null;
}

const FILES = ['arith', 'fma', 'misc', 'cvt', 'hard'];

describe('riscv64 FPU vs qemu-recorded vectors', () => {
  for (const f of FILES) {
    it(`rv64-fp-${f}.txt`, () => {
      const lines = readFileSync(VEC_DIR + `rv64-fp-${f}.txt`, 'utf8').split('\n').filter((l) => l.trim());
      const failures: string[] = [];
      let n = 0;
      for (let i = 0; i < lines.length; i++) {
        const err = runVector(lines[i], false);
        n++;
        if (err) failures.push(err);
        // every line once more through the dynamic rounding mode (rm=7, frm)
        const err2 = runVector(lines[i], true);
        if (err2) failures.push(err2);
      }
      if (failures.length) console.log(`${f}: ${failures.length} failures of ${2 * n}\n` + failures.slice(0, 40).join('\n'));
      expect(failures.length).toBe(0);
      expect(n).toBeGreaterThan(1000);
    });
  }
});
