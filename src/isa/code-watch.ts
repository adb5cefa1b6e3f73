/**
 * What every core with a decoded-code cache shares: one onCodeChange hook per
 * address space that tells all its cores (threads of one guest) that code in
 * [start, end) changed, and the walk over the cached pages in such a range.
 */
import type { AddressSpace } from '../memory/address-space.js';

export interface CodeCacheOwner {
  invalidateCode(start: number, end: number): void;
}

const hooks = new WeakMap<AddressSpace, { cores: Set<CodeCacheOwner>; fn: (start: number, end: number) => void }>();

/** Registers `core` for code changes of `mem` (installing, or re-installing over a newer handler, the shared hook). */
export function watchCodeChanges(mem: AddressSpace, core: CodeCacheOwner): void {
  let hook = hooks.get(mem);
  if (hook === undefined || mem.onCodeChange !== hook.fn) {
    // (re)install, chaining whatever handler is installed now
    const cores = hook?.cores ?? new Set<CodeCacheOwner>();
    const prev = mem.onCodeChange;
    const fn = (start: number, end: number): void => {
      prev?.(start, end);
      for (const c of cores) c.invalidateCode(start, end);
    };
    mem.onCodeChange = fn;
    hook = { cores, fn };
    hooks.set(mem, hook);
  }
  hook.cores.add(core);
}

export function unwatchCodeChanges(mem: AddressSpace, core: CodeCacheOwner): void {
  hooks.get(mem)?.cores.delete(core);
}

/** Calls `drop` for every page of `live` within pages first..last, walking whichever set is smaller. */
export function forLivePages(live: Set<number>, first: number, last: number, drop: (page: number) => void): void {
  if (last - first + 1 > live.size) {
    for (const p of [...live]) if (p >= first && p <= last) drop(p);
  } else {
    for (let p = first; p <= last; p++) if (live.has(p)) drop(p);
  }
}
