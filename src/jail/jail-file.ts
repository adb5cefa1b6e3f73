/**
 * Jail files: finding them (a name in config/jails or $COMPAT_JAIL_PATH, or a
 * file), reading them (JSON, checked against config/jail.schema.json), and
 * turning one plus the command line's overrides into the runtime's
 * JailSettings. Every problem is a JailError naming the file, the field and
 * what was expected.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { checkSchema, formatProblem, type JsonSchema } from './schema-check.js';
import { openJail, type DenyAction, type JailMount, type JailSettings } from './settings.js';

/** A jail that cannot be used: one sentence; `compat` exits with status 2 (bad configuration). */
export class JailError extends Error {
  readonly status = 2;
  constructor(message: string) {
    super(message);
    this.name = 'JailError';
  }
}

/** A jail file as written (after the schema check). */
export interface JailFile {
  description?: string;
  personality: string;
  root?: string;
  sysroot?: string;
  mounts?: Array<{ guest: string; host: string; readOnly?: boolean }>;
  environment?: { passThrough?: 'all' | string[]; set?: Record<string, string>; unset?: string[] };
  workingFolder?: string;
  identity?: { uid?: number; gid?: number; user?: string; hostname?: string };
  limits?: { memory?: number | string; processes?: number; openFiles?: number; cpuTime?: number };
  syscalls?: { deny?: string[]; action?: DenyAction };
  nativeExec?: boolean;
  sockets?: boolean;
  network?: 'host' | 'loopback' | 'none';
  pidNamespace?: 'own' | 'shared';
}

export const SCHEMA_PATH = join(PACKAGE_ROOT, 'config', 'jail.schema.json');
export const SHIPPED_JAILS = join(PACKAGE_ROOT, 'config', 'jails');

let schemaCache: JsonSchema | null = null;
export function jailSchema(): JsonSchema {
  schemaCache ??= JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JsonSchema;
  return schemaCache;
}

/** Folders searched for jail names: $COMPAT_JAIL_PATH (first wins), then the shipped config/jails. */
export function jailDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (env.COMPAT_JAIL_PATH ?? '').split(delimiter).filter(Boolean);
  return [...extra, SHIPPED_JAILS];
}

const looksLikeFile = (s: string): boolean => s.includes('/') || s.endsWith('.json');

/** The file a jail name or path means. */
export function findJail(nameOrFile: string): string {
  if (looksLikeFile(nameOrFile)) {
    if (!existsSync(nameOrFile)) throw new JailError(`jail file ${nameOrFile}: not found`);
    return nameOrFile;
  }
  for (const d of jailDirs()) {
    const f = join(d, `${nameOrFile}.json`);
    if (existsSync(f)) return f;
  }
  throw new JailError(`no jail named "${nameOrFile}" (looked in ${jailDirs().join(', ')}); "compat jail list" shows the jails there are`);
}

/** Every jail file in the search folders: name → file (the first folder wins). */
export function listJails(): Array<{ name: string; file: string }> {
  const seen = new Map<string, string>();
  for (const d of jailDirs()) {
    let names: string[];
    try { names = readdirSync(d).filter((n) => n.endsWith('.json')).sort(); } catch { continue; }
    for (const n of names) if (!seen.has(n.slice(0, -5))) seen.set(n.slice(0, -5), join(d, n));
  }
  return [...seen].map(([name, file]) => ({ name, file }));
}

/** Line and column of a character offset, for JSON syntax errors. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** Every problem of a jail file's text (schema and meaning); empty when it is usable. */
export function jailProblems(file: string, text: string): { jail: JailFile | null; problems: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const where = m ? ` at ${lineCol(text, Number(m[1]))}` : '';
    return { jail: null, problems: [`not valid JSON${where}: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')}`] };
  }
  const problems = checkSchema(jailSchema(), doc).map(formatProblem);
  if (problems.length) return { jail: null, problems };
  const jail = doc as JailFile;
  // what a schema cannot say
  if (jail.limits?.memory !== undefined && parseSize(jail.limits.memory) === null) {
    problems.push(`limits.memory: expected a size such as 512M, found ${JSON.stringify(jail.limits.memory)}`);
  }
  const guests = new Set<string>();
  (jail.mounts ?? []).forEach((m, i) => {
    const g = normalizeGuest(m.guest);
    if (g === '/') problems.push(`mounts[${i}].guest: expected a folder below /, found "/" (use "root" to choose /)`);
    if (guests.has(g)) problems.push(`mounts[${i}].guest: expected each guest path once, found ${JSON.stringify(m.guest)} again`);
    guests.add(g);
  });
  void file;
  return { jail: problems.length ? null : jail, problems };
}

/** Reads and checks a jail file; a JailError names the file and the first problems. */
export function readJailFile(file: string): JailFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new JailError(`jail file ${file}: cannot be read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message}`);
  }
  const { jail, problems } = jailProblems(file, text);
  if (!jail) throw new JailError(`jail file ${file}: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`);
  return jail;
}

/** "512M" → bytes; numbers are bytes; null when unreadable. */
export function parseSize(v: number | string): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? v : null;
  const m = /^([0-9]+(?:\.[0-9]+)?)([KMGkmg])i?[Bb]?$/.exec(v);
  if (!m) return null;
  const mult = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[m[2].toLowerCase() as 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * mult);
}

const normalizeGuest = (p: string): string => {
  const parts: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return '/' + parts.join('/');
};

/** What the command line changes in a jail. */
export interface JailOverrides {
  root?: string;
  sysroot?: string;
  /** GUEST=HOST[:ro] */
  mount?: string[];
  network?: 'host' | 'loopback' | 'none';
}

