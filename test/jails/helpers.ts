// Runs the built CLI (dist/) for the jail suites.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
export const compatBin = join(root, 'bin', 'compat.js');
export const fixture = (p: string): string => join(root, 'test/fixtures/bin', p);

export function compat(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [compatBin, ...args], {
    cwd: opts.cwd ?? root, env: opts.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeout: 60_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** pathprobe's lines as "OP ARGS" → result. */
export function probeResults(stdout: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const i = line.lastIndexOf(' = ');
    if (i > 0) m.set(line.slice(0, i).trim(), line.slice(i + 3));
  }
  return m;
}
