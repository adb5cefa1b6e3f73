// Jail files and the `compat jail` commands: the shipped default is valid,
// broken files are reported naming the file, the field and what was expected.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSchema } from '../../src/jail/schema-check.js';
import { jailProblems, parseSize } from '../../src/jail/jail-file.js';
import { compat, fixture, root } from './helpers.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'compat-jailfiles-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('schema checker', () => {
  const schema = JSON.parse(readFileSync(join(root, 'config/jail.schema.json'), 'utf8'));
  it('accepts the shipped jails', () => {
    for (const f of ['linux.json']) {
      expect(checkSchema(schema, JSON.parse(readFileSync(join(root, 'config/jails', f), 'utf8')))).toEqual([]);
    }
  });
  it('names the field and the expectation', () => {
    const p = checkSchema(schema, { personality: 'linux', limits: { processes: 'many' }, mounts: [{ guest: '/x' }], sockets: 'yes', extra: 1 });
    const byField = Object.fromEntries(p.map((x) => [x.field, x.expected]));
    expect(byField['limits.processes']).toMatch(/whole number/);
    expect(byField['mounts[0].host']).toMatch(/required/);
    expect(byField['sockets']).toBe('true or false');
    expect(byField['extra']).toMatch(/no such field/);
  });
  it('reads sizes', () => {
    expect(parseSize('512M')).toBe(512 * 2 ** 20);
    expect(parseSize('1.5G')).toBe(1.5 * 2 ** 30);
    expect(parseSize('lots')).toBeNull();
  });
  it('reports JSON syntax errors with a line', () => {
    expect(jailProblems('x.json', '{\n "personality": "linux",\n}').problems[0]).toMatch(/not valid JSON at line 3/);
  });
});

describe('compat jail', () => {
  it('list shows the shipped default', () => {
    const r = compat(['jail', 'list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^linux\s+linux/m);
  });
  it('check passes the default and fails a broken file naming file, field and expectation', () => {
    expect(compat(['jail', 'check', 'linux']).status).toBe(0);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ personality: 'linux', limits: { memory: 'lots' }, syscalls: { action: 'explode' } }));
    const r = compat(['jail', 'check', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`jail file ${bad}: limits.memory: expected`);
    expect(r.stderr).toMatch(/syscalls\.action: expected one of "EPERM", "ENOSYS", "kill", found "explode"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('exec with a broken jail stops before the guest with one line and status 2', () => {
    const bad = join(dir, 'bad2.json');
    writeFileSync(bad, JSON.stringify({ personality: 'linux', root: 'relative/path' }));
    const r = compat(['exec', '--jail', bad, fixture('riscv64/hello')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`compat: jail file ${bad}: root: expected a string starting with /, found "relative/path"`);
    expect(r.stdout).toBe('');
  });
  it('init writes a valid jail that show and exec accept', () => {
    const jr = join(dir, 'r');
    require('node:fs').mkdirSync(jr);
    const r = compat(['jail', 'init', 'mine', '--root', jr], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    const file = join(dir, 'mine.json');
    expect(compat(['jail', 'check', file]).status).toBe(0);
    const s = compat(['jail', 'show', file]);
    expect(JSON.parse(s.stdout).root).toBe(jr);
    expect(compat(['jail', 'init', 'mine'], { cwd: dir }).status).toBe(2); // exists
    const e = compat(['exec', '--jail', file, fixture('riscv64/hello')]);
    expect(e.status, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/Hello, world!/);
  });
  it('an unknown jail name says where it looked', () => {
    const r = compat(['exec', '--jail', 'nosuchjail', fixture('riscv64/hello')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no jail named "nosuchjail"/);
  });
  it('the environment policy applies', () => {
    const jf = join(dir, 'env.json');
    writeFileSync(jf, JSON.stringify({ personality: 'linux', environment: { passThrough: ['COMPAT_TEST*', 'LANG'], set: { COMPAT_EMPTY_VAR: 'set' }, unset: ['LANG'] } }));
    const r = compat(['exec', '--jail', jf, fixture('riscv64/args')], { env: { PATH: '/usr/bin', HOME: '/h', COMPAT_TEST_VAR: 'a', LANG: 'C' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('getenv(HOME) = (null)');
    expect(r.stdout).toContain('getenv(LANG) = (null)');
    expect(r.stdout).toContain('getenv(COMPAT_TEST_VAR) = "a"');
    expect(r.stdout).toContain('getenv(COMPAT_EMPTY_VAR) = "set"');
  });
  it('identity: uid, gid and host name the guest sees', () => {
    const jf = join(dir, 'id.json');
    writeFileSync(jf, JSON.stringify({ personality: 'linux', identity: { uid: 0, gid: 0, hostname: 'jailbox' } }));
    const bb = join(root, 'test/fixtures/debian/mipsel/busybox');
    if (!require('node:fs').existsSync(bb)) return;
    const r = compat(['exec', '--jail', jf, bb, 'sh', '-c', 'uname -n; id -u; id -g']);
    expect(r.stdout).toBe('jailbox\n0\n0\n');
  });
});
