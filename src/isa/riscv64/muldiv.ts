/**
 * 64-bit multiply/divide on int32 lo/hi pairs, without BigInt on the common
 * paths. Results are returned through `res` (res[0] = lo, res[1] = hi).
 */

const TWO32 = 4294967296;

/** High 32 bits of the unsigned 32x32 product. */
export function mulhu32(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16;
  const bl = b & 0xffff, bh = b >>> 16;
  const mid = ah * bl + al * bh + ((al * bl) >>> 16); // < 2^34, exact
  return (ah * bh + Math.floor(mid / 65536)) | 0;
}

/** Low 64 bits of a * b. */
export function mul64(res: Int32Array, alo: number, ahi: number, blo: number, bhi: number): void {
  res[0] = Math.imul(alo, blo);
  res[1] = (mulhu32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

/** High 64 bits of the unsigned 128-bit product. */
function mulhu64(res: Int32Array, alo: number, ahi: number, blo: number, bhi: number): void {
  const p00h = mulhu32(alo, blo) >>> 0;
  const p01l = Math.imul(alo, bhi) >>> 0, p01h = mulhu32(alo, bhi) >>> 0;
  const p10l = Math.imul(ahi, blo) >>> 0, p10h = mulhu32(ahi, blo) >>> 0;
  const p11l = Math.imul(ahi, bhi) >>> 0, p11h = mulhu32(ahi, bhi) >>> 0;
  const w1 = p00h + p01l + p10l;
  const w2 = p01h + p10h + p11l + Math.floor(w1 / TWO32);
  const w3 = p11h + Math.floor(w2 / TWO32);
  res[0] = w2 | 0;
  res[1] = w3 | 0;
}

/** 64-bit res -= (lo, hi). */
function sub64(res: Int32Array, lo: number, hi: number): void {
  const a = res[0];
  const l = (a - lo) | 0;
  const borrow = (a >>> 0) < (lo >>> 0) ? 1 : 0;
  res[0] = l;
  res[1] = (res[1] - hi - borrow) | 0;
}

/** kind 0 = MULH (s x s), 1 = MULHSU (s x u), 2 = MULHU (u x u). */
export function mulh(res: Int32Array, kind: number, alo: number, ahi: number, blo: number, bhi: number): void {
  mulhu64(res, alo, ahi, blo, bhi);
  if (kind !== 2 && ahi < 0) sub64(res, blo, bhi);
  if (kind === 0 && bhi < 0) sub64(res, alo, ahi);
}

function setNum(res: Int32Array, v: number): void {
  res[0] = v | 0; // ToInt32 is exact modulo 2^32 for integral doubles
  res[1] = Math.floor(v / TWO32) | 0;
}

const big = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo >>> 0);
function setBig(res: Int32Array, v: bigint): void {
  res[0] = Number(BigInt.asIntN(32, v));
  res[1] = Number(BigInt.asIntN(32, v >> 32n));
}

/**
 * Signed/unsigned 64-bit division and remainder with RISC-V semantics
 * (x/0 = -1, x%0 = x, MIN/-1 = MIN, MIN%-1 = 0).
 * op: 0 = DIV, 1 = DIVU, 2 = REM, 3 = REMU.
 */
export function div64(res: Int32Array, op: number, alo: number, ahi: number, blo: number, bhi: number): void {
  const rem = op >= 2;
  const uns = (op & 1) === 1;
  if (blo === 0 && bhi === 0) {
    if (rem) { res[0] = alo; res[1] = ahi; } else { res[0] = -1; res[1] = -1; }
    return;
  }
  if (uns) {
    if ((ahi >>> 0) < 0x200000 && (bhi >>> 0) < 0x200000) {
      const a = (ahi >>> 0) * TWO32 + (alo >>> 0), b = (bhi >>> 0) * TWO32 + (blo >>> 0);
      setNum(res, rem ? a % b : Math.floor(a / b));
      return;
    }
    const a = BigInt.asUintN(64, big(alo, ahi)), b = BigInt.asUintN(64, big(blo, bhi));
    setBig(res, rem ? a % b : a / b);
    return;
  }
  if (ahi >= -0x200000 && ahi < 0x200000 && bhi >= -0x200000 && bhi < 0x200000) {
    const a = ahi * TWO32 + (alo >>> 0), b = bhi * TWO32 + (blo >>> 0);
    setNum(res, rem ? a % b : Math.trunc(a / b));
    return;
  }
  const a = BigInt.asIntN(64, big(alo, ahi)), b = BigInt.asIntN(64, big(blo, bhi));
  if (b === -1n && a === -(1n << 63n)) {
    if (rem) { res[0] = 0; res[1] = 0; } else { res[0] = alo; res[1] = ahi; }
    return;
  }
  setBig(res, rem ? a % b : a / b);
}

/** 32-bit DIVW/DIVUW/REMW/REMUW; returns the int32 result (to be sign-extended). */
export function div32(op: number, a: number, b: number): number {
  switch (op) {
    case 0: // DIVW
      if (b === 0) return -1;
      if (a === -0x80000000 && b === -1) return a;
      return (a / b) | 0;
    case 1: // DIVUW
      if (b === 0) return -1;
      return ((a >>> 0) / (b >>> 0)) | 0;
    case 2: // REMW
      if (b === 0) return a;
      if (b === -1) return 0;
      return (a % b) | 0;
    default: // REMUW
      if (b === 0) return a;
      return ((a >>> 0) % (b >>> 0)) | 0;
  }
}
