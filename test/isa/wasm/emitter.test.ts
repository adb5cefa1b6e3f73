import { describe, expect, it } from 'vitest';
import { Bytes, FuncBody, ModuleBuilder, O, T } from '../../../src/isa/wasm/emitter.js';

const hex = (b: Bytes): string => Array.from(b.result(), (x) => x.toString(16).padStart(2, '0')).join(' ');

describe('wasm emitter: LEB128', () => {
  it('unsigned', () => {
    expect(hex(new Bytes().u(0))).toBe('00');
    expect(hex(new Bytes().u(127))).toBe('7f');
    expect(hex(new Bytes().u(128))).toBe('80 01');
    expect(hex(new Bytes().u(624485))).toBe('e5 8e 26');
    expect(hex(new Bytes().u(0xfff00000))).toBe('80 80 c0 ff 0f');
  });
  it('signed 32', () => {
    expect(hex(new Bytes().s32(0))).toBe('00');
    expect(hex(new Bytes().s32(-1))).toBe('7f');
    expect(hex(new Bytes().s32(63))).toBe('3f');
    expect(hex(new Bytes().s32(64))).toBe('c0 00');
    expect(hex(new Bytes().s32(-64))).toBe('40');
    expect(hex(new Bytes().s32(-65))).toBe('bf 7f');
    expect(hex(new Bytes().s32(-123456))).toBe('c0 bb 78');
    expect(hex(new Bytes().s32(-0x80000000))).toBe('80 80 80 80 78');
  });
  it('signed 64 from int32 halves agrees with a BigInt reference', () => {
    const ref = (v: bigint): string => {
      const out: number[] = [];
      for (;;) {
        const b = Number(v & 0x7fn);
        v >>= 7n;
        if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) { out.push(b); break; }
        out.push(b | 0x80);
      }
      return out.map((x) => x.toString(16).padStart(2, '0')).join(' ');
    };
    const vals = [0n, 1n, -1n, 63n, 64n, -64n, -65n, 0x7fffffffn, 0x80000000n, 0xffffffffn, -0x80000000n,
      0x9e3779b97f4a7c15n - (1n << 64n), (1n << 63n) - 1n, -(1n << 63n), 0x123456789abcn];
    for (const v of vals) {
      const lo = Number(BigInt.asIntN(32, v)), hi = Number(BigInt.asIntN(32, v >> 32n));
      expect(hex(new Bytes().s64(lo, hi))).toBe(ref(v));
    }
  });
});

describe('wasm emitter: modules', () => {
  it('builds a module with i64 arithmetic, locals, control flow and a call', () => {
    const mb = new ModuleBuilder();
    const sq = mb.func([T.i64], [T.i64]);
    const f = mb.func([T.i64, T.i64], [T.i64]);
    mb.export('f', f);
    const S = new FuncBody(1);
    S.get(0).get(0).op(O.i64_mul);
    mb.define(sq, S);
    // f(a, b) = sum of sq(k) for k in [a, b)  (a loop with br_if)
    const F = new FuncBody(2);
    const acc = F.local(T.i64);
    F.block().loop();
    F.get(0).get(1).op(O.i64_ge_s).brIf(1);
    F.get(acc).get(0).call(sq).op(O.i64_add).set(acc);
    F.get(0).i64s(1).op(O.i64_add).set(0);
    F.br(0).end().end();
    F.get(acc);
    mb.define(f, F);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(mb.encode()));
    const fn = inst.exports.f as (a: bigint, b: bigint) => bigint;
    expect(fn(0n, 4n)).toBe(14n);
    expect(fn(-3n, 0n)).toBe(14n);
  });

  it('imports a shared memory and a function; br_table; i64 constants', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    const mb = new ModuleBuilder();
    mb.importMemory('e', 'm', 1, 2, true);
    const cb = mb.importFunc('e', 'cb', [T.i32], [T.i32]);
    const f = mb.func([T.i32], [T.i32]);
    mb.export('f', f);
    const F = new FuncBody(1);
    // case 0: store a 64-bit constant at 8; case 1: return cb(7); default: 99
    F.block(); F.block(); F.block();
    F.get(0).brTable([0, 1], 2);
    F.end();
    F.i32(0).i64(0x7f4a7c15, 0x9e3779b9 | 0).mem(O.i64_store, 3, 8).i32(0).op(O.return);
    F.end();
    F.i32(7).call(cb).op(O.return);
    F.end();
    F.i32(99);
    mb.define(f, F);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(mb.encode()), { e: { m: memory, cb: (x: number) => x * 6 } });
    const fn = inst.exports.f as (k: number) => number;
    expect(fn(0)).toBe(0);
    expect(new DataView(memory.buffer).getBigUint64(8, true)).toBe(0x9e3779b97f4a7c15n);
    expect(fn(1)).toBe(42);
    expect(fn(5)).toBe(99);
  });
});
