/**
 * A guest thread's worker. It loads the plugins, builds (exec) or adopts
 * (fork, clone) the thread's image, registers with the supervisor and runs
 * the thread until it ends. execve replaces the image in place.
 */
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { fail } from '../../servers/common/errno.js';
import { FilesServer } from '../../servers/files/files-server.js';
import { createCompat, type Compat } from '../container.js';
import { hostAvailable } from '../host/libc.js';
import { createWakePipe } from '../host/wake.js';
import { AddressSpace } from '../memory/address-space.js';
import type { IsaCore, StubSettings, TrapHandler } from '../plugin/contracts.js';
import { ExecError, prepare } from './exec.js';
import { resolveExec } from '../exec/front-end.js';
import { isHostNative, runNative } from './native-exec.js';
import { GuestExit, ReplaceImage } from './exit.js';
import { createLogger, writeAllSync } from './log.js';
import { RpcClient } from './rpc.js';
import { runThread } from './runner.js';
import type { ExecImageRequest } from './services.js';
import { PB, ProcessBlock, TB, ThreadBlock, ThreadState } from './shared.js';
import { SyscallStats } from './stats.js';
import type { ThreadInit } from './supervisor.js';
import { ThreadDone, WorkerKernel } from './worker-kernel.js';
import { jailNetwork, jailPaths, missingInterpreterHint } from '../jail/runtime.js';
import { resetHandlersOnExec } from '../../servers/signals/disposition.js';
import { renumberOnExec } from '../../servers/signals/renumber.js';

/** Set when the supervisor hands this (pre-started) worker its thread. */
let init!: ThreadInit;

interface Running { core: IsaCore; trap: TrapHandler; mem: AddressSpace; files: FilesServer }

async function main(): Promise<void> {
  // load the plugins while waiting for the thread to run
  const settingsAtStart = (workerData as { settings: ThreadInit['settings'] }).settings;
  // load the host C library bindings now: loading them later, while the supervisor is
  // terminating this worker, makes the native FFI layer abort the whole process
  hostAvailable();
  const compatReady = createCompat(settingsAtStart.plugins);
  // tell the supervisor once the modules are loaded: a worker is only ever terminated when idle and ready
  void compatReady.then(() => parentPort!.postMessage({ kind: 'ready' }), () => { /* reported when a thread needs it */ });
  // one guest thread after another: a worker whose thread ended is offered for the next fork/clone
  for (;;) {
    init = await nextInit();
    try {
      await runOne(compatReady);
    } catch (e) {
      if (!(e instanceof ThreadDone)) throw e;
    }
    parentPort!.postMessage({ kind: 'free' });
  }
}

/**
 * Threads the supervisor hands this worker, in order. One listener stays on
 * the port for the worker's whole life, so an init that arrives while the
 * previous thread is still winding down is queued, never lost.
 */
const inits: ThreadInit[] = [];
let waiting: ((i: ThreadInit) => void) | null = null;
parentPort!.on('message', (m: unknown) => {
  if (!m || typeof m !== 'object' || !('start' in m) || !('threadBlock' in m)) return;
  const i = m as ThreadInit;
  if (waiting) { const w = waiting; waiting = null; w(i); } else inits.push(i);
});

function nextInit(): Promise<ThreadInit> {
  const queued = inits.shift();
  if (queued) return Promise.resolve(queued);
  return new Promise<ThreadInit>((resolve) => { waiting = resolve; });
}

async function runOne(compatReady: Promise<Compat>): Promise<void> {
  const block = new ThreadBlock(init.threadBlock);
  const compat = await compatReady;
  // ended (killed) before it could start: the supervisor terminates this worker now that it is loaded
  if (Atomics.load(block.i32, TB.STATE) === ThreadState.Exited) await new Promise<never>(() => {});
  const wake = createWakePipe();
  const rpc = new RpcClient(init.port, block);
  const log = createLogger(init.settings.logLevel as 'warn', init.settings.logFile);
  const stats = init.settings.stats ? new SyscallStats() : null;
  const processBlock = init.processBlock ? new ProcessBlock(init.processBlock) : new ProcessBlock();
  let current: Running | null = null;
  const kernel: WorkerKernel = new WorkerKernel(init.pid, init.tid, block, processBlock, rpc, wake, stats, () => {
    if (!current) return;
    if (stats) stats.instructions += current.core.instret;
    const last = Atomics.sub(kernel.process.i32, PB.THREADS, 1) <= 1;
    current.trap.dispose(last);
    if (last) current.files.closeAll();
  });
  const settings = (files?: FilesServer): StubSettings => ({
    trace: init.settings.trace, stats, log, kernel, files, initPid: init.settings.initPid, jail: init.settings.jail,
  });

  kernel.execImage = (req: ExecImageRequest) => execImage(compat, kernel, settings, req, () => current!, (next) => { current = next; });

  if (init.start.kind === 'exec') {
    const start = init.start;
    try {
      const files = new FilesServer({ paths: jailPaths(init.settings), network: jailNetwork(init.settings), cwd: init.settings.jail?.cwd ?? undefined });
      const { image, trap } = prepare(compat, {
        path: start.path, argv: start.argv, envp: start.envp, settings: settings(files), execPath: rootedName(files, start.path, init.settings),
        readGuestFile: (p) => files.readFileForExec(p), hostPathOf: (p) => hostPathOf(files, p), missingInterpreterHint: (c, i) => missingInterpreterHint(init.settings, c, i),
      });
      current = { core: image.core, trap, mem: image.mem, files };
    } catch (e) {
      if (e instanceof ExecError) {
        writeAllSync(2, `compat: ${e.message}\n`);
        kernel.exitGroup({ kind: 'exit', code: e.status });
      }
      throw e;
    }
  } else {
    const image = init.start.image;
    const factory = compat.cores().find((c) => c.isa === image.isa && c.endian === image.endian);
    const personality = compat.personality(image.personality);
    if (!factory || !personality) throw new Error(`no ${image.isa} core or ${image.personality} personality in this worker`);
    const mem = new AddressSpace(image.memory);
    const core = factory.create(mem, image.slot);
    const files = FilesServer.attach(image.files as Parameters<typeof FilesServer.attach>[0], { paths: jailPaths(init.settings), network: jailNetwork(init.settings) });
    const trap = personality.resume(image, core, mem, settings(files));
    current = { core, trap, mem, files };
  }
  kernel.register({ memory: current.mem.memory, signals: { byName: current.trap.signalNumbers() }, files: current.files.share() });

  for (;;) {
    try {
      runThread(current.core, current.trap, block);
    } catch (e) {
      if (e instanceof ReplaceImage) continue; // execImage already switched `current`
      if (e instanceof GuestExit) {
        if (e.threadOnly) kernel.exitThread(e.reason.kind === 'exit' ? e.reason.code : 0);
        kernel.exitGroup(e.reason);
      }
      throw e;
    }
  }
}

