/**
 * A64 exclusives, load-acquire/store-release and the LSE atomics.
 *
 * - LDXR/LDAXR (and the pairs LDXP/LDAXP) mark the address, size and the
 *   value read; STXR/STLXR succeed when the mark is still there for that
 *   address and size and memory still holds that value, checked and written
 *   with one Atomics.compareExchange (so other threads' stores are seen).
 *   A 128-bit pair (LDXP/STXP of X registers) compares both doublewords but
 *   swaps only the first atomically (JS has no 128-bit compare-exchange);
 *   CASP of X registers is likewise not atomic against other threads.
 * - LSE: CAS{,A,L,AL}{B,H,}, CASP, LD{ADD,CLR,EOR,SET,SMAX,SMIN,UMAX,UMIN},
 *   SWP with every A/R combination, and LDAPR: a compare-exchange loop on
 *   the host (JS memory is sequentially consistent for Atomics).
 * - All of them need natural alignment: SIGBUS BUS_ADRALN otherwise.
 */
import type { A64Core } from './core.js';
import { out } from './alu.js';
import { rhi, rlo, wr } from './dp.js';

const R = 1, W = 2;
const views = new WeakMap<ArrayBufferLike, BigInt64Array>();
function i64(c: A64Core): BigInt64Array {
  let v = views.get(c.mem.buffer);
  if (!v) { v = new BigInt64Array(c.mem.buffer); views.set(c.mem.buffer, v); }
  return v;
}
const big = (lo: number, hi: number): bigint => BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
function split(v: bigint): void {
  out.lo = Number(BigInt.asIntN(32, v));
  out.hi = Number(BigInt.asIntN(32, v >> 32n));
}

/** Address of an atomic access: Xn|SP, aligned to `bytes`, accessible for `bits`. */
function atomicAddr(c: A64Core, rn: number, bytes: number, bits: number, pc: number): number {
  const a = c.base(rn, pc);
  if (a % bytes !== 0) c.alignFault(a < 0 ? a + 2 ** 64 : a, pc);
  c.chk(a, bytes, bits, pc);
  return a;
}

/** Reads `bytes` (1, 2, 4, 8) at a into out (zero-extended), atomically. */
function atomicLoad(c: A64Core, a: number, bytes: number): void {
  switch (bytes) {
    case 1: out.lo = Atomics.load(c.u8, a); out.hi = 0; return;
    case 2: out.lo = Atomics.load(c.u16, a >>> 1); out.hi = 0; return;
    case 4: out.lo = Atomics.load(c.i32, a >>> 2); out.hi = 0; return;
    default: split(Atomics.load(i64(c), a >>> 3));
  }
}

/** Compare-exchange of `bytes` at a: expected (el, eh) → new (nl, nh); returns true when it swapped; out = old value. */
function cmpxchg(c: A64Core, a: number, bytes: number, el: number, eh: number, nl: number, nh: number): boolean {
  switch (bytes) {
    case 1: { const o = Atomics.compareExchange(c.u8, a, el & 0xff, nl & 0xff); out.lo = o; out.hi = 0; return o === (el & 0xff); }
    case 2: { const o = Atomics.compareExchange(c.u16, a >>> 1, el & 0xffff, nl & 0xffff); out.lo = o; out.hi = 0; return o === (el & 0xffff); }
    case 4: { const o = Atomics.compareExchange(c.i32, a >>> 2, el | 0, nl | 0); out.lo = o; out.hi = 0; return o === (el | 0); }
    default: {
      const e = big(el, eh);
      const o = Atomics.compareExchange(i64(c), a >>> 3, e, big(nl, nh));
      split(o);
      return o === e;
    }
  }
}

