/**
 * The host resources a guest process holds that must be given back when it
 * ends or execs, even if it never gets to do so itself (killed): its guest
 * memory's pages, and its fd table (so that a killed writer does not keep a
 * pipe open). A vfork child runs in its parent's memory until it execs:
 * that memory is never released on the child's account.
 */
import type { SharedFilesHandle } from '../files/fd-table.js';
import { releaseTable } from '../files/release-table.js';
import { releasePages } from '../../src/host/libc.js';

interface Held {
  memory: WebAssembly.Memory | null;
  files: SharedFilesHandle | null;
  borrowedMemory: boolean;
}

export class ProcessResources {
  private readonly held = new Map<number, Held>();

  private entry(pid: number): Held {
    let h = this.held.get(pid);
    if (!h) this.held.set(pid, (h = { memory: null, files: null, borrowedMemory: false }));
    return h;
  }

  /** What a process registers when its first thread starts (each may be absent: left as it was). */
  register(pid: number, memory: WebAssembly.Memory | undefined, files: unknown): void {
    const h = this.entry(pid);
    if (memory) h.memory = memory;
    if (files) h.files = files as SharedFilesHandle;
  }

  /** A forked (or vforked: `borrowed`) child's memory and fd table. */
  adopt(pid: number, memory: WebAssembly.Memory, files: unknown, borrowed: boolean): void {
    this.held.set(pid, { memory, files: files as SharedFilesHandle, borrowedMemory: borrowed });
  }

  memoryOf(pid: number): WebAssembly.Memory | null {
    return this.held.get(pid)?.memory ?? null;
  }

  /** exec replaced the image: the old one's pages go back to the host; the new memory is the process's own. */
  replaceMemory(pid: number, memory: WebAssembly.Memory): void {
    const h = this.entry(pid);
    if (h.memory && !h.borrowedMemory) release(h.memory);
    h.memory = memory;
    h.borrowedMemory = false;
  }

  /** The process has ended: its pages and fds go. */
  releaseAll(pid: number): void {
    const h = this.held.get(pid);
    if (!h) return;
    this.held.delete(pid);
    if (h.memory && !h.borrowedMemory) release(h.memory);
    if (h.files) {
      try { releaseTable(h.files); } catch { /* not a table (already gone) */ }
    }
  }
}

function release(memory: WebAssembly.Memory): void {
  try { releasePages(new Uint8Array(memory.buffer)); } catch { /* best effort */ }
}