/** execve inside this worker: load the new image first; only when it is ready, leave the old one. */
function execImage(
  compat: Compat, kernel: WorkerKernel, settings: (files?: FilesServer) => StubSettings, req: ExecImageRequest,
  current: () => Running, switchTo: (r: Running) => void,
): { core: IsaCore; trap: TrapHandler } {
  const old = current();
  const oldBlock = kernel.process;
  // the new image's process block: limits kept, handlers reset, ignored signals stay ignored
  const block = oldBlock.fork({ exec: true });
  resetHandlersOnExec(block);
  kernel.setProcess(block);
  if (init.settings.jail?.nativeExec) {
    // a program built for this very host runs natively when the jail allows it
    const out = resolveExec(req.hostPath, req.argv, compat.sniffers(), { forExec: true });
    if (out.ok && isHostNative(out.claim)) {
      kernel.setProcess(oldBlock);
      old.trap.dispose(true);
      req.files.closeOnExec();
      const reason = runNative({
        hostPath: out.path, argv: req.argv, envp: req.envp, cwd: req.files.paths.guestToHost(req.files.getcwd()),
        stdio: [0, 1, 2].map((fd) => { try { return req.files.hostFd(fd); } catch { return 'ignore'; } }) as [number, number, number],
      });
      throw new GuestExit(reason);
    }
  }
  let prepared;
  try {
    prepared = prepare(compat, {
      path: req.hostPath, execPath: req.guestPath, argv: req.argv, envp: req.envp, settings: settings(req.files),
      readGuestFile: (p) => req.files.readFileForExec(p), hostPathOf: (p) => hostPathOf(req.files, p), missingInterpreterHint: (c, i) => missingInterpreterHint(init.settings, c, i),
    });
  } catch (e) {
    kernel.setProcess(oldBlock);
    if (e instanceof ExecError) throw fail(e.errno, e.message);
    throw e;
  }
  // a program of another personality or arch numbers its signals otherwise: the mask, pending and ignored ones keep their names
  renumberOnExec(old.trap.signalNumbers(), prepared.trap.signalNumbers(), kernel.thread, block);
  old.trap.dispose(true);
  req.files.closeOnExec();
  const next = { core: prepared.image.core, trap: prepared.trap, mem: prepared.image.mem, files: req.files };
  switchTo(next);
  kernel.execDone({ memory: next.mem.memory, signals: { byName: next.trap.signalNumbers() }, exe: req.guestPath });
  return next;
}

/** In a root jail, FILE taken from inside the root is named by its guest path (AT_EXECFN, a script's argument). */
function rootedName(files: FilesServer, hostPath: string, s: ThreadInit['settings']): string | undefined {
  const root = s.jail?.root;
  if (!root || root === '/' || !hostPath.startsWith(root + '/')) return undefined;
  return files.paths.hostToGuest(hostPath);
}

/** A guest path's host file, as the process's jail resolves it (never the host's own file when the jail refuses it). */
function hostPathOf(files: FilesServer, guestPath: string): string {
  let r;
  try {
    r = files.resolvePath('cwd', guestPath);
  } catch (e) {
    const errno = (e as { errno?: string }).errno ?? 'ENOENT';
    throw new ExecError(`${guestPath}: bad interpreter: ${errno === 'ELOOP' ? 'Too many levels of symbolic links' : errno}`, errno === 'ENOENT' ? 127 : 126);
  }
  return r.dirHostFd === -100 ? r.hostPath : guestPath;
}

main().catch((e: unknown) => {
  const msg = e instanceof Error ? e.message : String(e);
  // one line, naming where it happened (file:line of compat's code) so the report can be acted on
  const where = e instanceof Error ? /\((?:file:\/\/)?[^()]*\/(dist\/[^()]+)\)/.exec(e.stack ?? '')?.[1] : undefined;
  writeAllSync(2, `compat: internal error in a guest thread: ${msg.split('\n')[0]}${where ? ` (at ${where})` : ''}\n`);
  if (process.env.COMPAT_DEBUG && e instanceof Error && e.stack) writeAllSync(2, e.stack + '\n');
  process.exit(70);
});
