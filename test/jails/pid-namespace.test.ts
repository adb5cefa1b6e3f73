// "pidNamespace": "own" gives the guest a process list of its own: its first
// process is pid 1 with an invisible parent (0), and — as a Linux pid
// namespace's init — it only takes the signals it has handlers for.
// "shared" (the default jail) numbers guest processes in compat's own pid space.
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
  dir = mkdtempSync(join(tmpdir(), 'compat-pidns-'));
  writeFileSync(join(dir, 'own.json'), JSON.stringify({ personality: 'linux', sysroot: 'auto', environment: { passThrough: 'all' }, pidNamespace: 'own' }));
  ensureDebianBusybox();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const compat = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/compat.js'), ...args], {
  cwd: dir, encoding: 'utf8', timeout: 60_000, env: { PATH: '/usr/bin:/bin' },
});

describe('pidNamespace', () => {
  it('own: pid 1 with parent 0, children numbered after it, init ignores signals it has no handler for', () => {
    const script = 'echo "pid $$ ppid $PPID"; sh -c "echo child \\$\\$ parent \\$PPID; kill -TERM 1"; kill -TERM $$; echo survived; trap "echo got TERM; exit 5" TERM; kill -TERM $$; echo not reached';
    const r = compat(['exec', '--jail', join(dir, 'own.json'), busybox, 'sh', '-c', script]);
    expect(r.stdout).toBe('pid 1 ppid 0\nchild 2 parent 1\nsurvived\ngot TERM\n');
    expect(r.status).toBe(5);
  });

  it('shared (default): compat\'s pid space, the parent is whoever started compat', () => {
    const r = compat(['exec', busybox, 'sh', '-c', 'echo "$$ $PPID"; kill -TERM $$; echo survived']);
    const [pid, ppid] = r.stdout.trim().split(' ').map(Number);
    expect(pid).toBeGreaterThan(1);
    expect(ppid).toBe(process.pid);
    expect(r.signal ?? r.status).toBe(r.signal ? 'SIGTERM' : 143);
  });
});
