/** `compat jail list|show|check|init`: the jail files compat finds, what one means, whether it is valid, a new one. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { writeAllSync } from '../kernel/log.js';
import { findJail, JailError, jailProblems, jailSettings, listJails, readJailFile, type JailFile } from '../jail/jail-file.js';

const out = (s: string): void => { writeAllSync(1, s); };
const err = (s: string): void => { writeAllSync(2, s); };

export function jailListCommand(opts: { json?: boolean }): number {
  const rows = listJails().map(({ name, file }) => {
    const { jail, problems } = jailProblems(file, safeRead(file));
    return { name, file, personality: jail?.personality ?? null, description: jail?.description ?? null, valid: problems.length === 0 };
  });
  if (opts.json) { out(JSON.stringify(rows, null, 2) + '\n'); return 0; }
  for (const r of rows) {
    out(`${r.name.padEnd(16)} ${(r.personality ?? '?').padEnd(8)} ${r.valid ? (r.description ?? '') : 'INVALID: run "compat jail check ' + r.name + '"'}  (${r.file})\n`);
  }
  return 0;
}

function safeRead(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch (e) { return `<unreadable: ${(e as Error).message}>`; }
}

/** The jail as compat will apply it: defaults filled in, sizes in bytes, folders absolute. */
export function jailShowCommand(nameOrFile: string): number {
  const file = findJail(nameOrFile);
  const jf = readJailFile(file);
  const s = jailSettings(jf, nameOrFile, file);
  const { passThrough = 'all', set = {}, unset = [] } = jf.environment ?? {};
  out(JSON.stringify({ ...s, description: jf.description ?? null, environment: { passThrough, set, unset } }, null, 2) + '\n');
  return 0;
}

export function jailCheckCommand(names: string[]): number {
  let bad = 0;
  for (const n of names) {
    let file: string;
    try { file = findJail(n); } catch (e) { err(`compat: ${(e as Error).message}\n`); bad++; continue; }
    const { jail, problems } = jailProblems(file, safeRead(file));
    if (jail) {
      try { jailSettings(jail, n, file); } catch (e) { problems.push((e as Error).message); }
    }
    if (problems.length === 0) out(`${file}: ok\n`);
    else {
      bad++;
      for (const p of problems) err(`compat: jail file ${file}: ${p.replace(/^jail file \S+: /, '')}\n`);
    }
  }
  return bad ? 1 : 0;
}

export function jailInitCommand(name: string, opts: { personality: string; root?: string; output?: string; force?: boolean }): number {
  const file = opts.output ?? (name.endsWith('.json') || name.includes('/') ? name : `${name}.json`);
  if (existsSync(file) && !opts.force) throw new JailError(`${file} exists; use --force to replace it`);
  const jail: JailFile & { $schema?: string } = {
    description: `jail ${name.replace(/\.json$/, '')}`,
    personality: opts.personality,
    ...(opts.root ? { root: opts.root } : { sysroot: 'auto' }),
    mounts: [],
    environment: { passThrough: ['PATH', 'HOME', 'TERM', 'LANG', 'LC_*', 'TZ', 'USER'], set: {}, unset: [] },
    ...(opts.root ? { workingFolder: '/' } : {}),
    identity: {},
    limits: { openFiles: 1024 },
    syscalls: { deny: [], action: 'EPERM' },
    nativeExec: false,
    sockets: true,
    network: 'host',
    pidNamespace: 'own',
  };
  const text = JSON.stringify(jail, null, 2) + '\n';
  const { problems } = jailProblems(file, text);
  if (problems.length) throw new JailError(`the new jail would be invalid: ${problems.join('; ')}`);
  writeFileSync(file, text);
  out(`${file}\n`);
  return 0;
}
