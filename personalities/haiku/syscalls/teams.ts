/**
 * Teams and threads: the current team, team/thread info, exit, and threads
 * created through the runtime's thread path (a worker per thread, started
 * suspended as spawn_thread does, resumed by resume_thread).
 */
import { existsSync } from 'node:fs';
import { isServerError } from '../../../servers/common/errno.js';
import { writeAllSync } from '../../../src/kernel/log.js';
import { GuestExit, ReplaceImage } from '../../../src/kernel/exit.js';
import type { ChildEvent, WaitRequest } from '../../../src/kernel/services.js';
import { B_BAD_TEAM_ID, B_BAD_THREAD_ID, B_BAD_VALUE, B_ENTRY_NOT_FOUND, B_INTERRUPTED, B_NAME_NOT_FOUND, B_OK, B_WOULD_BLOCK } from '../abi/errors.js';
import { HAIKU_SIGNALS, TEAM_INFO_SIZE, THREAD_INFO_SIZE, THREAD_STATE } from '../abi/system.js';
import { TS } from '../servers/threads.js';
import { cstr, i64, int, NO_RESULT, ptr, size, type HaikuSyscallGroup, type HaikuThread, type PendingExec } from './types.js';
import { restartable } from './restartable.js';

function teamInfo(t: HaikuThread): Uint8Array {
  const b = new Uint8Array(TEAM_INFO_SIZE);
  const v = new DataView(b.buffer);
  const pid = t.kernel.pid;
  v.setInt32(0, pid, true);
  v.setInt32(4, Math.max(1, t.team.threads.used), true);
  v.setInt32(8, 1, true);
  v.setInt32(12, t.team.areas.all().length, true);
  v.setInt32(16, -1, true);
  v.setInt32(20, -1, true);
  const argv = t.team.handle.argv;
  v.setInt32(24, argv.length, true);
  b.set(Buffer.from(argv.join(' '), 'latin1').subarray(0, 63), 28);
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  v.setUint32(92, process.geteuid?.() ?? uid, true);
  v.setUint32(96, process.getegid?.() ?? gid, true);
  v.setUint32(100, uid, true);
  v.setUint32(104, gid, true);
  v.setInt32(108, t.kernel.getpgid(0), true);
  v.setInt32(112, t.kernel.getsid(0), true);
  v.setInt32(116, t.kernel.ppid(), true);
  b.set(Buffer.from(t.team.handle.execPath.split('/').pop() ?? '', 'latin1').subarray(0, 31), 120);
  return b;
}

function threadInfo(t: HaikuThread, tid: number): Uint8Array | null {
  const info = t.team.threads.info(tid);
  if (!info) return null;
  const b = new Uint8Array(THREAD_INFO_SIZE);
  const v = new DataView(b.buffer);
  v.setInt32(0, tid, true);
  v.setInt32(4, t.kernel.pid, true);
  b.set(Buffer.from(info.name, 'latin1').subarray(0, 31), 8);
  v.setInt32(40, info.state === TS.SUSPENDED ? THREAD_STATE.SUSPENDED : tid === t.tid ? THREAD_STATE.RUNNING : THREAD_STATE.READY, true);
  v.setInt32(44, info.priority, true);
  v.setInt32(48, -1, true);
  if (tid === t.tid) {
    const u = process.cpuUsage();
    v.setBigInt64(56, BigInt(u.user), true);
    v.setBigInt64(64, BigInt(u.system), true);
  }
  v.setBigUint64(72, BigInt(info.stack[0]), true);
  v.setBigUint64(80, BigInt(info.stack[1]), true);
  return b;
}

function waitForThread(t: HaikuThread, tid: number, retAt: number): number {
  if (tid === t.tid) return B_BAD_THREAD_ID;
  const loaded = waitLoaded(t, tid, retAt);
  if (loaded !== null) return loaded;
  const r = t.team.threads.waitExit(tid, () => t.interruptPoint());
  if (r.status !== B_OK) return r.status;
  if (retAt) t.mem.writeU32(retAt, r.value);
  return B_OK;
}

