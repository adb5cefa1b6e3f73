/**
 * A small WebAssembly binary emitter: LEB128, a growable code buffer with the
 * opcodes the translators need, and a module builder (type, import, function,
 * export and code sections). Written from the WebAssembly core specification
 * (binary format, chapter 5); no validation beyond what the engine does.
 */

/** Value types. */
export const enum T {
  i32 = 0x7f,
  i64 = 0x7e,
  f32 = 0x7d,
  f64 = 0x7c,
  /** Empty block type. */
  void = 0x40,
}

/** Opcodes (single byte, plus the 0xFC-prefixed ones as 0xFCxx). */
export const enum O {
  unreachable = 0x00, nop = 0x01, block = 0x02, loop = 0x03, if = 0x04, else = 0x05, end = 0x0b,
  br = 0x0c, br_if = 0x0d, br_table = 0x0e, return = 0x0f, call = 0x10,
  drop = 0x1a, select = 0x1b,
  local_get = 0x20, local_set = 0x21, local_tee = 0x22, global_get = 0x23, global_set = 0x24,
  i32_load = 0x28, i64_load = 0x29, f32_load = 0x2a, f64_load = 0x2b,
  i32_load8_s = 0x2c, i32_load8_u = 0x2d, i32_load16_s = 0x2e, i32_load16_u = 0x2f,
  i64_load8_s = 0x30, i64_load8_u = 0x31, i64_load16_s = 0x32, i64_load16_u = 0x33,
  i64_load32_s = 0x34, i64_load32_u = 0x35,
  i32_store = 0x36, i64_store = 0x37, f32_store = 0x38, f64_store = 0x39,
  i32_store8 = 0x3a, i32_store16 = 0x3b, i64_store8 = 0x3c, i64_store16 = 0x3d, i64_store32 = 0x3e,
  i32_const = 0x41, i64_const = 0x42,
  i32_eqz = 0x45, i32_eq = 0x46, i32_ne = 0x47, i32_lt_s = 0x48, i32_lt_u = 0x49, i32_gt_s = 0x4a,
  i32_gt_u = 0x4b, i32_le_s = 0x4c, i32_le_u = 0x4d, i32_ge_s = 0x4e, i32_ge_u = 0x4f,
  i64_eqz = 0x50, i64_eq = 0x51, i64_ne = 0x52, i64_lt_s = 0x53, i64_lt_u = 0x54, i64_gt_s = 0x55,
  i64_gt_u = 0x56, i64_le_s = 0x57, i64_le_u = 0x58, i64_ge_s = 0x59, i64_ge_u = 0x5a,
  i32_add = 0x6a, i32_sub = 0x6b, i32_mul = 0x6c, i32_div_s = 0x6d, i32_div_u = 0x6e, i32_rem_s = 0x6f,
  i32_rem_u = 0x70, i32_and = 0x71, i32_or = 0x72, i32_xor = 0x73, i32_shl = 0x74, i32_shr_s = 0x75,
  i32_shr_u = 0x76,
  i64_add = 0x7c, i64_sub = 0x7d, i64_mul = 0x7e, i64_div_s = 0x7f, i64_div_u = 0x80, i64_rem_s = 0x81,
  i64_rem_u = 0x82, i64_and = 0x83, i64_or = 0x84, i64_xor = 0x85, i64_shl = 0x86, i64_shr_s = 0x87,
  i64_shr_u = 0x88,
  f64_eq = 0x61, f64_ne = 0x62, f64_lt = 0x63, f64_gt = 0x64, f64_le = 0x65, f64_ge = 0x66,
  f64_abs = 0x99, f64_neg = 0x9a, f64_sqrt = 0x9f, f64_add = 0xa0, f64_sub = 0xa1, f64_mul = 0xa2, f64_div = 0xa3,
  f64_const = 0x44,
  f64_convert_i32_s = 0xb7, f64_convert_i32_u = 0xb8, f64_convert_i64_s = 0xb9, f64_convert_i64_u = 0xba,
  i64_reinterpret_f64 = 0xbd, f64_reinterpret_i64 = 0xbf,
  i32_wrap_i64 = 0xa7, i64_extend_i32_s = 0xac, i64_extend_i32_u = 0xad,
  i32_extend8_s = 0xc0, i32_extend16_s = 0xc1, i64_extend8_s = 0xc2, i64_extend16_s = 0xc3, i64_extend32_s = 0xc4,
}

