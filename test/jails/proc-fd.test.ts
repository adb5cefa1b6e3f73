// /proc/self/fd and /dev/fd list the guest's own fds (not the host Node
// process's), and each entry links to what the guest opened.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianBusybox } from '../integration/helpers.js';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const busybox = join(root, 'test/fixtures/debian/mipsel/busybox');

beforeAll(() => {
  ensureDebianBusybox();
});

describe('/proc/self/fd as a directory', () => {
  it('lists exactly the guest fds (the listing fd included) and their targets', () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('.compat-fd-')).length;
    const r = spawnSync(process.execPath, [join(root, 'bin/compat.js'), 'exec', busybox, 'sh', '-c',
      'exec 7</etc/hostname; ls /proc/self/fd | tr "\\n" " "; echo; ls /dev/fd | tr "\\n" " "; echo; readlink /proc/self/fd/7'], {
      encoding: 'utf8', timeout: 60_000, env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(r.status).toBe(0);
    // fd 0 (ignored stdin is /dev/null), 1, 2, 7, plus the directory's own fd (3)
    expect(r.stdout).toBe('0 1 2 3 7 \n0 1 2 3 7 \n/etc/hostname\n');
    // the host folders standing for the listings are gone when the process ends
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('.compat-fd-')).length).toBe(before);
  });
});
