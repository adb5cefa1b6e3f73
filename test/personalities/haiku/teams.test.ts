// Haiku teams: _kern_fork, _kern_wait_for_child, _kern_exec and _kern_load_image, end to end
// (test/fixtures/src/haiku/fork.c linked against compat's own libroot.so). The exec'd /
// loaded program is a Linux riscv64 one: a Haiku program runs a Linux program and gets its status.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCompat } from '../../integration/helpers.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures');
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const EXITCODE = path.join(FIX, 'bin/riscv64/exitcode');
const run = (args: string[]) => runCompat(['exec', ...args], { env: ENV, timeoutMs: 60_000 });

const FORKED = 'fork ok\nchild: own team ok\nchild: thread id ok\nwaited ok\nexited ok\nchild status 7\nparent global 41\nno child 1\n';

describe.each(['haiku-root', 'haiku-root-2022'])('Haiku teams, root %s', (root) => {
  const prog = path.join(FIX, root, 'boot/home/bin/fork');

  it('fork: the child is a team of its own with a copy of memory; wait_for_child gets its status', async () => {
    const r = await run([prog]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe(FORKED);
    expect(r.status).toBe(0);
  });

  it('fork + _kern_exec of a Linux riscv64 program: wait_for_child gets its status 9', async () => {
    const r = await run([prog, 'exec', EXITCODE, '9']);
    expect(r.stdout.toString()).toBe(`${FORKED}exiting with 9\nother waited ok\nother status 9\nmissing 1\n`);
    expect(r.status).toBe(0);
  });

  it('fork + _kern_exec of a Haiku program; a missing program is B_ENTRY_NOT_FOUND to the caller', async () => {
    const hello = await run([prog, 'exec', path.join(FIX, root, 'boot/home/bin/hello')]);
    expect(hello.stdout.toString()).toBe(`${FORKED}Hello from Haiku!\nother waited ok\nother status 0\nmissing 1\n`);
    const missing = await run([prog, 'exec', '/nonexistent/program']);
    expect(missing.stdout.toString()).toBe(`${FORKED}exec failed ${-0x80000000 + 0x6003}\nother waited ok\nother status 99\nmissing 1\n`);
    expect(missing.status).toBe(0);
  });

  it('_kern_load_image of a Linux riscv64 program: suspended until resume_thread / wait_for_thread; its status 9 comes back; a missing program is ENOENT', async () => {
    const r = await run([prog, 'load', EXITCODE, '9']);
    expect(r.stdout.toString()).toBe(`${FORKED}load_image ok\nexiting with 9\nwait_for_thread ok\nthread return 9\n`
      + 'suspended ok\nexiting with 9\nother waited ok\nother status 9\nmissing 1\n');
    expect(r.status).toBe(0);
  });

  it('a load_image team never resumed never runs, and does not keep compat from ending', async () => {
    const r = await run([prog, 'orphan', EXITCODE, '9']);
    expect(r.stdout.toString()).toBe(`${FORKED}left suspended\n`);
    expect(r.status).toBe(3);
  });
});
