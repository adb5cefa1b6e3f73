/**
 * The processes server on its own: fork, vfork, exit, reaping, parked
 * waits, subreapers and the process limit, through a runtime without
 * workers (test/servers/fake-runtime.ts).
 */
import { describe, expect, it } from 'vitest';
import { PARKED } from '../../../servers/common/runtime.js';
import { ProcessBlock } from '../../../src/kernel/shared.js';
import { recordedCall, world } from '../fake-runtime.js';

const ANY_EXIT = { pid: -1, exited: true, stopped: false, continued: false, peek: false };

describe('processes server', () => {
  it('fork makes a child of the caller; its exit is SIGCHLD (CLD_EXITED) and a wait result, then it is gone', () => {
    const w = world();
    const main = w.init();
    w.setHandler(main.pid, 'SIGCHLD', 0x1000n);
    const child = w.fork(main);
    expect(w.processes.ppid(child.pid)).toBe(main.pid);
    expect(w.processes.getpgid(child.pid, 0)).toBe(main.pid);
    expect(w.processes.wait(recordedCall(main), ANY_EXIT, false)).toBeNull();
    w.processes.exitThread(child, 3);
    expect(w.runtime.notices).toEqual([{ tid: main.tid, name: 'SIGCHLD', info: expect.objectContaining({ code: 'CLD_EXITED', pid: child.pid, status: 3 }) }]);
    expect(w.processes.wait(recordedCall(main), ANY_EXIT, false)).toMatchObject({ pid: child.pid, event: { kind: 'exited', code: 3 } });
    expect(() => w.processes.wait(recordedCall(main), ANY_EXIT, false)).toThrow('ECHILD');
  });

  it('a blocking wait parks until a child ends; a signal the thread takes ends it with EINTR', () => {
    const w = world();
    const main = w.init();
    w.setHandler(main.pid, 'SIGUSR1', 0x1000n);
    const child = w.fork(main);
    const first = recordedCall(main);
    expect(w.processes.wait(first, ANY_EXIT, true)).toBe(PARKED);
    w.signals.kill(child.pid, main.pid, 'SIGUSR1', {});
    expect(first.answer).toEqual({ errno: 'EINTR' });
    // with the signal still pending, a new wait is interrupted at once
    expect(() => w.processes.wait(recordedCall(main), ANY_EXIT, true)).toThrow('EINTR');
    main.block.clearPending(main.block.pending);
    const second = recordedCall(main);
    expect(w.processes.wait(second, ANY_EXIT, true)).toBe(PARKED);
    w.processes.exitGroup(child, { kind: 'exited', code: 0 });
    expect(second.answer).toMatchObject({ value: { pid: child.pid, event: { kind: 'exited', code: 0 } } });
  });

  it('vfork: the parent gets the child pid only once the child has exec\'d', () => {
    const w = world();
    const main = w.init();
    const call = recordedCall(main);
    const block = new ProcessBlock();
    const image = { memory: null, regions: null, files: null, processBlock: block.sab, slot: 0, isa: 'riscv64', endian: 'little', personality: 'linux', state: null };
    expect(w.processes.spawnProcess(call, image as never, true, block)).toBe(PARKED);
    expect(call.answer).toBeUndefined();
    const [childPid] = [...w.runtime.threads.keys()].filter((t) => t !== main.tid);
    w.processes.execDone(w.runtime.threads.get(childPid!)!, null as never, { byName: {} });
    expect(call.answer).toEqual({ value: childPid });
  });

  it('orphans go to the nearest subreaper, which then waits for them', () => {
    const w = world();
    const main = w.init();
    w.processes.setSubreaper(main.pid, true);
    const middle = w.fork(main);
    const grandchild = w.fork(middle);
    w.processes.exitThread(middle, 0);
    expect(w.processes.ppid(grandchild.pid)).toBe(main.pid);
    w.processes.exitThread(grandchild, 5);
    const seen = [w.processes.wait(recordedCall(main), ANY_EXIT, false), w.processes.wait(recordedCall(main), ANY_EXIT, false)];
    expect(seen.map((r) => r && r.pid).sort()).toEqual([middle.pid, grandchild.pid].sort());
  });

  it('the end of a process ends its other threads; the end of the first one ends the run', () => {
    const w = world();
    const main = w.init();
    const tid = w.processes.allocTid(main.pid);
    w.processes.spawnThread(main.pid, tid, null as never);
    w.processes.exitGroup(main, { kind: 'killed', signal: 'SIGSEGV', core: true });
    expect(w.runtime.terminated).toEqual([tid]);
    expect(w.initEnded).toEqual([{ kind: 'killed', signal: 'SIGSEGV', core: true }]);
  });

  it('the jail process limit makes fork fail with EAGAIN', () => {
    const w = world({ processLimit: 2 });
    const main = w.init();
    w.fork(main);
    expect(() => w.fork(main)).toThrow('EAGAIN');
  });

  it('sessions and groups: setsid makes a new session; getsid/getpgid of a missing process is ESRCH', () => {
    const w = world();
    const main = w.init();
    const child = w.fork(main);
    expect(w.processes.setsid(child.pid)).toBe(child.pid);
    expect(w.processes.getsid(main.pid, child.pid)).toBe(child.pid);
    expect(w.processes.getpgid(main.pid, child.pid)).toBe(child.pid);
    expect(() => w.processes.getsid(main.pid, 99999)).toThrow('ESRCH');
  });
});
