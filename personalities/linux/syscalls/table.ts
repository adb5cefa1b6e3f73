/** Every Linux syscall handler by kernel name: the groups merged once. */
import { epollSyscalls } from './epoll.js';
import { filesSyscalls } from './files.js';
import { lifecycleSyscalls } from './lifecycle.js';
import { memorySyscalls } from './memory.js';
import { pollSyscalls } from './poll.js';
import { processSyscalls } from './process.js';
import { signalSyscalls } from './signals.js';
import { socketSyscalls } from './sockets.js';
import { systemSyscalls } from './system.js';
import { timeSyscalls } from './time.js';
import { timerfdSyscalls } from './timerfd.js';
import { signalfdSyscalls } from './signalfd.js';
import type { SyscallDef, SyscallGroup } from './types.js';

const groups: SyscallGroup[] = [
  filesSyscalls, pollSyscalls, epollSyscalls, memorySyscalls, systemSyscalls, timeSyscalls, lifecycleSyscalls, processSyscalls, signalSyscalls, socketSyscalls, timerfdSyscalls, signalfdSyscalls,
];

export const linuxSyscallTable: ReadonlyMap<string, SyscallDef> = new Map(
  groups.flatMap((g) => Object.values(g).map((d) => [d.name, d] as const)),
);
