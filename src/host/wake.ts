/**
 * A thread's wake-up channel for host-level waits: a non-blocking pipe.
 * The supervisor writes a byte to poke the thread; the thread polls the read
 * end next to whatever it waits for, and drains it when it wakes.
 */
import { constants } from 'node:os';
import * as host from './libc.js';

const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;
const ONE = new Uint8Array([1]);

export interface WakePipe { readFd: number; writeFd: number }

export function createWakePipe(): WakePipe {
  const [readFd, writeFd] = host.pipe2(O_NONBLOCK | O_CLOEXEC);
  return { readFd, writeFd };
}

/** Pokes the thread (never blocks: a full pipe already means "woken"). */
export function poke(writeFd: number): void {
  try { host.write(writeFd, ONE); } catch { /* EAGAIN: already poked; EBADF: gone */ }
}

/** Empties the pipe; returns true if it had been poked. */
export function drain(readFd: number): boolean {
  const buf = new Uint8Array(64);
  let any = false;
  for (;;) {
    try {
      if (host.read(readFd, buf) <= 0) return any;
      any = true;
    } catch {
      return any;
    }
  }
}

export function closeWakePipe(p: WakePipe): void {
  for (const fd of [p.readFd, p.writeFd]) {
    try { host.close(fd); } catch { /* already closed */ }
  }
}

/** Host signal numbers by name (the Linux host's numbering, for 128+N and dying by signal). */
export const hostSignals = constants.signals as Record<string, number>;