function hostFolder(what: string, p: string, base: string, fileToo = false): string {
  const abs = isAbsolute(p) ? p : resolve(base, p);
  let st;
  try { st = statSync(abs); } catch { throw new JailError(`${what}: host ${fileToo ? 'path' : 'folder'} ${abs} does not exist`); }
  if (!st.isDirectory() && !(fileToo && st.isFile())) throw new JailError(`${what}: ${abs} is not a folder${fileToo ? ' or a file' : ''}`);
  return abs.length > 1 ? abs.replace(/\/+$/, '') : abs;
}

/** A parsed `--mount GUEST=HOST[:ro]`. */
export function parseMountOption(spec: string, base = process.cwd()): JailMount {
  let s = spec;
  let readOnly = false;
  const m = /:(ro|rw)$/.exec(s);
  if (m) { readOnly = m[1] === 'ro'; s = s.slice(0, -3); }
  const eq = s.indexOf('=');
  if (eq <= 0 || eq === s.length - 1) throw new JailError(`--mount expects GUEST=HOST[:ro], got "${spec}"`);
  const guest = s.slice(0, eq);
  if (!guest.startsWith('/')) throw new JailError(`--mount ${spec}: the guest path must be absolute`);
  if (normalizeGuest(guest) === '/') throw new JailError(`--mount ${spec}: cannot mount over /; use --root`);
  return { guest: normalizeGuest(guest), host: hostFolder(`--mount ${spec}`, s.slice(eq + 1), base, true), readOnly };
}

/** A checked jail file (+ overrides) → runtime settings. `sysroot` may stay 'auto' (decided per program). */
export function jailSettings(jail: JailFile, name: string, file: string | null, o: JailOverrides = {}): JailSettings & { sysroot: string | null } {
  const s = openJail(jail.personality);
  s.name = name;
  s.file = file;
  const where = file ?? 'the jail';
  if (o.root !== undefined && o.sysroot !== undefined) throw new JailError('--root and --sysroot cannot be used together (a root jail holds its own libraries)');
  const root = o.root !== undefined ? hostFolder('--root', o.root, process.cwd())
    : o.sysroot !== undefined ? undefined
      : jail.root !== undefined ? hostFolder(`jail file ${where}: root`, jail.root, '/') : undefined;
  s.root = root ?? null;
  s.sysroot = root !== undefined ? null
    : o.sysroot !== undefined ? hostFolder('--sysroot', o.sysroot, process.cwd())
      : jail.sysroot === 'auto' ? 'auto'
        : jail.sysroot !== undefined ? hostFolder(`jail file ${where}: sysroot`, jail.sysroot, '/') : null;
  const mounts = new Map<string, JailMount>();
  (jail.mounts ?? []).forEach((m, i) => mounts.set(normalizeGuest(m.guest), {
    guest: normalizeGuest(m.guest), host: hostFolder(`jail file ${where}: mounts[${i}].host`, m.host, '/', true), readOnly: !!m.readOnly,
  }));
  for (const spec of o.mount ?? []) { const m = parseMountOption(spec); mounts.set(m.guest, m); }
  s.mounts = [...mounts.values()];
  s.cwd = jail.workingFolder ?? (s.root !== null ? '/' : null);
  s.identity = { uid: jail.identity?.uid ?? null, gid: jail.identity?.gid ?? null, user: jail.identity?.user ?? null, hostname: jail.identity?.hostname ?? null };
  s.limits = {
    memory: jail.limits?.memory !== undefined ? parseSize(jail.limits.memory) : null,
    processes: jail.limits?.processes ?? null,
    openFiles: jail.limits?.openFiles ?? null,
    cpuTime: jail.limits?.cpuTime ?? null,
  };
  s.syscalls = { deny: [...(jail.syscalls?.deny ?? [])], action: jail.syscalls?.action ?? 'EPERM' };
  s.nativeExec = jail.nativeExec ?? false;
  s.sockets = jail.sockets ?? true;
  s.network = o.network ?? jail.network ?? 'host';
  s.pidNamespace = jail.pidNamespace ?? 'shared';
  return s;
}

/** The guest's environment under a jail's policy, then -E / -U. */
export function jailEnvironment(jail: JailFile, base: NodeJS.ProcessEnv, set: string[], unset: string[], badSet: (kv: string) => Error): string[] {
  const env = new Map<string, string>();
  const pass = jail.environment?.passThrough ?? 'all';
  const passes = (k: string): boolean => pass === 'all' || pass.some((p) => (p.endsWith('*') ? k.startsWith(p.slice(0, -1)) : p === k));
  for (const [k, v] of Object.entries(base)) if (v !== undefined && passes(k)) env.set(k, v);
  for (const u of jail.environment?.unset ?? []) env.delete(u);
  for (const [k, v] of Object.entries(jail.environment?.set ?? {})) env.set(k, v);
  for (const u of unset) env.delete(u);
  for (const kv of set) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw badSet(kv);
    env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return [...env].map(([k, v]) => `${k}=${v}`);
}

/** The jail of a run: --jail NAME|FILE, else the personality's shipped default (config/jails/<personality>.json). */
export function loadJail(nameOrFile: string | undefined, personality: string): { jail: JailFile; name: string; file: string | null } {
  if (nameOrFile !== undefined) {
    const file = findJail(nameOrFile);
    return { jail: readJailFile(file), name: basename(file).replace(/\.json$/, ''), file };
  }
  const file = join(SHIPPED_JAILS, `${personality}.json`);
  if (!existsSync(file)) return { jail: { personality }, name: 'none', file: null };
  return { jail: readJailFile(file), name: personality, file };
}
