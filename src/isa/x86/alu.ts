/**
 * x86 integer ALU with eager flags: every operation computes its result and
 * the exact CF/PF/AF/ZF/SF/OF it defines (undefined flags are given the
 * value the Intel manual's pseudo-code produces or left as they were, as
 * noted per operation).
 *
 * Operands are unsigned JS numbers: for 1/2/4-byte sizes `a`/`b` hold the
 * value; for 8 bytes `a`/`b` are the low words and `ah`/`bh` the high words
 * (uint32). Results come back in `res.lo` / `res.hi` (hi only for size 8).
 */
import { AF, CF, OF, PF, SF, STATUS, ZF } from './state.js';

export const res = { lo: 0, hi: 0 };

/** PF for every low byte: PF set when the number of 1 bits is even. */
export const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let b = i, n = 0;
  while (b) { n += b & 1; b >>= 1; }
  PARITY[i] = (n & 1) === 0 ? PF : 0;
}

export const MASK = [0, 0xff, 0xffff, 0, 0xffffffff];
export const SIGN = [0, 0x80, 0x8000, 0, 0x80000000];

/** SF, ZF, PF of a result (size ≤ 4: `r`; size 8: r = low word, rh = high word). */
export function szp(size: number, r: number, rh: number): number {
  if (size === 8) return ((rh & 0x80000000) !== 0 ? SF : 0) | ((r | rh) === 0 ? ZF : 0) | PARITY[r & 0xff];
  return ((r & SIGN[size]) !== 0 ? SF : 0) | (r === 0 ? ZF : 0) | PARITY[r & 0xff];
}

/**
 * The eight classic ALU operations (ADD OR ADC SBB AND SUB XOR CMP, in
 * opcode order): returns the new flags (status bits replaced in `fl`).
 */
export function alu(op: number, size: number, fl: number, a: number, ah: number, b: number, bh: number): number {
  let f = 0;
  if (size === 8) {
    let lo = 0, hi = 0;
    switch (op) {
      case 1: lo = (a | b) >>> 0; hi = (ah | bh) >>> 0; break;
      case 4: lo = (a & b) >>> 0; hi = (ah & bh) >>> 0; break;
      case 6: lo = (a ^ b) >>> 0; hi = (ah ^ bh) >>> 0; break;
      case 0: case 2: {
        const c = op === 2 ? fl & CF : 0;
        const l = a + b + c;
        lo = l >>> 0;
        const h = ah + bh + (l > 0xffffffff ? 1 : 0);
        hi = h >>> 0;
        f = (h > 0xffffffff ? CF : 0) | ((((ah ^ hi) & (bh ^ hi)) & 0x80000000) !== 0 ? OF : 0) | ((a ^ b ^ lo) & AF);
        break;
      }
      default: { // 3 sbb, 5 sub, 7 cmp
        const c = op === 3 ? fl & CF : 0;
        const l = a - b - c;
        lo = l >>> 0;
        const h = ah - bh - (l < 0 ? 1 : 0);
        hi = h >>> 0;
        f = (h < 0 ? CF : 0) | ((((ah ^ bh) & (ah ^ hi)) & 0x80000000) !== 0 ? OF : 0) | ((a ^ b ^ lo) & AF);
      }
    }
    res.lo = lo; res.hi = hi;
    return (fl & ~STATUS) | f | szp(8, lo, hi);
  }
  const m = MASK[size], sg = SIGN[size];
  let r = 0;
  switch (op) {
    case 1: r = (a | b) >>> 0; break;
    case 4: r = (a & b) >>> 0; break;
    case 6: r = (a ^ b) >>> 0; break;
    case 0: case 2: {
      const t = a + b + (op === 2 ? fl & CF : 0);
      r = size === 4 ? t >>> 0 : t & m;
      f = (t > m ? CF : 0) | (((a ^ r) & (b ^ r) & sg) !== 0 ? OF : 0) | ((a ^ b ^ r) & AF);
      break;
    }
    default: {
      const t = a - b - (op === 3 ? fl & CF : 0);
      r = size === 4 ? t >>> 0 : t & m;
      f = (t < 0 ? CF : 0) | (((a ^ b) & (a ^ r) & sg) !== 0 ? OF : 0) | ((a ^ b ^ r) & AF);
    }
  }
  res.lo = r; res.hi = 0;
  return (fl & ~STATUS) | f | szp(size, r, 0);
}