// ---- fork, exec, load_image, wait_for_child ------------------------------------------

/** Teams made by load_image in this worker, by id (= their main thread's id), with their start gate. */
const loadedTeams = new Map<number, Int32Array>();

/** resume_thread of a load_image team's main thread: it starts. */
function startLoaded(id: number): boolean {
  const gate = loadedTeams.get(id);
  if (!gate) return false;
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  return true;
}

/**
 * wait_for_thread on a load_image team's main thread: starts it if suspended (as
 * Haiku does) and waits for the team; its exit status is the thread's return value.
 */
function waitLoaded(t: HaikuThread, id: number, retAt: number): number | null {
  if (!startLoaded(id)) return null;
  const r = t.kernel.wait({ pid: id, exited: true, stopped: false, continued: false, peek: false }, true);
  loadedTeams.delete(id);
  if (!r) return B_BAD_THREAD_ID;
  if (r.event.kind !== 'exited') return B_INTERRUPTED;
  if (retAt) t.mem.writeU32(retAt, r.event.code);
  return B_OK;
}

/**
 * Haiku's flat argument buffer (`__flatten_process_args`): argCount pointers, NULL,
 * envCount pointers, NULL, then the strings, all inside the buffer. Pointers
 * outside it are B_BAD_VALUE.
 */
function readFlatArgs(t: HaikuThread, at: number, bytes: number, argCount: number, envCount: number): { argv: string[]; envp: string[] } | number {
  if (!at || argCount < 1 || envCount < 0 || bytes <= 0 || bytes > 128 * 1024 || (argCount + envCount + 2) * 8 > bytes) return B_BAD_VALUE;
  const end = at + bytes;
  const read = (i: number): string | null => {
    const p = Number(t.mem.readU64(at + i * 8));
    if (p < at || p >= end) return null;
    const s = t.mem.readCString(p, end - p);
    return s.terminated ? Buffer.from(s.bytes).toString('latin1') : null;
  };
  const argv: string[] = [];
  const envp: string[] = [];
  for (let i = 0; i < argCount; i++) { const s = read(i); if (s === null) return B_BAD_VALUE; argv.push(s); }
  for (let i = 0; i < envCount; i++) { const s = read(argCount + 1 + i); if (s === null) return B_BAD_VALUE; envp.push(s); }
  return { argv, envp };
}

/** The host file a guest path names, through the team's files server (so a jail applies). Throws ENOENT etc. */
function hostPathOf(t: HaikuThread, guestPath: string): string {
  return t.files.resolvePath('cwd', guestPath).hostPath;
}

/** Replaces the calling team's image (any ISA, any personality: the front-end decides). */
export function execTeamImage(t: HaikuThread, p: PendingExec): never {
  let next;
  try {
    next = t.kernel.execImage({ hostPath: p.hostPath, guestPath: p.guestPath, argv: p.argv, envp: p.envp, files: t.files, sigmask: 0n, actions: t.kernel.process });
  } catch (e) {
    if (!isServerError(e)) throw e;
    // only a load_image child gets here (exec returns the error): the team it was going to be ends
    writeAllSync(2, `compat: ${p.guestPath}: cannot run (${e.errno})\n`);
    throw new GuestExit({ kind: 'exit', code: 127 });
  }
  throw new ReplaceImage(next.core, next.trap);
}

function exec(t: HaikuThread, a: readonly bigint[]): typeof NO_RESULT | number {
  const pathAt = ptr(a[0]);
  if (!pathAt) return B_BAD_VALUE;
  const guestPath = cstr(t, pathAt, 1024);
  const args = readFlatArgs(t, ptr(a[1]), size(a[2]), int(a[3]), int(a[4]));
  if (typeof args === 'number') return args;
  const hostPath = hostPathOf(t, guestPath);
  const next = t.kernel.execImage({ hostPath, guestPath, argv: args.argv, envp: args.envp, files: t.files, sigmask: 0n, actions: t.kernel.process });
  throw new ReplaceImage(next.core, next.trap);
}

