/** Per-syscall counters for `--stats`: calls, time spent, result-cache hits, errors. */
export interface SyscallStat {
  calls: number;
  errors: number;
  cacheHits: number;
  ns: bigint;
}

/** The counters of one worker, as it sends them to the supervisor when its thread ends (bigints as strings). */
export interface StatsPayload {
  instructions: number;
  table: Array<[string, { calls: number; errors: number; cacheHits: number; ns: string }]>;
}

export class SyscallStats {
  readonly table = new Map<string, SyscallStat>();
  instructions = 0;
  startNs = process.hrtime.bigint();

  record(name: string, ns: bigint, error: boolean, cacheHit: boolean): void {
    let s = this.table.get(name);
    if (!s) this.table.set(name, (s = { calls: 0, errors: 0, cacheHits: 0, ns: 0n }));
    s.calls++;
    s.ns += ns;
    if (error) s.errors++;
    if (cacheHit) s.cacheHits++;
  }

  /** What this worker sends when its thread ends. */
  payload(): StatsPayload {
    return { instructions: this.instructions, table: [...this.table].map(([k, v]) => [k, { ...v, ns: v.ns.toString() }]) };
  }

  /** Adds another worker's counters to these. */
  merge(p: StatsPayload): void {
    this.instructions += p.instructions;
    for (const [name, v] of p.table) {
      let cur = this.table.get(name);
      if (!cur) this.table.set(name, (cur = { calls: 0, errors: 0, cacheHits: 0, ns: 0n }));
      cur.calls += v.calls; cur.errors += v.errors; cur.cacheHits += v.cacheHits; cur.ns += BigInt(v.ns);
    }
  }

  /** An strace -c style table. */
  format(): string {
    const rows = [...this.table.entries()].sort((a, b) => Number(b[1].ns - a[1].ns) || b[1].calls - a[1].calls);
    const totalNs = rows.reduce((t, [, s]) => t + s.ns, 0n);
    const wall = Number(process.hrtime.bigint() - this.startNs) / 1e9;
    const lines = [
      `compat: stats: ${this.instructions} guest instructions in ${wall.toFixed(3)} s (${(this.instructions / wall / 1e6).toFixed(1)} MIPS)`,
      '% time     seconds  usecs/call     calls    errors cache-hits syscall',
      '------ ----------- ----------- --------- --------- ---------- ----------------',
    ];
    let calls = 0, errors = 0, hits = 0;
    for (const [name, s] of rows) {
      calls += s.calls; errors += s.errors; hits += s.cacheHits;
      const pct = totalNs > 0n ? (Number(s.ns) * 100) / Number(totalNs) : 0;
      lines.push(
        `${pct.toFixed(2).padStart(6)} ${(Number(s.ns) / 1e9).toFixed(6).padStart(11)} ` +
        `${Math.round(Number(s.ns) / 1e3 / s.calls).toString().padStart(11)} ${String(s.calls).padStart(9)} ` +
        `${(s.errors ? String(s.errors) : '').padStart(9)} ${(s.cacheHits ? String(s.cacheHits) : '').padStart(10)} ${name}`,
      );
    }
    lines.push('------ ----------- ----------- --------- --------- ---------- ----------------');
    lines.push(`100.00 ${(Number(totalNs) / 1e9).toFixed(6).padStart(11)} ${''.padStart(11)} ${String(calls).padStart(9)} ${(errors ? String(errors) : '').padStart(9)} ${(hits ? String(hits) : '').padStart(10)} total`);
    return lines.join('\n') + '\n';
  }
}
