// Binaries of different ISAs and personalities side by side: Debian's mipsel
// busybox shell (Linux, MIPS o32) runs a riscv64 Linux program and a riscv64
// Haiku program, and sees their output and exit statuses.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianBusybox } from './helpers.js';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const busybox = join(root, 'test/fixtures/debian/mipsel/busybox');
const haikuHello = join(root, 'test/fixtures/haiku-root/boot/home/bin/hello');
const rvExit = join(root, 'test/fixtures/bin/riscv64/exitcode');

beforeAll(() => {
  ensureDebianBusybox();
});

describe('one process execs another of a different ISA and personality', () => {
  it('mipsel Linux sh → riscv64 Haiku and riscv64 Linux, statuses included', () => {
    const script = `${haikuHello}; echo "haiku status $?"; ${rvExit} 7; echo "riscv64 status $?"; ${rvExit} 0 && echo chained`;
    const r = spawnSync(process.execPath, [join(root, 'bin/compat.js'), 'exec', busybox, 'sh', '-c', script], {
      encoding: 'utf8', timeout: 60_000, env: { PATH: '/usr/bin:/bin' },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Hello from Haiku!\nhaiku status 0\nexiting with 7\nriscv64 status 7\nexiting with 0\nchained\n');
    expect(r.status).toBe(0);
  });

  it('a signal death crosses personalities as the shell reports it', () => {
    const rvSig = join(root, 'test/fixtures/bin/riscv64/exitcode');
    // exitcode "signal 15" kills itself with SIGTERM: the mipsel shell sees 128 + MIPS SIGTERM (15)
    const r = spawnSync(process.execPath, [join(root, 'bin/compat.js'), 'exec', busybox, 'sh', '-c', `${rvSig} signal 15; echo "status $?"`], {
      encoding: 'utf8', timeout: 60_000, env: { PATH: '/usr/bin:/bin' },
    });
    expect(r.stdout.trim().split('\n').pop()).toBe('status 143');
  });
});

describe('processes of different personalities signal each other through one signals server', () => {
  const haikuSignals = join(root, 'test/fixtures/haiku-root/boot/home/bin/signals');
  // the shell starts the Haiku program in the background, waits until it says it waits, then kills it
  const killScript = (mode: string, sig: string): string =>
    `${haikuSignals} ${mode} > out.txt & while ! grep -q waiting out.txt; do sleep 0.1; done; kill -${sig} $!; wait $!; echo "status $?"; cat out.txt`;
  const run = (script: string): ReturnType<typeof spawnSync> & { stdout: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'compat-xsig-'));
    try {
      return spawnSync(process.execPath, [join(root, 'bin/compat.js'), 'exec', busybox, 'sh', '-c', script], {
        encoding: 'utf8', timeout: 90_000, cwd: dir, env: { PATH: '/usr/bin:/bin' },
      }) as ReturnType<typeof spawnSync> & { stdout: string };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('a Linux MIPS shell\'s kill -USR1 (MIPS 16) runs a Haiku handler for SIGUSR1 (Haiku 18)', () => {
    const r = run(killScript('handler', 'USR1'));
    expect(r.stdout).toBe('status 0\nwaiting\ncaught SIGUSR1 as Haiku signal 18\n');
    expect(r.status).toBe(0);
  });

  it('SIGUSR1 ignored by the MIPS shell (16) stays ignored in the Haiku program it starts (18), by name', () => {
    const script = `trap '' USR1; ${haikuSignals} snooze > out.txt & while ! grep -q waiting out.txt; do sleep 0.1; done; ` +
      'kill -USR1 $!; sleep 0.5; kill -TERM $!; wait $!; echo "status $?"';
    expect(run(script).stdout).toBe('status 143\n'); // SIGTERM (128 + 15), not SIGUSR1 (144)
  });

  it('a Haiku team killed by SIGUSR1 is reported to the MIPS shell in MIPS numbers (128 + 16)', () => {
    const r = run(killScript('snooze', 'USR1'));
    expect(r.stdout).toBe('status 144\nwaiting\n');
  });
});