/** A growable byte buffer with LEB128 writers. */
export class Bytes {
  buf = new Uint8Array(256);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  byte(b: number): this {
    this.room(1);
    this.buf[this.len++] = b;
    return this;
  }

  bytes(src: ArrayLike<number>): this {
    this.room(src.length);
    for (let k = 0; k < src.length; k++) this.buf[this.len++] = src[k];
    return this;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^53. */
  u(v: number): this {
    this.room(8);
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.buf[this.len++] = b;
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of an int32. */
  s32(v: number): this {
    this.room(5);
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { this.buf[this.len++] = b; return this; }
      this.buf[this.len++] = b | 0x80;
    }
  }

  /** Signed LEB128 of the 64-bit value hi:lo (two int32 halves). */
  s64(lo: number, hi: number): this {
    this.room(10);
    lo |= 0; hi |= 0;
    for (;;) {
      const b = lo & 0x7f;
      // arithmetic shift of the 64-bit pair by 7
      lo = (lo >>> 7) | (hi << 25);
      hi >>= 7;
      const signClear = (b & 0x40) === 0;
      if ((lo === 0 && hi === 0 && signClear) || (lo === -1 && hi === -1 && !signClear)) { this.buf[this.len++] = b; return this; }
      this.buf[this.len++] = b | 0x80;
    }
  }

  /** A length-prefixed UTF-8 name. */
  name(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u(b.length).bytes(b);
  }

  /** Appends another buffer, prefixed by its byte length. */
  sized(inner: Bytes): this {
    this.u(inner.len);
    this.room(inner.len);
    this.buf.set(inner.buf.subarray(0, inner.len), this.len);
    this.len += inner.len;
    return this;
  }

  result(): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.buf.subarray(0, this.len));
  }
}

/** A function body under construction: locals plus instructions. */
export class FuncBody extends Bytes {
  /** Types of the locals after the parameters. */
  readonly locals: T[] = [];

  constructor(readonly nparams: number) { super(); }

  /** Declares a local; returns its index. */
  local(t: T): number {
    this.locals.push(t);
    return this.nparams + this.locals.length - 1;
  }

  op(o: O): this { return this.byte(o); }
  get(l: number): this { return this.byte(O.local_get).u(l); }
  set(l: number): this { return this.byte(O.local_set).u(l); }
  tee(l: number): this { return this.byte(O.local_tee).u(l); }
  i32(v: number): this { return this.byte(O.i32_const).s32(v); }
  i64(lo: number, hi: number): this { return this.byte(O.i64_const).s64(lo, hi); }
  /** f64.const (8 bytes, little-endian IEEE). */
  f64(v: number): this {
    const b = new Uint8Array(new Float64Array([v]).buffer);
    return this.byte(O.f64_const).bytes(b);
  }
  /** i64.const of a sign-extended int32. */
  i64s(v: number): this { return this.byte(O.i64_const).s32(v); }
  /** A memory access with alignment log2 `align` and constant `offset` (u32). */
  mem(o: O, align: number, offset: number): this { return this.byte(o).u(align).u(offset >>> 0); }
  block(t: T = T.void): this { return this.byte(O.block).byte(t); }
  loop(t: T = T.void): this { return this.byte(O.loop).byte(t); }
  if(t: T = T.void): this { return this.byte(O.if).byte(t); }
  else(): this { return this.byte(O.else); }
  end(): this { return this.byte(O.end); }
  br(depth: number): this { return this.byte(O.br).u(depth); }
  brIf(depth: number): this { return this.byte(O.br_if).u(depth); }
  brTable(depths: number[], dflt: number): this {
    this.byte(O.br_table).u(depths.length);
    for (const d of depths) this.u(d);
    return this.u(dflt);
  }
  call(f: number): this { return this.byte(O.call).u(f); }
  /** Runs `emit` in the middle of a fluent chain. */
  with(emit: () => unknown): this { emit(); return this; }

