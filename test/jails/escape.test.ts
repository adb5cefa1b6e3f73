// The escape battery: a guest jailed with --root on a temporary folder tries
// to read, write, rename and link outside it by every path trick; each
// attempt fails with the errno Linux gives inside a chroot (the folder's own
// contents, or ENOENT for what is not in it), and nothing outside changes.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compat, fixture, probeResults } from './helpers.js';

const probe = fixture('riscv64/jail/pathprobe');
let base: string;
let jail: string;
let outside: string;
let ro: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'compat-jail-'));
  jail = join(base, 'root');
  outside = join(base, 'outside');
  ro = join(base, 'ro');
  for (const d of [jail, join(jail, 'etc'), join(jail, 'sub/deep'), outside, ro, join(ro, 'd')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(jail, 'etc/hi'), 'inside\n');
  writeFileSync(join(outside, 'secret'), 'OUTSIDE\n');
  writeFileSync(join(ro, 'f'), 'ro-file\n');
  symlinkSync('/etc/hi', join(jail, 'abs'));
  symlinkSync(`../../../../../../../..${outside}/secret`, join(jail, 'rel'));
  symlinkSync(`${outside}/secret`, join(jail, 'absout'));
  symlinkSync('loop2', join(jail, 'loop1'));
  symlinkSync('loop1', join(jail, 'loop2'));
  symlinkSync('/', join(jail, 'rootlink'));
  symlinkSync('..', join(jail, 'sub/up'));
});
afterAll(() => { rmSync(base, { recursive: true, force: true }); });

const outsideUnchanged = (): void => {
  expect(readdirSync(outside).sort()).toEqual(['secret']);
  expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('OUTSIDE\n');
};

describe('--root: nothing outside the folder is read', () => {
  it('.. chains, symlinks, loops, /proc/self/root and dirfds stay inside', () => {
    const o = outside;
    const r = compat(['exec', '--root', jail, probe,
      'read', '/etc/hi',
      'read', `../../../../..${o}/secret`,
      'read', `/../../..${o}/secret`,
      'read', '/abs',
      'read', '/rel',
      'read', '/absout',
      'read', '/loop1',
      'read', `/rootlink${o}/secret`,
      'read', `/sub/up/up/up${o}/secret`,
      'read', `/proc/self/root${o}/secret`,
      'read', `/proc/self/root/../..${o}/secret`,
      'readlink', '/proc/self/root',
      'openat', '/sub', `../../..${o}/secret`,
      'openat', '/sub', '../etc/hi',
      'openat', '/sub', `${o}/secret`,
      'stat', o,
    ], { cwd: base });
    expect(r.status, r.stderr).toBe(0);
    const m = probeResults(r.stdout);
    expect(m.get('read /etc/hi')).toBe('ok inside');
    expect(m.get('read /abs')).toBe('ok inside'); // an absolute symlink starts at the jail's /
    for (const [k, v] of m) {
      if (k.includes('secret') || k === `stat ${o}`) expect(v, k).toBe('ENOENT');
    }
    expect(m.get('read /loop1')).toBe('ELOOP');
    expect(m.get('openat /sub ../etc/hi')).toBe('ok inside');
    expect(m.get('readlink /proc/self/root')).toBe('ok /');
    expect(r.stdout).not.toContain('OUTSIDE');
  });

  it('chdir then .. stops at the jail\'s /, and getcwd never names the host', () => {
    const r = compat(['exec', '--root', jail, probe, 'chdir', '/sub/deep', 'chdir', '../../../../..', 'getcwd', 'read', 'etc/hi',
      'fchdir', '/sub', 'chdir', '../..', 'getcwd', 'read', `.${outside}/secret`], { cwd: base });
    const m = probeResults(r.stdout);
    expect(m.get('chdir ../../../../..')).toBe('ok');
    expect(r.stdout.match(/getcwd {2}= ok \/\n/g)).toHaveLength(2);
    expect(m.get('read etc/hi')).toBe('ok inside');
    expect(m.get(`read .${outside}/secret`)).toBe('ENOENT');
  });
});

