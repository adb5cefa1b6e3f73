// A jail with "nativeExec": true lets a guest run programs built for the host
// itself as real host processes (with the guest's stdio, cwd, environment and
// exit status); without it such a program is one more foreign binary: compat
// runs it on its own core for the host's ISA, contained by the jail.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianBusybox } from '../integration/helpers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const busybox = join(root, 'test/fixtures/debian/mipsel/busybox');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'compat-native-'));
  writeFileSync(join(dir, 'native.json'), JSON.stringify({ personality: 'linux', sysroot: 'auto', environment: { passThrough: 'all' }, nativeExec: true }));
  ensureDebianBusybox();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const compat = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/compat.js'), ...args], {
  cwd: dir, encoding: 'utf8', timeout: 60_000, env: { PATH: '/usr/bin:/bin', LANG: 'C' },
});

describe('nativeExec', () => {
  it('runs host programs natively from a guest shell when the jail allows it', () => {
    const r = compat(['exec', '--jail', join(dir, 'native.json'), busybox, 'sh', '-c',
      '/bin/echo from the host; /bin/sh -c "exit 7"; echo "status $?"; echo piped | /usr/bin/tr a-z A-Z; /bin/pwd']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`from the host\nstatus 7\nPIPED\n${dir}\n`);
    expect(r.status).toBe(0);
  });

  it('by default a host program is no exception: compat runs it on its own core, inside the jail (the jail\'s uid, not the host\'s)', () => {
    writeFileSync(join(dir, 'ident.json'), JSON.stringify({ personality: 'linux', sysroot: 'auto', identity: { uid: 4242 } }));
    const r = compat(['exec', '--jail', join(dir, 'ident.json'), busybox, 'sh', '-c', 'exec /usr/bin/id -u']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('4242\n');
    expect(r.status).toBe(0);
  });
});
