// The command line as a user meets it: help, exit statuses, refusals, the
// guest's environment, --trace, --stats, sniff and plugins. Runs the built CLI.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const compatBin = join(root, 'bin', 'compat.js');
const hello = join(root, 'test/fixtures/bin/riscv64/hello');
const argsProg = join(root, 'test/fixtures/bin/riscv64/args');
const syscallsProg = join(root, 'test/fixtures/bin/riscv64/syscalls');
const toyPlugin = join(root, 'test/fixtures/plugins/toy-format');

function compat(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const r = spawnSync(process.execPath, [compatBin, ...args], {
    cwd: root, env: opts.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' }, input: opts.input ?? '', timeout: 60_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** One line starting with "compat: ", no JavaScript stack trace. */
function expectOneLineError(stderr: string): void {
  const lines = stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^compat: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'compat-cli-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('compat --help and usage errors', () => {
  it('prints help for the program and every command', () => {
    for (const args of [['--help'], ['exec', '--help'], ['sniff', '--help'], ['plugins', 'list', '--help']]) {
      const r = compat(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: compat/);
    }
    expect(compat(['exec', '--help']).stdout).toMatch(/--trace[\s\S]*--stats[\s\S]*--argv0/);
  });

  it('rejects a bad command line with status 2 and one line', () => {
    const r = compat(['exec']);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr);
    expect(compat(['frobnicate']).status).toBe(2);
  });
});

describe('compat exec', () => {
  it('runs a riscv64 program and passes its status through', () => {
    const ok = compat(['exec', hello]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^Hello, world!\n/);
    const code = compat(['exec', join(root, 'test/fixtures/bin/riscv64/exitcode'), '42']);
    expect(code.status).toBe(42);
  });

  it('gives 127 for a missing file and 126 with a reason for what cannot run', () => {
    const missing = compat(['exec', join(dir, 'nope')]);
    expect(missing.status).toBe(127);
    expectOneLineError(missing.stderr);
    expect(missing.stderr).toMatch(/No such file or directory/);

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'just some words\n');
    chmodSync(text, 0o755);
    const t = compat(['exec', text]);
    expect(t.status).toBe(126);
    expectOneLineError(t.stderr);

    const noexec = join(dir, 'hello-noexec');
    copyFileSync(hello, noexec);
    chmodSync(noexec, 0o644);
    const n = compat(['exec', noexec]);
    expect(n.status).toBe(126);
    expect(n.stderr).toMatch(/Permission denied/);

    const d = compat(['exec', dir]);
    expect(d.status).toBe(126);
    expect(d.stderr).toMatch(/Is a directory/);

    const pe = join(dir, 'prog.exe');
    const peBytes = Buffer.alloc(512);
    peBytes.write('MZ', 0);
    peBytes.writeUInt32LE(0x80, 0x3c);
    peBytes.write('PE\0\0', 0x80, 'latin1');
    peBytes.writeUInt16LE(0x14c, 0x84);
    peBytes.writeUInt16LE(0xe0, 0x94);
    peBytes.writeUInt16LE(0x10b, 0x98);
    writeFileSync(pe, peBytes);
    chmodSync(pe, 0o755);
    const p = compat(['exec', pe]);
    expect(p.status).toBe(126);
    expectOneLineError(p.stderr);
    expect(p.stderr).toMatch(/PE32.*Windows.*no personality claims it/);
  });

  it('names the missing ISA core for a binary it recognises but cannot run', () => {
    const mips = join(dir, 'hello-mipsel');
    copyFileSync(join(root, 'test/fixtures/bin/sniff/hello-powerpc-static'), mips);
    chmodSync(mips, 0o755);
    const r = compat(['exec', mips]);
    expect(r.status).toBe(126);
    expectOneLineError(r.stderr);
    expect(r.stderr).toMatch(/PowerPC.*no ISA core for ppc/);
  });

  it('runs #! scripts through the front-end again', () => {
    const script = join(dir, 'hello-script');
    writeFileSync(script, `#!${hello} -x\nignored\n`);
    chmodSync(script, 0o755);
    const r = compat(['exec', script, 'a']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Hello, world!/);
    const loop = join(dir, 'loop-script');
    writeFileSync(loop, `#!${loop}\n`);
    chmodSync(loop, 0o755);
    const l = compat(['exec', loop]);
    expect(l.status).toBe(126);
    expectOneLineError(l.stderr);
  });

  it('gives the guest exactly compat\'s environment plus -E minus -U, and --argv0', () => {
    const env = { PATH: '/usr/bin:/bin', HOME: '/home/kept', LANG: 'dropped' };
    const r = compat(['exec', '-E', 'COMPAT_TEST_VAR=added', '-U', 'LANG', argsProg, 'x'], { env });
    expect(r.status).toBe(1); // the args fixture exits with argc - 1
    expect(r.stdout).toMatch(/^environ count = 3$/m); // PATH, HOME, COMPAT_TEST_VAR: nothing of compat's own
    expect(r.stdout).toMatch(/^getenv\(HOME\) = "?\/home\/kept"?$/m);
    expect(r.stdout).toMatch(/^getenv\(LANG\) = \(null\)$/m);
    expect(r.stdout).toMatch(/^getenv\(COMPAT_TEST_VAR\) = "?added"?$/m);
    const renamed = compat(['exec', '--argv0', 'renamed', argsProg]);
    expect(renamed.stdout).toMatch(/^basename\(argv\[0\]\) = renamed$/m);
    expect(renamed.stdout).toMatch(/^basename\(AT_EXECFN\) = args$/m);
  });

  it('rejects a malformed -E', () => {
    const r = compat(['exec', '-E', 'novalue', hello]);
    expect(r.status).toBe(126);
    expectOneLineError(r.stderr);
  });

  it('--trace prints strace-style lines on stderr, not stdout', () => {
    const r = compat(['exec', '--trace', hello]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/write\(/);
    expect(r.stderr).toMatch(/^write\(1, "Hello, world!\\nprintf: -42 42 bee"\.\.\., \d+\) = \d+$/m);
    expect(r.stderr).toMatch(/^exit_group\(0\) = \?$/m);
    expect(r.stderr).toMatch(/^newfstatat\(1, "", 0x[0-9a-f]+, 0x1000\) = 0$/m);
    const work = mkdtempSync(join(dir, 'trace-'));
    const f = compat(['exec', '--trace', join(root, 'test/fixtures/bin/riscv64/fileio'), work]);
    expect(f.stderr).toMatch(/^openat\(AT_FDCWD, "data\.bin", O_RDWR\|O_CREAT\|O_EXCL, 0644\) = -1 EEXIST \(File exists\)$/m);
  });

  it('--stats counts syscalls and result-cache hits', () => {
    const r = compat(['exec', '--stats', syscallsProg]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/compat: stats: \d+ guest instructions/);
    const getpid = r.stderr.split('\n').find((l) => / getpid$/.test(l));
    expect(getpid, r.stderr).toBeDefined();
    const cols = getpid!.trim().split(/\s+/);
    const calls = Number(cols[3]);
    const hits = Number(cols[cols.length - 2]);
    expect(calls).toBeGreaterThanOrEqual(100_000);
    expect(hits).toBe(calls - 1); // only the first getpid reaches the server
  });

  it('warns once, naming an unimplemented syscall, and returns ENOSYS', () => {
    const r = compat(['exec', syscallsProg]);
    expect(r.status).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => /unimplemented syscall/.test(l));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings[0]).toMatch(/^compat: warning: unimplemented syscall .* returns ENOSYS$/);
    expect(new Set(warnings).size).toBe(warnings.length);
  });
});