function loadImage(t: HaikuThread, a: readonly bigint[]): number {
  const args = readFlatArgs(t, ptr(a[0]), size(a[1]), int(a[2]), int(a[3]));
  if (typeof args === 'number') return args;
  const guestPath = args.argv[0];
  const hostPath = hostPathOf(t, guestPath);
  // the parent learns at once that there is no such program (the child's exec could only end it with 127)
  if (!existsSync(hostPath)) return B_ENTRY_NOT_FOUND;
  const gate = new SharedArrayBuffer(4);
  const id = t.forkTeam({ hostPath, guestPath, argv: args.argv, envp: args.envp, gate });
  loadedTeams.set(id, new Int32Array(gate));
  return id;
}

// <sys/wait.h> flags and siginfo_t codes (LP64 siginfo_t: signo@0 code@4 errno@8 pid@12 uid@16 addr@24 status@32 band@40 value@48)
const WNOHANG = 0x01;
const WUNTRACED = 0x02;
const WCONTINUED = 0x04;
const WEXITED = 0x08;
const WSTOPPED = 0x10;
const WNOWAIT = 0x20;
const CLD = { exited: 60, killed: 61, dumped: 62, stopped: 64, continued: 65 } as const;
const SIGINFO_SIZE = 56;

function haikuSignal(name: string): number {
  return (HAIKU_SIGNALS as Record<string, number>)[name] ?? 0;
}

function waitForChild(t: HaikuThread, a: readonly bigint[]): number {
  const child = int(a[0]);
  const flags = int(a[1]);
  const infoAt = ptr(a[2]);
  const usageAt = ptr(a[3]);
  const others = WUNTRACED | WSTOPPED | WCONTINUED;
  const req: WaitRequest = {
    pid: child,
    exited: (flags & WEXITED) !== 0 || (flags & others) === 0,
    stopped: (flags & (WUNTRACED | WSTOPPED)) !== 0,
    continued: (flags & WCONTINUED) !== 0,
    peek: (flags & WNOWAIT) !== 0,
  };
  const r = t.kernel.wait(req, (flags & WNOHANG) === 0);
  if (!r) return B_WOULD_BLOCK;
  const ev: ChildEvent = r.event;
  if (infoAt) {
    const b = new Uint8Array(SIGINFO_SIZE);
    const v = new DataView(b.buffer);
    const code = ev.kind === 'exited' ? CLD.exited : ev.kind === 'killed' ? (ev.core ? CLD.dumped : CLD.killed) : ev.kind === 'stopped' ? CLD.stopped : CLD.continued;
    const status = ev.kind === 'exited' ? ev.code : ev.kind === 'continued' ? haikuSignal('SIGCONT') : haikuSignal(ev.signal);
    v.setInt32(0, haikuSignal('SIGCHLD'), true);
    v.setInt32(4, code, true);
    v.setInt32(12, r.pid, true);
    v.setUint32(16, process.getuid?.() ?? 0, true);
    v.setInt32(32, status, true);
    t.mem.writeBytes(infoAt, b);
  }
  if (usageAt) {
    // team_usage_info: bigtime_t user_time, kernel_time (µs)
    const v = new DataView(new ArrayBuffer(16));
    v.setBigInt64(0, BigInt(Math.round(r.utime)), true);
    v.setBigInt64(8, BigInt(Math.round(r.stime)), true);
    t.mem.writeBytes(usageAt, new Uint8Array(v.buffer));
  }
  return r.pid;
}

