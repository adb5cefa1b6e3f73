/** `compat exec`: run a foreign program; our exit status is the guest's. */
import { openSync } from 'node:fs';
import { createCompat } from '../container.js';
import { ExecError, prepare } from '../kernel/exec.js';
import { shellStatus } from '../kernel/exit.js';
import { dieBySignal } from '../host/libc.js';
import { createLogger, writeAllSync } from '../kernel/log.js';
import { SyscallStats } from '../kernel/stats.js';
import { reportError } from './report.js';

export interface ExecOptions {
  trace: boolean;
  stats: boolean;
  logLevel: string;
  logFile?: string;
  env: string[];
  unset: string[];
  argv0?: string;
  plugin: string[];
}

/** The guest's environment: exactly compat's own, plus -E, minus -U, in order. */
export function guestEnvironment(base: NodeJS.ProcessEnv, set: string[], unset: string[]): string[] {
  const env = new Map<string, string>();
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env.set(k, v);
  for (const u of unset) env.delete(u);
  for (const kv of set) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new ExecError(`-E expects VAR=VALUE, got "${kv}"`, 126);
    env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return [...env].map(([k, v]) => `${k}=${v}`);
}

export async function execCommand(file: string, args: string[], opts: ExecOptions): Promise<number> {
  try {
    const logFd = opts.logFile ? openSync(opts.logFile, 'a') : 2;
    const log = createLogger(opts.logLevel as 'warn', opts.logFile);
    const compat = await createCompat(opts.plugin);
    const stats = opts.stats ? new SyscallStats() : null;
    const envp = guestEnvironment(process.env, opts.env, opts.unset);
    const argv = [opts.argv0 ?? file, ...args];
    const { run } = prepare(compat, { path: file, argv, envp, settings: { trace: opts.trace, stats, log } });
    const reason = run();
    if (stats) writeAllSync(logFd, stats.format());
    if (reason.kind === 'signal') {
      // mirror the guest's death: the parent of compat sees WIFSIGNALED with the same signal
      log.debug(`guest killed by ${reason.name}${reason.coreDumped ? ' (core dumped)' : ''}`);
      dieBySignal(reason.number);
    }
    return shellStatus(reason);
  } catch (e) {
    return reportError(e);
  }
}
