// Hundreds of malformed executables given to `compat exec`: each must end in a
// one-line reason and status 126 — never a stack trace, a guest run, or a hang.
// Most go through the exec path in-process (the code the CLI calls); a sample
// goes through the real command line.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// the built code, as the CLI runs it (npm test compiles first)
import { createCompat, type Compat } from '../../dist/src/container.js';
import { ExecError, prepare } from '../../dist/src/kernel/exec.js';
import { createLogger } from '../../dist/src/kernel/log.js';

const root = join(__dirname, '..', '..');
const base = readFileSync(join(root, 'test/fixtures/bin/riscv64/hello'));
const pie = readFileSync(join(root, 'test/fixtures/bin/riscv64/staticpie'));

/** A deterministic PRNG (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
}

interface Ph { off: number; type: number; offset: bigint; filesz: bigint }

function phdrs(b: Buffer): Ph[] {
  const phoff = Number(b.readBigUInt64LE(0x20));
  const n = b.readUInt16LE(0x38);
  const out: Ph[] = [];
  for (let i = 0; i < n; i++) {
    const off = phoff + i * 56;
    out.push({ off, type: b.readUInt32LE(off), offset: b.readBigUInt64LE(off + 8), filesz: b.readBigUInt64LE(off + 32) });
  }
  return out;
}

/** End of the last loadable byte: truncating anywhere before it must be refused. */
function loadEnd(b: Buffer): number {
  return Math.max(...phdrs(b).filter((p) => p.type === 1).map((p) => Number(p.offset + p.filesz)));
}

function mutants(src: Buffer, seed: number): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  const r = rng(seed);
  const end = loadEnd(src);
  // truncations across the whole loadable part
  for (let i = 0; i < 120; i++) {
    const len = i < 70 ? i : r() % end;
    out.push([`truncated to ${len}`, Buffer.from(src.subarray(0, len))]);
  }
  const edit = (what: string, f: (b: Buffer) => void): void => {
    const b = Buffer.from(src);
    f(b);
    out.push([what, b]);
  };
  const loads = phdrs(src).filter((p) => p.type === 1);
  for (let i = 0; i < 25; i++) {
    const p = loads[r() % loads.length];
    edit(`p_offset beyond EOF #${i}`, (b) => b.writeBigUInt64LE(BigInt(src.length + 1 + (r() % 100000)), p.off + 8));
    edit(`p_filesz absurd #${i}`, (b) => b.writeBigUInt64LE((1n << BigInt(33 + (r() % 30))) + BigInt(r()), p.off + 32));
    edit(`p_vaddr above 4 GiB #${i}`, (b) => b.writeBigUInt64LE((1n << BigInt(32 + (r() % 30))) + BigInt(r() & ~0xfff), p.off + 16));
    edit(`p_memsz absurd #${i}`, (b) => {
      b.writeBigUInt64LE((1n << BigInt(34 + (r() % 28))) + BigInt(r()), p.off + 40);
    });
    edit(`e_phoff beyond EOF #${i}`, (b) => b.writeBigUInt64LE(BigInt(src.length + (r() % 1_000_000)), 0x20));
    edit(`e_phnum huge #${i}`, (b) => b.writeUInt16LE(0x8000 + (r() % 0x7fff), 0x38));
    edit(`e_phentsize wrong #${i}`, (b) => b.writeUInt16LE([0, 1, 32, 55, 57, 64, 0xffff][i % 7], 0x36));
  }
  edit('EI_CLASS invalid', (b) => { b[4] = 3; });
  edit('EI_DATA invalid', (b) => { b[5] = 0; });
  edit('e_machine unknown', (b) => b.writeUInt16LE(0x7fff, 0x12));
  edit('ET_REL', (b) => b.writeUInt16LE(1, 0x10));
  edit('ET_CORE', (b) => b.writeUInt16LE(4, 0x10));
  edit('no PT_LOAD', (b) => { for (const p of loads) b.writeUInt32LE(0, p.off); });
  edit('entry outside any segment', (b) => b.writeBigUInt64LE(0x7000_0000n, 0x18));
  edit('bad magic', (b) => { b[1] = 0x46; });
  return out;
}

let compat: Compat;
let dir: string;
const settings = { trace: false, stats: null, log: createLogger('silent') };

beforeAll(async () => {
  compat = await createCompat();
  dir = mkdtempSync(join(tmpdir(), 'compat-malformed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('malformed executables', () => {
  const cases = [...mutants(base, 0x1234), ...mutants(pie, 0xbeef)];

  it(`refuses all ${cases.length} with status 126 and one sentence`, () => {
    expect(cases.length).toBeGreaterThan(300);
    const file = join(dir, 'mutant');
    for (const [what, bytes] of cases) {
      writeFileSync(file, bytes);
      chmodSync(file, 0o755);
      let err: unknown = null;
      try {
        prepare(compat, { path: file, argv: [file], envp: [], settings });
      } catch (e) {
        err = e;
      }
      expect(err, `${what}: was accepted`).toBeInstanceOf(ExecError);
      const e = err as ExecError;
      expect(e.status, what).toBe(126);
      expect(e.message, what).not.toMatch(/\n/);
      expect(e.message.length, what).toBeLessThan(400);
    }
  });

  it('says so in one line through the real command line', () => {
    const sample = cases.filter((_, i) => i % 20 === 0);
    for (const [what, bytes] of sample) {
      const file = join(dir, `cli-${sample.indexOf(sample.find((c) => c[0] === what)!)}`);
      writeFileSync(file, bytes);
      chmodSync(file, 0o755);
      const r = spawnSync(process.execPath, [join(root, 'bin/compat.js'), 'exec', file], { timeout: 30_000 });
      expect(r.status, what).toBe(126);
      const err = r.stderr.toString();
      expect(err.split('\n').filter(Boolean), `${what}: ${err}`).toHaveLength(1);
      expect(err).toMatch(/^compat: /);
      expect(r.stdout.length).toBe(0);
    }
  });
});