  /** The encoded body: local declarations (run-length grouped) + code + end. */
  encode(): Bytes {
    const out = new Bytes();
    const groups: [number, T][] = [];
    for (const t of this.locals) {
      const g = groups[groups.length - 1];
      if (g !== undefined && g[1] === t) g[0]++;
      else groups.push([1, t]);
    }
    out.u(groups.length);
    for (const [n, t] of groups) out.u(n).byte(t);
    out.bytes(this.buf.subarray(0, this.len));
    out.byte(O.end);
    return out;
  }
}

interface FuncType { params: T[]; results: T[] }
type Import =
  | { module: string; field: string; kind: 'func'; type: number }
  | { module: string; field: string; kind: 'memory'; min: number; max?: number; shared: boolean };

/** Assembles a module: imports first (they take the low function indices), then defined functions. */
export class ModuleBuilder {
  private readonly types: FuncType[] = [];
  private readonly imports: Import[] = [];
  private readonly funcs: { type: number; body: FuncBody | null }[] = [];
  private readonly exports: { name: string; func: number }[] = [];
  private nImportedFuncs = 0;

  type(params: T[], results: T[]): number {
    const k = this.types.findIndex((t) => t.params.join() === params.join() && t.results.join() === results.join());
    if (k >= 0) return k;
    this.types.push({ params, results });
    return this.types.length - 1;
  }

  importMemory(module: string, field: string, min: number, max: number | undefined, shared: boolean): void {
    this.imports.push({ module, field, kind: 'memory', min, max, shared });
  }

  /** Imports a function; must be called before any func(). Returns its function index. */
  importFunc(module: string, field: string, params: T[], results: T[]): number {
    if (this.funcs.length > 0) throw new Error('import functions before defining any');
    this.imports.push({ module, field, kind: 'func', type: this.type(params, results) });
    return this.nImportedFuncs++;
  }

  /** Declares a function (its body may be supplied later via define()); returns its index. */
  func(params: T[], results: T[]): number {
    this.funcs.push({ type: this.type(params, results), body: null });
    return this.nImportedFuncs + this.funcs.length - 1;
  }

  define(index: number, body: FuncBody): void {
    this.funcs[index - this.nImportedFuncs].body = body;
  }

  export(name: string, func: number): void {
    this.exports.push({ name, func });
  }

  encode(): Uint8Array<ArrayBuffer> {
    const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const section = (id: number, fill: (b: Bytes) => void): void => {
      const b = new Bytes();
      fill(b);
      out.byte(id).sized(b);
    };
    section(1, (b) => {
      b.u(this.types.length);
      for (const t of this.types) {
        b.byte(0x60).u(t.params.length).bytes(t.params).u(t.results.length).bytes(t.results);
      }
    });
    if (this.imports.length > 0) {
      section(2, (b) => {
        b.u(this.imports.length);
        for (const im of this.imports) {
          b.name(im.module).name(im.field);
          if (im.kind === 'func') b.byte(0x00).u(im.type);
          else {
            const flags = (im.max !== undefined ? 1 : 0) | (im.shared ? 2 : 0);
            b.byte(0x02).byte(flags).u(im.min);
            if (im.max !== undefined) b.u(im.max);
          }
        }
      });
    }
    section(3, (b) => {
      b.u(this.funcs.length);
      for (const f of this.funcs) b.u(f.type);
    });
    if (this.exports.length > 0) {
      section(7, (b) => {
        b.u(this.exports.length);
        for (const e of this.exports) b.name(e.name).byte(0x00).u(e.func);
      });
    }
    section(10, (b) => {
      b.u(this.funcs.length);
      for (const f of this.funcs) {
        if (f.body === null) throw new Error('function declared but never defined');
        b.sized(f.body.encode());
      }
    });
    return out.result();
  }
}