describe('--root: nothing outside the folder is changed', () => {
  it('writes, renames and links out land inside or fail', () => {
    const o = outside;
    const r = compat(['exec', '--root', jail, probe,
      'write', `/sub/../../../..${o}/new`, 'x',
      'write', `/rootlink${o}/new2`, 'x',
      'rename', '/etc/hi', `/../..${o}/moved`,
      'link', '/etc/hi', `../..${o}/linked`,
      'symlink', `${o}/secret`, '/s2',
      'read', '/s2',
      'write', '/s2', 'overwrite',
      'mkdir', `/../..${o}/dir`,
      'unlink', `/../..${o}/secret`,
      'rename', `/../..${o}/secret`, '/stolen',
    ], { cwd: base });
    expect(r.status, r.stderr).toBe(0);
    const m = probeResults(r.stdout);
    for (const [k, v] of m) if (k !== `symlink ${o}/secret /s2`) expect(v, k).toBe('ENOENT');
    expect(m.get(`symlink ${o}/secret /s2`)).toBe('ok');
    outsideUnchanged();
    expect(existsSync(join(jail, 'stolen'))).toBe(false);
  });

  it('a read-only mount refuses every write with EROFS and still reads', () => {
    const r = compat(['exec', '--root', jail, '--mount', `/data=${ro}:ro`, probe,
      'read', '/data/f', 'write', '/data/f', 'x', 'write', '/data/new', 'x', 'mkdir', '/data/m', 'rmdir', '/data/d',
      'unlink', '/data/f', 'rename', '/data/f', '/data/g', 'symlink', 'x', '/data/l', 'read', '/data/../etc/hi',
      'read', `/data/../../..${outside}/secret`,
    ], { cwd: base });
    const m = probeResults(r.stdout);
    expect(m.get('read /data/f')).toBe('ok ro-file');
    for (const k of ['write /data/f', 'write /data/new', 'mkdir /data/m', 'rmdir /data/d', 'unlink /data/f', 'rename /data/f /data/g', 'symlink x /data/l']) {
      expect(m.get(k), k).toBe('EROFS');
    }
    expect(m.get('read /data/../etc/hi')).toBe('ok inside');
    expect(m.get(`read /data/../../..${outside}/secret`)).toBe('ENOENT');
    expect(readdirSync(ro).sort()).toEqual(['d', 'f']);
    outsideUnchanged();
  });
});

describe('--root: #! interpreters are the jail\'s', () => {
  it('a script\'s interpreter is looked up inside the root, and a loop there is ELOOP, not the host\'s file', () => {
    mkdirSync(join(jail, 'bin'), { recursive: true });
    require('node:fs').copyFileSync(fixture('riscv64/args'), join(jail, 'bin/sh'));
    writeFileSync(join(jail, 'script'), '#!/bin/sh -x\n', { mode: 0o755 });
    writeFileSync(join(jail, 'looped'), '#!/loop1\n', { mode: 0o755 });
    const r = compat(['exec', '--root', jail, '/script'], { cwd: base });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('basename(argv[0]) = sh');
    expect(r.stdout).toContain('argv[2] = "/script"');
    const l = compat(['exec', '--root', jail, '/looped'], { cwd: base });
    expect(l.status).toBe(126);
    expect(l.stderr).toMatch(/\/loop1: bad interpreter: Too many levels of symbolic links/);
  });
});

describe('--root: mounts are file systems of their own', () => {
  it('rename and link between a mount and the root fail with EXDEV', () => {
    const rw = join(base, 'rw');
    mkdirSync(rw, { recursive: true });
    const r = compat(['exec', '--root', jail, '--mount', `/rw=${rw}`, probe,
      'write', '/rw/a', 'x', 'rename', '/rw/a', '/moved', 'link', '/rw/a', '/l', 'rename', '/rw/a', '/rw/b', 'read', '/rw/b'], { cwd: base });
    const m = probeResults(r.stdout);
    expect(m.get('rename /rw/a /moved')).toBe('EXDEV');
    expect(m.get('link /rw/a /l')).toBe('EXDEV');
    expect(m.get('rename /rw/a /rw/b')).toBe('ok');
    expect(m.get('read /rw/b')).toBe('ok x');
    expect(readdirSync(rw)).toEqual(['b']);
  });
});

describe('--root: synthetic /proc and the usual /dev', () => {
  it('/proc/cpuinfo is the emulated CPU, /proc/self/maps the guest\'s own, /dev/null and /dev/fd/N work', () => {
    const r = compat(['exec', '--root', jail, probe, 'read', '/proc/cpuinfo', 'read', '/proc/meminfo', 'read', '/proc/self/maps',
      'write', '/dev/null', 'x', 'read', '/dev/zero', 'stat', '/dev/urandom', 'open', '/dev/fd/1', 'open', '/proc/self/fd/1',
      'write', '/proc/cpuinfo', 'x', 'read', '/proc/version'], { cwd: base });
    const m = probeResults(r.stdout);
    expect(m.get('read /proc/cpuinfo')).toBe('ok processor\t: 0');
    expect(m.get('read /proc/meminfo')).toMatch(/^ok MemTotal: +\d+ kB$/);
    expect(m.get('read /proc/self/maps')).toMatch(/^ok 0*10000-[0-9a-f]+ r-xp /);
    expect(m.get('write /dev/null')).toBe('ok');
    expect(m.get('read /dev/zero')).toBe('ok ');
    expect(m.get('stat /dev/urandom')).toBe('ok size=0');
    // the test's stdout is a socket: Linux refuses to open one through /proc/self/fd with ENXIO, as here
    expect(['ok', 'ENXIO']).toContain(m.get('open /dev/fd/1'));
    expect(m.get('open /proc/self/fd/1')).toBe(m.get('open /dev/fd/1'));
    expect(m.get('write /proc/cpuinfo')).toBe('EACCES');
    expect(m.get('read /proc/version')).toBe('ENOENT'); // the host's /proc is not in the jail
  });
});
