/**
 * The one small interface behind which every kind of open file lives: how
 * its fds read, write, show poll readiness, answer ioctls, stat and close.
 * The FilesServer picks the ops of an fd from the kind its table entry
 * records (./index.ts) and calls them; everything kind-neutral (the fd
 * table, paths, open, poll over many fds, metadata, locks) stays outside.
 *
 * A new kind of fd (socket, epoll, timerfd, signalfd, inotify, pty) is one
 * new file in this folder exporting its KindOps, plus its line in ./index.ts.
 */
import type * as host from '../../../src/host/libc.js';
import type { Interrupter } from '../../common/interrupt.js';
import type { EntryFields } from '../fd-table.js';
import type { DirEntry, Stat, Termios, Winsize } from '../types.js';

export interface KindOps {
  /**
   * read(2) / readv(2) at the file position into `bufs`, with this kind's
   * blocking rules (a blocking wait ends with EINTR when `i` has a signal).
   * O_PATH entries never get here.
   */
  read(i: Interrupter, e: EntryFields, bufs: readonly Uint8Array[]): number;
  /**
   * write(2) / writev(2) (`offset` null: at the file position) and
   * pwrite(2) / pwritev(2). Blocking writes are complete: partial writes are
   * resumed; a signal ends them with the count so far.
   */
  write(i: Interrupter, e: EntryFields, bufs: readonly Uint8Array[], offset: bigint | null): number;
  /** Poll readiness: the host poll() entry that waits for `events` on this fd; its revents are the guest's. */
  readiness(hostFd: number, events: number): host.HostPollFd;
  /** FIONREAD: bytes ready to read. */
  bytesReadable(hostFd: number): number;
  /** The terminal ioctls, for kinds that are terminals (the others: ENOTTY, and isatty is false). */
  readonly terminal?: TerminalOps;
  /** getdents, for kinds that are folders (the others: ENOTDIR). See FilesServer.getdents. */
  readonly getdents?: (hostFd: number, budget: number, sizeOf: (nameLength: number) => number) => DirEntry[];
  /** fstat(2). */
  stat(hostFd: number): Stat;
  /** Releases what a table entry owns once it leaves the table (close, dup2 over it, exec, exit); never fails. */
  close(hostFd: number): void;
}

/** The ioctls of a terminal: termios, window size, foreground process group. */
export interface TerminalOps {
  /** TCGETS. */
  getattr(hostFd: number): Termios;
  /** TCSETS (now) / TCSETSW (drain) / TCSETSF (flush input, then set). */
  setattr(hostFd: number, when: 'now' | 'drain' | 'flush', t: Termios): void;
  /** TIOCGWINSZ. */
  getWinsize(hostFd: number): Winsize;
  /** TIOCSWINSZ. */
  setWinsize(hostFd: number, w: Winsize): void;
  /** TIOCGPGRP: the host's foreground process group of the terminal (host ids). */
  getForegroundPgrp(hostFd: number): number;
  /** TIOCSPGRP. */
  setForegroundPgrp(hostFd: number, pgrp: number): void;
}
