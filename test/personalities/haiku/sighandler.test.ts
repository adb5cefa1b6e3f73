// Haiku signal handlers (personalities/haiku/syscalls/signals.ts, signal-frame.ts): the
// sighandler fixture installs handlers with _kern_sigaction, raises signals with
// _kern_send_signal to its own thread, blocks/unblocks with _kern_set_signal_mask, and
// returns from handlers through the code page's _kern_restore_signal_frame stub.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCompat } from '../../integration/helpers.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures');
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const work = mkdtempSync(path.join(tmpdir(), 'compat-haiku-sig-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(['haiku-root', 'haiku-root-2022'])('Haiku signal handlers, root %s', (root) => {
  it('handler runs with the signal number, execution resumes, masks and SA_RESETHAND hold', async () => {
    const r = await runCompat(['exec', path.join(FIX, root, 'boot/home/bin/sighandler')], { env: ENV, cwd: work, timeoutMs: 60_000 });
    const out = r.stdout.toString();
    expect(out.split('\n').filter((l) => /FAIL/.test(l))).toEqual([]);
    for (const line of [
      'ok execution resumes with registers intact',
      'ok handler got SIGUSR1 (18)',
      'ok handler got sa_userdata',
      'ok sa_mask and the signal itself blocked during the handler',
      'order: 18 18 19',
      'ok blocked USR2 stays pending',
      'ok USR2 delivered on unblock',
      'ok SA_RESETHAND restored SIG_DFL',
      'done',
    ]) expect(out).toContain(line);
    // the last SIGHUP, back at SIG_DFL, ends the team by its default action
    expect(r.signal ?? r.status).toSatisfy((v: unknown) => v === 'SIGHUP' || v === 129);
  });
});