/** INC (dec = false) / DEC: CF unchanged. */
export function incdec(size: number, fl: number, a: number, ah: number, dec: boolean): number {
  const c = fl & CF;
  const f = alu(dec ? 5 : 0, size, fl, a, ah, 1, 0);
  return (f & ~CF) | c;
}

/** Ops of the shift group (C0/C1/D0-D3 /r): ROL ROR RCL RCR SHL SHR SAL SAR; `cnt` already masked. */
export function shift(op: number, size: number, fl: number, a: number, ah: number, cnt: number): number {
  if (cnt === 0) { res.lo = a; res.hi = ah; return fl; }
  const bits = size * 8;
  if (size <= 4 && op >= 4 && cnt < bits) {
    // SHL / SHR / SAR within the operand width, on numbers
    const m = MASK[size], sg = SIGN[size];
    let r: number, c: number, o: number;
    if (op === 5) { r = a >>> cnt; c = (a >>> (cnt - 1)) & 1; o = (a & sg) !== 0 ? 1 : 0; } else if (op === 7) {
      const sv = size === 4 ? a | 0 : size === 2 ? (a << 16) >> 16 : (a << 24) >> 24;
      r = (sv >> cnt) & m; if (size === 4) r >>>= 0; c = (sv >> (cnt - 1)) & 1; o = 0;
    } else { r = (a << cnt) & m; if (size === 4) r >>>= 0; c = (a >>> (bits - cnt)) & 1; o = ((r & sg) !== 0 ? 1 : 0) ^ c; }
    res.lo = r; res.hi = 0;
    return (fl & ~STATUS) | (c ? CF : 0) | (o ? OF : 0) | szp(size, r, 0);
  }
  if (size === 8 && op >= 4 && op !== 6 && cnt < 64) {
    // 64-bit SHL / SHR / SAR on the word pair
    let lo: number, hi: number, c: number, o: number;
    if (op === 4) {
      if (cnt < 32) { hi = ((ah << cnt) | (a >>> (32 - cnt))) >>> 0; lo = (a << cnt) >>> 0; c = (ah >>> (32 - cnt)) & 1; } else { hi = (a << (cnt - 32)) >>> 0; lo = 0; c = cnt === 32 ? ah & 1 : (a >>> (64 - cnt)) & 1; }
      o = (hi >>> 31) ^ c;
    } else {
      const neg = op === 7 && (ah & 0x80000000) !== 0;
      if (cnt < 32) { lo = ((a >>> cnt) | (cnt === 0 ? 0 : ah << (32 - cnt))) >>> 0; hi = op === 7 ? (ah | 0) >> cnt >>> 0 : ah >>> cnt; c = (a >>> (cnt - 1)) & 1; } else {
        lo = op === 7 ? ((ah | 0) >> (cnt - 32)) >>> 0 : ah >>> (cnt - 32); hi = neg ? 0xffffffff : 0; c = cnt === 32 ? (a >>> 31) & 1 : (ah >>> (cnt - 33)) & 1;
      }
      o = op === 5 ? ah >>> 31 : 0;
    }
    res.lo = lo; res.hi = hi;
    return (fl & ~STATUS) | (c ? CF : 0) | (o ? OF : 0) | szp(8, lo, hi);
  }
  const m = (1n << BigInt(bits)) - 1n;
  let v = size === 8 ? (BigInt(ah) << 32n) | BigInt(a) : BigInt(a);
  const n = BigInt(cnt);
  const msb = (x: bigint): number => Number((x >> BigInt(bits - 1)) & 1n);
  let r: bigint;
  let f = fl;
  switch (op) {
    case 0: case 1: { // ROL, ROR: only CF and OF
      const k = BigInt(cnt % bits);
      r = op === 0 ? ((v << k) | (v >> (BigInt(bits) - k))) & m : ((v >> k) | (v << (BigInt(bits) - k))) & m;
      const c = op === 0 ? Number(r & 1n) : msb(r);
      const o = op === 0 ? msb(r) ^ c : msb(r) ^ Number((r >> BigInt(bits - 2)) & 1n);
      f = (fl & ~(CF | OF)) | (c ? CF : 0) | (o ? OF : 0);
      break;
    }
    case 2: case 3: { // RCL, RCR through CF: count mod (bits + 1)
      const k = cnt % (bits + 1);
      let c = BigInt(fl & CF);
      for (let i = 0; i < k; i++) {
        if (op === 2) { const out = (v >> BigInt(bits - 1)) & 1n; v = ((v << 1n) | c) & m; c = out; } else { const out = v & 1n; v = (v >> 1n) | (c << BigInt(bits - 1)); c = out; }
      }
      r = v;
      const o = op === 2 ? msb(r) ^ Number(c) : msb(r) ^ Number((r >> BigInt(bits - 2)) & 1n);
      f = (fl & ~(CF | OF)) | (c ? CF : 0) | (o ? OF : 0);
      break;
    }
    case 4: case 6: { // SHL
      r = (v << n) & m;
      const c = cnt <= bits ? Number((v >> BigInt(bits - cnt)) & 1n) : 0;
      f = (fl & ~STATUS) | (c ? CF : 0) | ((msb(r) ^ c) ? OF : 0);
      break;
    }
    case 5: { // SHR
      r = v >> n;
      const c = Number((v >> (n - 1n)) & 1n);
      f = (fl & ~STATUS) | (c ? CF : 0) | (msb(v) ? OF : 0);
      break;
    }
    default: { // SAR
      const sv = BigInt.asIntN(bits, v);
      r = BigInt.asUintN(bits, sv >> n);
      const c = Number((sv >> (n - 1n)) & 1n);
      f = (fl & ~STATUS) | (c ? CF : 0);
    }
  }
  res.lo = Number(r & 0xffffffffn);
  res.hi = size === 8 ? Number(r >> 32n) : 0;
  if (op >= 4) f |= szp(size, res.lo, res.hi);
  return f;
}

