/**
 * Tier 1 bookkeeping for one RV64 core: block-entry counters, translated
 * regions and their entry points, invalidation.
 *
 * Hot tables: one Int32Array(2048) per decoded code page (one slot per
 * halfword, like the decoded records), value
 *   > 0     id of a translated entry point starting at that pc
 *   0..-N   minus the number of times a block was entered there (tier 0)
 *   NOJIT   the instruction there cannot start a translated block
 * The interpreter counts at block starts (after every branch/jump); when a
 * count reaches `threshold`, or the pc has an entry, it returns to
 * Rv64Core.run, which calls enter(): that counts once more, translates a
 * region starting at the hot pc (direct successors that have run at least
 * once, up to MAX_REGION_BLOCKS) into one wasm module, and hands back the
 * entry id to call.
 *
 * All of this is per core (per worker): nothing is shared between threads;
 * code changes arrive through mem.onCodeChange -> Rv64Core.invalidateCode ->
 * dropPage(), which kills every region with a block on that page.
 */
import { executeFp } from './fpu.js';
import type { Rv64State } from './state.js';
import { Op } from './interp.js';
import { scanBlock, translateRegion, type Block, type CodeSource } from './translate.js';

export const NOJIT = -0x40000000;
export const MAX_REGION_BLOCKS = 64;
export const MAX_REGION_INSNS = 2000;
export const DEFAULT_THRESHOLD = 32;

type RunFn = (blk: number, budget: number) => number;

interface Region {
  dead: boolean;
  ids: number[];
  pcs: number[];
}

export interface JitStats {
  modules: number;
  blocks: number;
  insns: number;
  bytes: number;
  /** Milliseconds spent in scanning + code generation. */
  genMs: number;
  /** Milliseconds spent in new WebAssembly.Module + Instance. */
  compileMs: number;
  invalidated: number;
  /** Instructions retired by translated code. */
  retired: number;
}

export class Tier1 {
  /** Hot tables, two-level by page number (1024 x 1024). */
  readonly hl1: ((Int32Array | undefined)[] | undefined)[] = new Array(1024).fill(undefined);
  readonly entFn: (RunFn | undefined)[] = [undefined];
  readonly entBlk: number[] = [0];
  private readonly freeIds: number[] = [];
  private readonly pageRegions = new Map<number, Region[]>();
  private readonly imports: WebAssembly.Imports;
  readonly stats: JitStats = { modules: 0, blocks: 0, insns: 0, bytes: 0, genMs: 0, compileMs: 0, invalidated: 0, retired: 0 };

  constructor(
    private readonly src: CodeSource,
    s: Rv64State,
    memory: WebAssembly.Memory,
    private readonly slot: number,
    public threshold: number,
  ) {
    this.imports = { e: { m: memory, fp: (insn: number): number => (executeFp(s, insn) ? 1 : 0) } };
  }

  /** The hot table of a code page, created with it. */
  hotPage(page: number): Int32Array {
    let t = this.hl1[page >>> 10];
    if (t === undefined) t = this.hl1[page >>> 10] = new Array(1024).fill(undefined);
    let h = t[page & 1023];
    if (h === undefined) h = t[page & 1023] = new Int32Array(2048);
    return h;
  }

  /** Counts a block entry at pc; returns an entry id to call, or 0 to interpret. */
  enter(pc: number): number {
    const t = this.hl1[pc >>> 22];
    const hot = t === undefined ? undefined : t[(pc >>> 12) & 1023];
    if (hot === undefined) return 0;
    const i = (pc & 4095) >>> 1;
    const h = hot[i];
    if (h > 0) return h;
    if (h <= NOJIT) return 0;
    if (h - 1 > -this.threshold) { hot[i] = h - 1; return 0; }
    hot[i] = h - 1;
    return this.compile(pc, hot, i);
  }

  private wanted(pc: number): boolean {
    if (this.threshold <= 1) return true;
    const t = this.hl1[pc >>> 22];
    const hot = t === undefined ? undefined : t[(pc >>> 12) & 1023];
    if (hot === undefined) return false;
    const h = hot[(pc & 4095) >>> 1];
    return h !== 0 && h !== NOJIT;
  }

  private compile(pc: number, hot: Int32Array, i: number): number {
    const t0 = performance.now();
    const blocks: Block[] = [];
    const seen = new Set<number>();
    const queue = [pc];
    let insns = 0;
    while (queue.length > 0 && blocks.length < MAX_REGION_BLOCKS && insns < MAX_REGION_INSNS) {
      const p = queue.shift()!;
      if (seen.has(p)) continue;
      seen.add(p);
      if (p !== pc && !this.wanted(p)) continue;
      const b = scanBlock(this.src, p);
      if (b === null) continue;
      blocks.push(b);
      insns += b.insns.length;
      for (const s of b.succ) queue.push(s);
      const last = b.insns[b.insns.length - 1];
      if (last.op === Op.JALR || (last.op === Op.JAL && b.succ[0] !== b.end)) queue.push(b.end); // return site
    }
    if (blocks.length === 0 || blocks[0].pc !== pc) {
      hot[i] = NOJIT;
      return 0;
    }
    const tr = translateRegion(blocks, this.slot);
    const t1 = performance.now();
    const mod = new WebAssembly.Module(tr.bytes);
    const inst = new WebAssembly.Instance(mod, this.imports);
    const run = inst.exports.run as RunFn;
    const t2 = performance.now();
    const st = this.stats;
    st.modules++; st.blocks += blocks.length; st.insns += tr.insns; st.bytes += tr.bytes.length;
    st.genMs += t1 - t0; st.compileMs += t2 - t1;
    const region: Region = { dead: false, ids: [], pcs: tr.pcs };
    const pages = new Set<number>();
    tr.pcs.forEach((bpc, k) => {
      const id = this.freeIds.pop() ?? this.entFn.length;
      this.entFn[id] = run;
      this.entBlk[id] = k;
      region.ids.push(id);
      this.hotPage(bpc >>> 12)[(bpc & 4095) >>> 1] = id;
      pages.add(bpc >>> 12);
    });
    for (const p of pages) {
      let list = this.pageRegions.get(p);
      if (list === undefined) this.pageRegions.set(p, (list = []));
      list.push(region);
    }
    return region.ids[0];
  }

  /** Forgets a code page: its counters and every region with a block on it. */
  dropPage(page: number): void {
    const t = this.hl1[page >>> 10];
    if (t !== undefined) t[page & 1023] = undefined;
    const list = this.pageRegions.get(page);
    if (list === undefined) return;
    this.pageRegions.delete(page);
    for (const r of list) {
      if (r.dead) continue;
      r.dead = true;
      this.stats.invalidated++;
      r.ids.forEach((id, k) => {
        const pc = r.pcs[k];
        const tt = this.hl1[pc >>> 22];
        const hot = tt === undefined ? undefined : tt[(pc >>> 12) & 1023];
        if (hot !== undefined && hot[(pc & 4095) >>> 1] === id) hot[(pc & 4095) >>> 1] = 0;
        this.entFn[id] = undefined;
        this.freeIds.push(id);
      });
    }
  }
}
