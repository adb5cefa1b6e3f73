/**
 * An open file description: one host fd, shared by every guest fd (and every
 * process after fork) that refers to it, and closed when the last reference
 * goes. Sharing the host fd shares the offset and the status flags exactly as
 * the kernel's open file descriptions do.
 */
import * as host from '../../src/host/libc.js';
import type { Access, FileKind } from './types.js';

export class OpenFileDescription {
  private refs = 1;
  /** Directory read state is the host fd's own position; nothing to keep here. */
  constructor(
    readonly hostFd: number,
    readonly kind: FileKind,
    readonly access: Access,
    /** The guest path it was opened with (absolute, for fchdir and /proc-style reporting). */
    readonly guestPath: string,
    /** True for O_PATH descriptions: no I/O allowed. */
    readonly pathOnly: boolean,
    /**
     * Shared with the host process (stdio): guest changes to O_NONBLOCK stay in
     * `nonblock` and are emulated, the host fd's own flags are left alone.
     */
    readonly hostShared: boolean,
    /** The guest's view of O_NONBLOCK. */
    public nonblock: boolean,
  ) {}

  retain(): this {
    this.refs++;
    return this;
  }

  /** Drops one reference; closes the host fd with the last one. */
  release(): void {
    if (--this.refs === 0) {
      try { host.close(this.hostFd); } catch { /* the guest's close already succeeded */ }
    }
  }

  get references(): number {
    return this.refs;
  }

  /** Kinds whose reads and writes can block (and so honour O_NONBLOCK). */
  get mayBlock(): boolean {
    return this.kind === 'pipe' || this.kind === 'tty' || this.kind === 'chardev' || this.kind === 'socket';
  }
}