/** SHLD (left = true) / SHRD: `a` destination, `b` source, count masked. */
export function shiftDouble(left: boolean, size: number, fl: number, a: bigint, b: bigint, cnt: number): number {
  const bits = size * 8;
  if (cnt === 0) { res.lo = Number(a & 0xffffffffn); res.hi = Number((a >> 32n) & 0xffffffffn); return fl; }
  const m = (1n << BigInt(bits)) - 1n;
  const n = BigInt(cnt);
  let r: bigint, c: number;
  if (left) {
    const w = (a << BigInt(bits)) | b; // a:b, shift left, take the top half
    r = ((w << n) >> BigInt(bits)) & m;
    c = Number((a >> BigInt(bits - cnt)) & 1n);
  } else {
    const w = (b << BigInt(bits)) | a; // b:a, shift right, take the low half
    r = (w >> n) & m;
    c = Number((a >> (n - 1n)) & 1n);
  }
  const msb = (x: bigint): number => Number((x >> BigInt(bits - 1)) & 1n);
  res.lo = Number(r & 0xffffffffn);
  res.hi = Number(r >> 32n);
  return (fl & ~STATUS) | (c ? CF : 0) | ((msb(r) ^ msb(a)) ? OF : 0) | szp(size, res.lo, size === 8 ? res.hi : 0);
}

/** The value of condition code `cc` (0..15, as in Jcc/SETcc/CMOVcc) under flags `f`. */
export function cond(cc: number, f: number): boolean {
  let t: boolean;
  switch (cc >> 1) {
    case 0: t = (f & OF) !== 0; break;
    case 1: t = (f & CF) !== 0; break;
    case 2: t = (f & ZF) !== 0; break;
    case 3: t = (f & (CF | ZF)) !== 0; break;
    case 4: t = (f & SF) !== 0; break;
    case 5: t = (f & PF) !== 0; break;
    case 6: t = ((f & SF) !== 0) !== ((f & OF) !== 0); break;
    default: t = (f & ZF) !== 0 || ((f & SF) !== 0) !== ((f & OF) !== 0);
  }
  return (cc & 1) !== 0 ? !t : t;
}
