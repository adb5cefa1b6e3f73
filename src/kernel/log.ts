/**
 * compat's own log lines: pino, written synchronously to stderr (or a file) as
 * one readable line each — never into the guest's stdout.
 */
import { writeSync, openSync } from 'node:fs';
import { pino, type Logger, type Level } from 'pino';

export type { Logger };

/** Writes `text` to `fd` completely, retrying short writes and EAGAIN. */
export function writeAllSync(fd: number, text: string | Uint8Array): void {
  let buf = typeof text === 'string' ? Buffer.from(text) : text;
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw e;
    }
  }
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };

/** A pino logger whose lines look like `compat: warning: message (key=value)`. */
export function createLogger(level: Level | 'silent' = 'warn', file?: string): Logger {
  const fd = file ? openSync(file, 'a') : 2;
  const stream = {
    write(line: string): void {
      let out = line;
      try {
        const rec = JSON.parse(line) as Record<string, unknown>;
        const { level: lv, msg, time: _t, pid: _p, hostname: _h, ...rest } = rec;
        const extra = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
        out = `compat: ${LEVEL_NAMES[lv as number] ?? lv}: ${msg}${extra.length ? ` (${extra.join(', ')})` : ''}\n`;
      } catch { /* not JSON: print as is */ }
      writeAllSync(fd, out);
    },
  };
  return pino({ level, base: undefined, timestamp: false }, stream);
}
