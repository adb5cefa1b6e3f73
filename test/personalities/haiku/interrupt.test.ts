// Interrupted waits as Haiku handles them (personalities/haiku/restart-table.ts, the
// 'sa-resume' rule of servers/signals/restart.ts): the interrupt fixture blocks in
// acquire_sem, acquire_sem_etc, read_port and snooze while another thread sends it
// SIGUSR1. The expected lines follow Haiku's kernel sources (no Haiku kernel runs here):
// _user_acquire_sem(_etc), _user_read_port_etc and _user_snooze_etc wait with
// B_CAN_INTERRUPT and mark themselves restartable (syscall_restart.h), and
// handle_signals keeps the restart only for a handler with SA_RESTART; the timeout
// is absolute from the first entry, so a restarted timed wait keeps its deadline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCompat } from '../../integration/helpers.js';
import { HAIKU_RESTART_TABLE } from '../../../personalities/haiku/restart-table.js';
import { haikuSyscallTable } from '../../../personalities/haiku/syscalls/table.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures');
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const work = mkdtempSync(path.join(tmpdir(), 'compat-haiku-intr-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const EXPECTED = [
  'acquire_sem no SA_RESTART: B_INTERRUPTED signals 1',
  'acquire_sem_etc no SA_RESTART: B_INTERRUPTED signals 1',
  'read_port no SA_RESTART: B_INTERRUPTED signals 1',
  'snooze no SA_RESTART: B_INTERRUPTED signals 1',
  'acquire_sem SA_RESTART: B_INTERRUPTED signals 2',
  'acquire_sem_etc SA_RESTART: B_INTERRUPTED signals 2',
  'read_port SA_RESTART: B_INTERRUPTED signals 2',
  'snooze SA_RESTART: B_INTERRUPTED signals 2',
  'acquire_sem_etc 3 s, SA_RESTART, one signal: B_TIMED_OUT signals 1; deadline kept',
  'done',
  '',
].join('\n');

describe('the Haiku restart table', () => {
  it('names only calls the personality implements', () => {
    expect(Object.keys(HAIKU_RESTART_TABLE).filter((n) => !haikuSyscallTable.has(n))).toEqual([]);
  });
});

describe.each(['haiku-root', 'haiku-root-2022'])('Haiku interrupted waits, root %s', (root) => {
  it.concurrent('end with B_INTERRUPTED without SA_RESTART, run again with it, keep their deadline', async () => {
    const r = await runCompat(['exec', path.join(FIX, root, 'boot/home/bin/interrupt')], { env: ENV, cwd: work, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe(EXPECTED);
    expect(r.status).toBe(0);
  }, 120_000);
});