/** Load/store exclusive, ordered and compare-and-swap group (bits 29..24 = 001000). */
export function exclusive(c: A64Core, w: number, pc: number): number {
  const size = w >>> 30, o2 = (w >>> 23) & 1, L = (w >>> 22) & 1, o1 = (w >>> 21) & 1;
  const rs = (w >>> 16) & 31, o0 = (w >>> 15) & 1, rt2 = (w >>> 10) & 31, rn = (w >>> 5) & 31, rt = w & 31;
  const s = c.s;
  if (o2 === 0 && o1 === 0) { // LDXR / LDAXR / STXR / STLXR
    const bytes = 1 << size;
    if (L) {
      const a = atomicAddr(c, rn, bytes, R, pc);
      atomicLoad(c, a, bytes);
      wr(c, rt, out.lo, out.hi);
      s.exclAddr = a; s.exclSize = bytes; s.exclLo = out.lo; s.exclHi = out.hi;
      return pc + 4;
    }
    const a = atomicAddr(c, rn, bytes, W, pc);
    let ok = false;
    if (s.exclAddr === a && s.exclSize === bytes) ok = cmpxchg(c, a, bytes, s.exclLo, s.exclHi, rlo(c, rt), rhi(c, rt));
    s.exclAddr = -1;
    wr(c, rs, ok ? 0 : 1, 0);
    return pc + 4;
  }
  if (o2 === 0 && o1 === 1) {
    if (size >= 2) { // LDXP / LDAXP / STXP / STLXP
      const eb = size === 3 ? 8 : 4, bytes = 2 * eb;
      if (L) {
        const a = atomicAddr(c, rn, bytes, R, pc);
        if (eb === 4) {
          atomicLoad(c, a, 8);
          s.exclLo = out.lo; s.exclHi = out.hi;
          wr(c, rt, out.lo, 0); wr(c, rt2, out.hi, 0);
        } else {
          atomicLoad(c, a, 8); const l1 = out.lo, h1 = out.hi;
          atomicLoad(c, a + 8, 8);
          s.exclLo = l1; s.exclHi = h1; s.exclLo2 = out.lo; s.exclHi2 = out.hi;
          wr(c, rt, l1, h1); wr(c, rt2, out.lo, out.hi);
        }
        s.exclAddr = a; s.exclSize = bytes;
        return pc + 4;
      }
      const a = atomicAddr(c, rn, bytes, W, pc);
      let ok = false;
      if (s.exclAddr === a && s.exclSize === bytes) {
        if (eb === 4) ok = cmpxchg(c, a, 8, s.exclLo, s.exclHi, rlo(c, rt), rlo(c, rt2));
        else {
          atomicLoad(c, a + 8, 8);
          if (out.lo === s.exclLo2 && out.hi === s.exclHi2 && cmpxchg(c, a, 8, s.exclLo, s.exclHi, rlo(c, rt), rhi(c, rt))) {
            Atomics.store(i64(c), (a + 8) >>> 3, big(rlo(c, rt2), rhi(c, rt2)));
            ok = true;
          }
        }
      }
      s.exclAddr = -1;
      wr(c, rs, ok ? 0 : 1, 0);
      return pc + 4;
    }
    // CASP / CASPA / CASPL / CASPAL
    if (rt2 !== 31 || (rs & 1) || (rt & 1)) return c.illegal(pc);
    const x64 = size === 1;
    const eb = x64 ? 8 : 4;
    const a = atomicAddr(c, rn, 2 * eb, R | W, pc);
    if (!x64) {
      cmpxchg(c, a, 8, rlo(c, rs), rlo(c, rs + 1), rlo(c, rt), rlo(c, rt + 1));
      const ol = out.lo, oh = out.hi;
      wr(c, rs, ol, 0); wr(c, rs + 1, oh, 0);
    } else {
      atomicLoad(c, a, 8); const l1 = out.lo, h1 = out.hi;
      atomicLoad(c, a + 8, 8); const l2 = out.lo, h2 = out.hi;
      if (l1 === rlo(c, rs) && h1 === rhi(c, rs) && l2 === rlo(c, rs + 1) && h2 === rhi(c, rs + 1)) {
        Atomics.store(i64(c), a >>> 3, big(rlo(c, rt), rhi(c, rt)));
        Atomics.store(i64(c), (a + 8) >>> 3, big(rlo(c, rt + 1), rhi(c, rt + 1)));
      }
      wr(c, rs, l1, h1); wr(c, rs + 1, l2, h2);
    }
    return pc + 4;
  }
  if (o2 === 1 && o1 === 0) { // LDAR / STLR / LDLAR / STLLR
    if (rs !== 31 || rt2 !== 31) return c.illegal(pc);
    void o0;
    const bytes = 1 << size;
    if (L) {
      const a = atomicAddr(c, rn, bytes, R, pc);
      atomicLoad(c, a, bytes);
      wr(c, rt, out.lo, out.hi);
    } else {
      const a = atomicAddr(c, rn, bytes, W, pc);
      storeAtomic(c, a, bytes, rlo(c, rt), rhi(c, rt));
    }
    return pc + 4;
  }
  // CAS / CASA / CASL / CASAL (B, H, W, X)
  if (rt2 !== 31) return c.illegal(pc);
  const bytes = 1 << size;
  const a = atomicAddr(c, rn, bytes, R | W, pc);
  cmpxchg(c, a, bytes, rlo(c, rs), rhi(c, rs), rlo(c, rt), rhi(c, rt));
  wr(c, rs, out.lo, out.hi);
  return pc + 4;
}

