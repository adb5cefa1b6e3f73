/**
 * What a guest fd refers to, as seen at one moment: the host fd the table
 * entry owns and the facts the server keeps about it. A snapshot decoded
 * from the shared fd table (./fd-table.ts); it holds no reference, so use it
 * within one operation and never keep it (the fd may be closed by another
 * thread afterwards; `FilesServer.dupHost` gives a host fd of one's own).
 *
 * Offsets and status flags (O_APPEND, O_NONBLOCK...) are the host open file
 * description's: every guest fd that shares a description (dup, fork) has a
 * host fd on the same host description.
 */
import type { Access, FileKind } from './types.js';

export class OpenFileDescription {
  constructor(
    readonly hostFd: number,
    readonly kind: FileKind,
    readonly access: Access,
    /** True for O_PATH descriptions: no I/O allowed. */
    readonly pathOnly: boolean,
    /**
     * Shared with the host process (stdio): guest changes to O_NONBLOCK stay in
     * `nonblock` and are emulated, the host fd's own flags are left alone.
     */
    readonly hostShared: boolean,
    /** The guest's O_NONBLOCK for host-shared fds (others: read the host flags). */
    readonly nonblock: boolean,
  ) {}
}
