/**
 * The per-process personality stub's shared machinery: the result cache for
 * answers that cannot change (getpid, getuid, uname ...), --stats accounting
 * and --trace emission. Personalities subclass it and supply the ABI decoding.
 */
import type { Logger } from './log.js';
import { writeAllSync } from './log.js';
import type { SyscallStats } from './stats.js';

export interface StubOptions {
  trace: boolean;
  stats: SyscallStats | null;
  log: Logger;
  /** Where --trace lines go (default stderr). */
  traceFd?: number;
}

export class ResultCache {
  private readonly map = new Map<string, bigint>();
  hits = 0;
  get(key: string): bigint | undefined {
    const v = this.map.get(key);
    if (v !== undefined) this.hits++;
    return v;
  }
  set(key: string, v: bigint): void { this.map.set(key, v); }
  /** Identity changes (setuid, exec, fork in the child) invalidate everything. */
  clear(): void { this.map.clear(); }
}

export abstract class StubBase {
  readonly cache = new ResultCache();
  private readonly warned = new Set<string>();

  constructor(protected readonly opts: StubOptions) {}

  get log(): Logger { return this.opts.log; }

  warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.log.warn(message);
  }

  protected traceLine(text: string): void {
    writeAllSync(this.opts.traceFd ?? 2, text + '\n');
  }

  protected account(name: string, t0: bigint, error: boolean, hit: boolean): void {
    this.opts.stats?.record(name, process.hrtime.bigint() - t0, error, hit);
  }
}