describe('compat sniff', () => {
  it('describes binaries, including ones without a core', () => {
    const r = compat(['sniff', hello, join(root, 'test/fixtures/bin/sniff/hello-mipsel-static'), join(root, 'test/fixtures/bin/sniff/hello-powerpc-static')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${hello}: ELF64 RISC-V little-endian, Linux, static\n`);
    expect(r.stdout).toMatch(/hello-mipsel-static: ELF32 MIPS little-endian, Linux, static\n/);
    expect(r.stdout).toMatch(/hello-powerpc-static: ELF32 PowerPC big-endian, Linux, static — no ISA core for ppc/);
  });

  it('--json gives one document with stable keys', () => {
    const r = compat(['sniff', '--json', join(root, 'test/fixtures/bin/sniff/hello-x86_64-dynamic'), join(dir, 'missing')]);
    const docs = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatchObject({ format: 'ELF', isa: 'x86_64', endian: 'little', wordSize: 64, personality: 'linux', coreAvailable: true });
    expect((docs[0].abi as Record<string, unknown>).interp).toBe('/lib64/ld-linux-x86-64.so.2');
    expect(docs[1]).toMatchObject({ status: 127 });
    expect(r.status).toBe(1);
  });

  it('refuses non-binaries with a reason', () => {
    const text = join(dir, 'readme.txt');
    writeFileSync(text, 'hello\n');
    const r = compat(['sniff', text]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/readme\.txt: .*text/i);
  });
});

describe('plugins', () => {
  it('lists the built-in plugins, loaded by the plugin loader', () => {
    const r = compat(['plugins', 'list', '--json']);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ name: string; provides: Record<string, string[]> }>;
    expect(list.map((p) => p.name)).toEqual(expect.arrayContaining(['isa-riscv64', 'linux']));
  });

  it('loads a third-party plugin folder, whose sniffer then takes part', () => {
    const r = compat(['plugins', 'list', '--plugin', toyPlugin]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/toy-format 1\.0\.0 — sniffer: toyx/);
    const toy = join(dir, 'thing.toy');
    writeFileSync(toy, Buffer.from('TOYX\x02\x00\x00\x00rest', 'latin1'));
    const s = compat(['sniff', '--json', '--plugin', toyPlugin, toy]);
    expect(JSON.parse(s.stdout)[0]).toMatchObject({ format: 'TOYX', personality: 'toy' });
    // without the plugin nobody claims it
    expect(compat(['sniff', toy]).status).toBe(1);
  });

  it('reports a broken plugin in one line', () => {
    const bad = join(dir, 'bad-plugin.js');
    writeFileSync(bad, 'export const manifest = { name: "x" };\n');
    const r = compat(['plugins', 'list', '--plugin', bad]);
    expect(r.status).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr).toMatch(/no valid manifest/);
    expect(readFileSync(bad, 'utf8')).toContain('manifest');
  });
});
