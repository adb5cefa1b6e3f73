/**
 * Terminals: host ttys (the host's own stdio, /dev/tty). They read and write
 * as blocking host streams (./stream.ts) and answer the terminal ioctls on
 * the host tty: termios in the host kernel's struct termios (Linux generic
 * layout, 36 bytes), the window size, the foreground process group.
 */
import * as host from '../../../src/host/libc.js';
import { H } from '../../../src/host/libc.js';
import type { Termios, Winsize } from '../types.js';
import type { KindOps, TerminalOps } from './file-kind.js';
import { streamOps } from './stream.js';

const TERMIOS_SIZE = 36;
const NCCS = 19;

const terminal: TerminalOps = {
  getattr(hostFd: number): Termios {
    const b = Buffer.alloc(TERMIOS_SIZE);
    host.ioctlPtr(hostFd, H.TCGETS, b);
    return {
      iflag: b.readUInt32LE(0), oflag: b.readUInt32LE(4), cflag: b.readUInt32LE(8), lflag: b.readUInt32LE(12),
      line: b[16], cc: new Uint8Array(b.subarray(17, 17 + NCCS)),
    };
  },

  setattr(hostFd: number, when: 'now' | 'drain' | 'flush', t: Termios): void {
    const b = Buffer.alloc(TERMIOS_SIZE);
    b.writeUInt32LE(t.iflag >>> 0, 0); b.writeUInt32LE(t.oflag >>> 0, 4);
    b.writeUInt32LE(t.cflag >>> 0, 8); b.writeUInt32LE(t.lflag >>> 0, 12);
    b[16] = t.line;
    b.set(t.cc.subarray(0, NCCS), 17);
    host.ioctlPtr(hostFd, when === 'now' ? H.TCSETS : when === 'drain' ? H.TCSETSW : H.TCSETSF, b);
  },

  getWinsize(hostFd: number): Winsize {
    const b = Buffer.alloc(8);
    host.ioctlPtr(hostFd, H.TIOCGWINSZ, b);
    return { row: b.readUInt16LE(0), col: b.readUInt16LE(2), xpixel: b.readUInt16LE(4), ypixel: b.readUInt16LE(6) };
  },

  setWinsize(hostFd: number, w: Winsize): void {
    const b = Buffer.alloc(8);
    b.writeUInt16LE(w.row & 0xffff, 0); b.writeUInt16LE(w.col & 0xffff, 2);
    b.writeUInt16LE(w.xpixel & 0xffff, 4); b.writeUInt16LE(w.ypixel & 0xffff, 6);
    host.ioctlPtr(hostFd, H.TIOCSWINSZ, b);
  },

  getForegroundPgrp(hostFd: number): number {
    const b = Buffer.alloc(4);
    host.ioctlPtr(hostFd, H.TIOCGPGRP, b);
    return b.readInt32LE(0);
  },

  setForegroundPgrp(hostFd: number, pgrp: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(pgrp, 0);
    host.ioctlPtr(hostFd, H.TIOCSPGRP, b);
  },
};

export const ttyOps: KindOps = { ...streamOps, terminal };
