/**
 * The signals server on its own: routing, pending sets, generation-time
 * rules (SIGKILL, stop/continue cancelling), job control reports and
 * alarms, through a runtime without workers (test/servers/fake-runtime.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PARKED } from '../../../servers/common/runtime.js';
import { bit, recordedCall, world } from '../fake-runtime.js';

const HANDLER = 0x1000n;
const SIG_IGN = 1n;

describe('signals server: where a signal goes', () => {
  it('a process-directed signal goes to a thread that does not block it', () => {
    const w = world();
    const main = w.init();
    w.setHandler(main.pid, 'SIGUSR1', HANDLER);
    const tid = w.processes.allocTid(main.pid);
    w.runtime.startThread(main.pid, tid);
    main.block.mask = bit('SIGUSR1');
    w.signals.kill(main.pid, main.pid, 'SIGUSR1', { code: 'SI_USER' });
    expect(w.runtime.signalsOf(main.tid)).toEqual([]);
    expect(w.runtime.signalsOf(tid)).toEqual(['SIGUSR1']);
    expect(w.runtime.threads.get(tid)!.block.pending).toBe(bit('SIGUSR1'));
    expect(w.runtime.notices[0]!.info).toMatchObject({ code: 'SI_USER', pid: main.pid });
  });

  it('blocked by every thread, it waits in the process set and its siginfo goes to the thread that unblocks it', () => {
    const w = world();
    const main = w.init();
    w.setHandler(main.pid, 'SIGUSR2', HANDLER);
    main.block.mask = bit('SIGUSR2');
    w.signals.kill(main.pid, main.pid, 'SIGUSR2', { code: 'SI_QUEUE', value: 7n });
    expect(w.blocks.get(main.pid)!.procPending).toBe(bit('SIGUSR2'));
    expect(w.runtime.notices).toEqual([]);
    main.block.mask = 0n;
    w.signals.maskChanged(main.pid);
    expect(w.blocks.get(main.pid)!.procPending).toBe(0n);
    expect(w.runtime.notices).toEqual([{ tid: main.tid, name: 'SIGUSR2', info: expect.objectContaining({ code: 'SI_QUEUE', value: 7n }) }]);
  });

  it('an ignored signal (SIG_IGN, or SIGCHLD by default) is dropped when sent; a handled one is queued', () => {
    const w = world();
    const main = w.init();
    w.setHandler(main.pid, 'SIGUSR1', SIG_IGN);
    w.signals.kill(main.pid, main.pid, 'SIGUSR1', {});
    w.signals.kill(main.pid, main.pid, 'SIGCHLD', {});
    expect(w.runtime.notices).toEqual([]);
    w.setHandler(main.pid, 'SIGCHLD', HANDLER);
    w.signals.kill(main.pid, main.pid, 'SIGCHLD', {});
    expect(w.runtime.signalsOf(main.tid)).toEqual(['SIGCHLD']);
  });

  it('kill reaches a process group; no target is ESRCH; signal 0 only checks', () => {
    const w = world();
    const main = w.init();
    const a = w.fork(main);
    const b = w.fork(main);
    w.processes.setpgid(main.pid, a.pid, a.pid);
    w.processes.setpgid(main.pid, b.pid, a.pid);
    for (const t of [main, a, b]) w.setHandler(t.pid, 'SIGTERM', HANDLER);
    w.signals.kill(main.pid, -a.pid, 'SIGTERM', {});
    expect(w.runtime.signalsOf(a.tid)).toEqual(['SIGTERM']);
    expect(w.runtime.signalsOf(b.tid)).toEqual(['SIGTERM']);
    expect(w.runtime.signalsOf(main.tid)).toEqual([]);
    expect(() => w.signals.kill(main.pid, 99999, 'SIGTERM', {})).toThrow('ESRCH');
    expect(() => w.signals.kill(main.pid, a.pid, null, {})).not.toThrow();
    expect(() => w.signals.tgkill(main.pid, main.pid, a.tid, 'SIGTERM', {})).toThrow('ESRCH');
  });

  it("an own pid namespace's init only gets the signals it handles", () => {
    const w = world({ ownPidNamespace: true });
    const init = w.init();
    expect(init.pid).toBe(1);
    const child = w.fork(init);
    w.signals.kill(child.pid, 1, 'SIGTERM', {});
    w.signals.kill(child.pid, 1, 'SIGKILL', {});
    expect(w.runtime.notices).toEqual([]);
    expect(w.initEnded).toEqual([]);
    w.setHandler(1, 'SIGTERM', HANDLER);
    w.signals.kill(child.pid, 1, 'SIGTERM', {});
    expect(w.runtime.signalsOf(1)).toEqual(['SIGTERM']);
  });

  it('SIGKILL ends the process at once and its parent gets SIGCHLD (CLD_KILLED) and a wait report', () => {
    const w = world();
    const main = w.init();
    w.setHandler(main.pid, 'SIGCHLD', HANDLER);
    const child = w.fork(main);
    w.signals.kill(main.pid, child.pid, 'SIGKILL', {});
    expect(w.runtime.terminated).toContain(child.tid);
    expect(w.runtime.notices).toEqual([{ tid: main.tid, name: 'SIGCHLD', info: expect.objectContaining({ code: 'CLD_KILLED', pid: child.pid, signalName: 'SIGKILL' }) }]);
    const req = { pid: -1, exited: true, stopped: false, continued: false, peek: false };
    expect(w.processes.wait(recordedCall(main), req, false)).toMatchObject({ pid: child.pid, event: { kind: 'killed', signal: 'SIGKILL' } });
  });
});

describe('signals server: stop and continue', () => {
  it('a stop parks the thread and reports CLD_STOPPED; SIGCONT releases it and reports CLD_CONTINUED', () => {
    const w = world();
    const main = w.init();
    w.setHandler(main.pid, 'SIGCHLD', HANDLER);
    const child = w.fork(main);
    const stop = recordedCall(child);
    expect(w.signals.jobs.stop(stop, 'SIGTSTP', w.blocks.get(child.pid)!.continued)).toBe(PARKED);
    expect(w.table.get(child.pid)!.stopped).toBe(true);
    const req = { pid: child.pid, exited: false, stopped: true, continued: true, peek: false };
    expect(w.processes.wait(recordedCall(main), req, false)).toMatchObject({ event: { kind: 'stopped', signal: 'SIGTSTP' } });
    expect(stop.answer).toBeUndefined();
    w.signals.kill(main.pid, child.pid, 'SIGCONT', {});
    expect(stop.answer).toEqual({ value: null });
    expect(w.processes.wait(recordedCall(main), req, false)).toMatchObject({ event: { kind: 'continued' } });
    expect(w.runtime.signalsOf(main.tid)).toEqual(['SIGCHLD', 'SIGCHLD']);
    expect(w.runtime.notices.filter((n) => n.tid === main.tid).map((n) => n.info.code)).toEqual(['CLD_STOPPED', 'CLD_CONTINUED']);
  });

  it('a SIGCONT sent after the stop signal was taken cancels the stop', () => {
    const w = world();
    const main = w.init();
    const child = w.fork(main);
    const taken = w.blocks.get(child.pid)!.continued;
    w.signals.kill(main.pid, child.pid, 'SIGCONT', {});
    const stop = recordedCall(child);
    expect(w.signals.jobs.stop(stop, 'SIGSTOP', taken)).toBeNull();
    expect(w.table.get(child.pid)!.stopped).toBe(false);
  });

  it('SIGCONT discards pending stop signals; a stop signal discards a pending SIGCONT', () => {
    const w = world();
    const main = w.init();
    w.setHandler(main.pid, 'SIGCONT', HANDLER);
    main.block.mask = bit('SIGTSTP') | bit('SIGCONT');
    w.signals.kill(main.pid, main.pid, 'SIGTSTP', {});
    expect(w.blocks.get(main.pid)!.procPending).toBe(bit('SIGTSTP'));
    w.signals.kill(main.pid, main.pid, 'SIGCONT', {});
    expect(w.blocks.get(main.pid)!.procPending).toBe(bit('SIGCONT'));
    w.signals.kill(main.pid, main.pid, 'SIGSTOP', {});
    expect(w.blocks.get(main.pid)!.procPending & bit('SIGCONT')).toBe(0n);
  });
});

describe('signals server: alarms', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('an alarm sends SIGALRM when it runs out, again at its interval, and tells what was left', () => {
    vi.useFakeTimers();
    const w = world();
    const main = w.init();
    w.setHandler(main.pid, 'SIGALRM', HANDLER);
    expect(w.signals.timers.set(main.pid, 1000, 500)).toEqual({ valueMs: 0, intervalMs: 0 });
    vi.advanceTimersByTime(400);
    expect(w.signals.timers.get(main.pid)).toEqual({ valueMs: 600, intervalMs: 500 });
    vi.advanceTimersByTime(600);
    expect(w.runtime.signalsOf(main.tid)).toEqual(['SIGALRM']);
    vi.advanceTimersByTime(500);
    expect(w.runtime.signalsOf(main.tid)).toEqual(['SIGALRM', 'SIGALRM']);
    expect(w.signals.timers.set(main.pid, 0, 0)).toEqual({ valueMs: 500, intervalMs: 500 });
    vi.advanceTimersByTime(2000);
    expect(w.runtime.signalsOf(main.tid)).toHaveLength(2);
  });
});