export const teamSyscalls: HaikuSyscallGroup = {
  fork: { args: [], fn: (t) => t.forkTeam() },
  exec: { args: ['str', 'ptr', 'int', 'int', 'int', 'hex'], fn: exec },
  load_image: { args: ['ptr', 'int', 'int', 'int', 'int', 'hex', 'int', 'hex'], fn: loadImage },
  wait_for_child: { args: ['int', 'hex', 'ptr', 'ptr'], fn: waitForChild },
  get_current_team: { args: [], fn: (t) => t.kernel.pid, cacheable: true },
  get_team_info: {
    args: ['int', 'ptr'],
    fn: (t, a) => {
      const id = int(a[0]);
      if (id !== 0 && id !== t.kernel.pid) return B_BAD_TEAM_ID;
      t.mem.writeBytes(ptr(a[1]), teamInfo(t));
      return B_OK;
    },
  },
  exit_team: { args: ['int'], fn: (_t, a) => { throw new GuestExit({ kind: 'exit', code: int(a[0]) & 0xff }); } },
  find_thread: {
    args: ['str'],
    fn: (t, a) => {
      if (ptr(a[0]) === 0) return t.tid;
      return t.team.threads.findByName(cstr(t, ptr(a[0]), 32)) ?? B_NAME_NOT_FOUND;
    },
  },
  get_thread_info: {
    args: ['int', 'ptr'],
    fn: (t, a) => {
      const b = threadInfo(t, int(a[0]));
      if (!b) return B_BAD_VALUE;
      t.mem.writeBytes(ptr(a[1]), b);
      return B_OK;
    },
  },
  spawn_thread: {
    args: ['ptr'],
    fn: (t, a) => {
      const at = ptr(a[0]);
      const m = t.mem;
      // thread_creation_attributes: entry@0 name@8 priority@16 args1@24 args2@32 stack_address@40 stack_size@48 guard_size@56 pthread@64 flags@72
      const namePtr = Number(m.readU64(at + 8));
      return t.spawnThread({
        entry: Number(m.readU64(at)),
        name: namePtr ? cstr(t, namePtr, 32) : 'user thread',
        priority: m.readI32(at + 16),
        args1: m.readU64(at + 24),
        args2: m.readU64(at + 32),
        stackAddress: Number(m.readU64(at + 40)),
        stackSize: Number(m.readU64(at + 48)),
      });
    },
  },
  resume_thread: {
    args: ['int'],
    fn: (t, a) => (startLoaded(int(a[0])) ? B_OK : t.team.threads.resume(int(a[0]))),
  },
  wait_for_thread: { args: ['int', 'ptr'], fn: (t, a) => waitForThread(t, int(a[0]), ptr(a[1])) },
  wait_for_thread_etc: { args: ['int', 'hex', 'i64', 'ptr'], fn: (t, a) => waitForThread(t, int(a[0]), ptr(a[3])) },
  exit_thread: {
    args: ['int'],
    fn: (t, a) => {
      t.team.threads.exited(t.tid, int(a[0]));
      throw new GuestExit({ kind: 'exit', code: int(a[0]) & 0xff }, { threadOnly: true });
    },
  },
  rename_thread: { args: ['int', 'str'], fn: (t, a) => (t.team.threads.info(int(a[0])) ? B_OK : B_BAD_THREAD_ID) },
  set_thread_priority: {
    args: ['int', 'int'],
    fn: (t, a) => { const i = t.team.threads.info(int(a[0])); return i ? i.priority : B_BAD_THREAD_ID; },
  },
  thread_yield: { args: [], fn: () => B_OK },
};

/** Image ids handed out by register_image (per thread's worker; the program is image 1, libraries follow). */
let nextImageId = 100;

/** What a runtime_loader tells the kernel about the images it loads: accepted and numbered, nothing more yet. */
export const imageSyscalls: HaikuSyscallGroup = {
  register_image: { args: ['ptr', 'int'], fn: () => nextImageId++ },
  unregister_image: { args: ['int'], fn: (_t, a) => (int(a[0]) > 0 ? B_OK : B_BAD_VALUE) },
  image_relocated: { args: ['int'], fn: (_t, a) => (int(a[0]) > 0 ? B_OK : B_BAD_VALUE) },
  loading_app_failed: {
    args: ['int'],
    fn: (t, a) => {
      t.warnOnce('loading_app_failed', `the guest's runtime_loader could not load ${t.team.handle.execPath} (status ${int(a[0])})`);
      throw new GuestExit({ kind: 'exit', code: 126 });
    },
  },
};

