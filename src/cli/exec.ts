/** `compat exec`: run a foreign program; our exit status is the guest's. */
import { openSync } from 'node:fs';
import { ExecError } from '../kernel/exec-error.js';
import { Supervisor } from '../kernel/supervisor.js';
import { shellStatus } from '../kernel/exit.js';
import { dieBySignal } from '../host/libc.js';
import { writeAllSync } from '../kernel/log.js';
import { reportError } from './report.js';
import { jailForRun } from '../jail/for-run.js';

export interface ExecOptions {
  trace: boolean;
  stats: boolean;
  logLevel: string;
  logFile?: string;
  env: string[];
  unset: string[];
  argv0?: string;
  plugin: string[];
  jail?: string;
  root?: string;
  sysroot?: string;
  mount: string[];
  network?: 'host' | 'loopback' | 'none';
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
    // a broken --plugin is reported in one line before any guest starts (the built-in ones are checked by the tests)
    if (opts.plugin.length) await (await import('../container.js')).createCompat(opts.plugin);
    const { jail, envp, hostFile } = await jailForRun(file, opts);
    const argv = [opts.argv0 ?? file, ...args];
    const supervisor = new Supervisor({
      trace: opts.trace, stats: opts.stats, logLevel: opts.logLevel, logFile: opts.logFile, plugins: opts.plugin, jail,
    });
    const reason = await supervisor.run(hostFile, argv, envp);
    if (supervisor.stats) writeAllSync(logFd, supervisor.stats.format());
    if (reason.kind === 'signal') {
      // mirror the guest's death: the parent of compat sees WIFSIGNALED with the same signal
      dieBySignal(reason.number);
    }
    return shellStatus(reason);
  } catch (e) {
    return reportError(e);
  }
}