function storeAtomic(c: A64Core, a: number, bytes: number, lo: number, hi: number): void {
  switch (bytes) {
    case 1: Atomics.store(c.u8, a, lo & 0xff); return;
    case 2: Atomics.store(c.u16, a >>> 1, lo & 0xffff); return;
    case 4: Atomics.store(c.i32, a >>> 2, lo); return;
    default: Atomics.store(i64(c), a >>> 3, big(lo, hi));
  }
}

/** Sign- or zero-extended value of the low `bytes` of (lo, hi) as a bigint. */
function val(lo: number, hi: number, bytes: number, signed: boolean): bigint {
  const bits = BigInt(8 * bytes);
  const v = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return signed ? BigInt.asIntN(Number(bits), v) : BigInt.asUintN(Number(bits), v);
}

/** LSE atomic memory operations and LDAPR (size 111 V=0 00 A R 1 Rs o3 opc 00 Rn Rt). */
export function atomicOp(c: A64Core, w: number, pc: number): number {
  const size = w >>> 30, rs = (w >>> 16) & 31, o3 = (w >>> 15) & 1, opc = (w >>> 12) & 7, rn = (w >>> 5) & 31, rt = w & 31;
  const A = (w >>> 23) & 1, Rr = (w >>> 22) & 1;
  const bytes = 1 << size;
  if (o3 === 1) {
    if (opc === 4 && A === 1 && Rr === 0 && rs === 31) { // LDAPR
      const a = atomicAddr(c, rn, bytes, R, pc);
      atomicLoad(c, a, bytes);
      wr(c, rt, out.lo, out.hi);
      return pc + 4;
    }
    if (opc !== 0) return c.illegal(pc);
  }
  const a = atomicAddr(c, rn, bytes, R | W, pc);
  const sl = rlo(c, rs), sh = rhi(c, rs);
  for (;;) {
    atomicLoad(c, a, bytes);
    const ol = out.lo, oh = out.hi;
    let nl: number, nh: number;
    if (o3 === 1) { nl = sl; nh = sh; } else {
      switch (opc) {
        case 0: { // ADD
          const l = (ol >>> 0) + (sl >>> 0);
          nl = l | 0; nh = (oh + sh + (l > 0xffffffff ? 1 : 0)) | 0; break;
        }
        case 1: nl = ol & ~sl; nh = oh & ~sh; break; // CLR
        case 2: nl = ol ^ sl; nh = oh ^ sh; break; // EOR
        case 3: nl = ol | sl; nh = oh | sh; break; // SET
        default: { // SMAX, SMIN, UMAX, UMIN
          const signed = opc < 6;
          const x = val(ol, oh, bytes, signed), y = val(sl, sh, bytes, signed);
          const takeS = (opc & 1) === 0 ? y > x : y < x;
          if (takeS) { nl = sl; nh = sh; } else { nl = ol; nh = oh; }
        }
      }
    }
    if (cmpxchg(c, a, bytes, ol, oh, nl, nh)) {
      wr(c, rt, ol, bytes === 8 ? oh : 0);
      return pc + 4;
    }
  }
}