export const syncSyscalls: HaikuSyscallGroup = {
  create_sem: { args: ['int', 'str'], fn: (t, a) => t.team.sems.createSem(int(a[0]), ptr(a[1]) ? cstr(t, ptr(a[1]), 32) : '') },
  delete_sem: { args: ['int'], fn: (t, a) => t.team.sems.deleteSem(int(a[0])) },
  acquire_sem: { args: ['int'], fn: (t, a) => restartable(t, 'acquire_sem', 0, 0n, (f, to) => t.team.sems.acquire(int(a[0]), 1, f, to, () => t.interruptPoint())) },
  acquire_sem_etc: {
    args: ['int', 'int', 'hex', 'i64'],
    fn: (t, a) => restartable(t, 'acquire_sem_etc', int(a[2]), i64(a[3]), (f, to) => t.team.sems.acquire(int(a[0]), int(a[1]), f, to, () => t.interruptPoint())),
  },
  release_sem: { args: ['int'], fn: (t, a) => t.team.sems.release(int(a[0]), 1) },
  release_sem_etc: { args: ['int', 'int', 'hex'], fn: (t, a) => t.team.sems.release(int(a[0]), int(a[1])) },
  get_sem_count: {
    args: ['int', 'ptr'],
    fn: (t, a) => {
      const c = t.team.sems.count(int(a[0]));
      if (c === null) return -0x80000000 + 0x1000; // B_BAD_SEM_ID
      t.mem.writeU32(ptr(a[1]), c);
      return B_OK;
    },
  },
  create_port: { args: ['int', 'str'], fn: (t, a) => t.team.ports.createPort(int(a[0]), ptr(a[1]) ? cstr(t, ptr(a[1]), 32) : '') },
  delete_port: { args: ['int'], fn: (t, a) => t.team.ports.deletePort(int(a[0])) },
  close_port: { args: ['int'], fn: (t, a) => t.team.ports.closePort(int(a[0])) },
  find_port: { args: ['str'], fn: (t, a) => t.team.ports.findPort(cstr(t, ptr(a[0]), 32)) },
  port_count: { args: ['int'], fn: (t, a) => t.team.ports.count(int(a[0])) },
  write_port_etc: {
    args: ['int', 'int', 'buf', 'int', 'hex', 'i64'],
    fn: (t, a) => {
      const n = size(a[3]);
      const data = n ? t.mem.readBytes(ptr(a[2]), n) : new Uint8Array(0);
      return restartable(t, 'write_port_etc', int(a[4]), i64(a[5]), (f, to) => t.team.ports.write(int(a[0]), int(a[1]), data, f, to, () => t.interruptPoint()));
    },
  },
  read_port_etc: {
    args: ['int', 'ptr', 'ptr', 'int', 'hex', 'i64'],
    fn: (t, a) => {
      const codeAt = ptr(a[1]);
      const buf = ptr(a[2]);
      const cap = size(a[3]);
      let msg: { code: number; bytes: Uint8Array } | null = null;
      const r = restartable(t, 'read_port_etc', int(a[4]), i64(a[5]), (f, to) => t.team.ports.read(int(a[0]), f, to, (code, bytes) => { msg = { code, bytes: bytes.slice() }; }, () => t.interruptPoint()));
      if (r < 0 || !msg) return r;
      const m = msg as { code: number; bytes: Uint8Array };
      if (codeAt) t.mem.writeU32(codeAt, m.code);
      if (cap > 0 && m.bytes.length) t.mem.writeBytes(buf, m.bytes.subarray(0, Math.min(cap, m.bytes.length)));
      return Math.min(cap, m.bytes.length);
    },
  },
  port_buffer_size_etc: {
    args: ['int', 'hex', 'i64'],
    fn: (t, a) => restartable(t, 'port_buffer_size_etc', int(a[1]), i64(a[2]), (f, to) => t.team.ports.read(int(a[0]), f, to, null, () => t.interruptPoint())),
  },
};
