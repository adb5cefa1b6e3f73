/**
 * Which KindOps serve an fd: one line per FileKind. The table entry of an fd
 * records its kind (../fd-table.ts), the FilesServer looks the ops up here
 * once per call. A new kind of fd is its own file in this folder plus its
 * line here (and its name in FileKind, ../types.ts, and in the table's
 * list of kinds).
 *
 * Synthetic /proc entries (./synthetic.ts) are host files and folders, and
 * are served as such.
 */
import { fail } from '../../common/errno.js';
import type { FileKind } from '../types.js';
import { directoryOps } from './directory.js';
import { epollOps } from './epoll.js';
import { eventfdOps } from './eventfd.js';
import type { KindOps, TerminalOps } from './file-kind.js';
import { pipeOps } from './pipe.js';
import { regularOps } from './regular.js';
import { signalfdOps } from './signalfd.js';
import { socketOps } from './socket.js';
import { streamOps } from './stream.js';
import { timerfdOps } from './timerfd.js';
import { ttyOps } from './tty.js';

export type { KindOps, TerminalOps } from './file-kind.js';

const KIND_OPS: Readonly<Record<FileKind, KindOps>> = {
  regular: regularOps,
  blockdev: regularOps,
  dir: directoryOps,
  pipe: pipeOps,
  tty: ttyOps,
  eventfd: eventfdOps,
  timerfd: timerfdOps,
  signalfd: signalfdOps,
  epoll: epollOps,
  socket: socketOps,
  // host character devices (/dev/null, /dev/urandom...) and the rest: blocking host streams
  chardev: streamOps,
  unknown: streamOps,
  // only O_PATH fds are symlinks: no read or write reaches their ops
  symlink: regularOps,
};

export const opsOf = (kind: FileKind): KindOps => KIND_OPS[kind];

/** The terminal ioctls of a kind; ENOTTY when it is no terminal. */
export function terminalOf(kind: FileKind): TerminalOps {
  const t = KIND_OPS[kind].terminal;
  if (t === undefined) throw fail('ENOTTY');
  return t;
}
