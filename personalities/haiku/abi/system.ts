/**
 * Haiku's system/team/thread structs on riscv64 (LP64; reference §3.5 and
 * OS.h) and related constants.
 */
export const B_HAIKU_ABI_GCC_4 = 0x00040000;

/** system_info, 0x1d0 bytes (x86_64 and riscv64). */
export const SYSTEM_INFO_SIZE = 0x1d0;
export interface SystemInfo {
  bootTime: bigint; cpuCount: number; maxPages: bigint; usedPages: bigint; cachedPages: bigint; freeMemory: bigint;
  neededMemory: bigint; pageFaults: number; maxSems: number; usedSems: number; maxPorts: number; usedPorts: number;
  maxThreads: number; usedThreads: number; maxTeams: number; usedTeams: number; kernelName: string;
  buildDate: string; buildTime: string; kernelVersion: bigint; abi: number;
}
export function encodeSystemInfo(s: SystemInfo): Uint8Array {
  const b = new Uint8Array(SYSTEM_INFO_SIZE);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, s.bootTime, true);
  v.setUint32(8, s.cpuCount, true);
  const u64s = [s.maxPages, s.usedPages, s.cachedPages, 0n, 0n, s.neededMemory, s.freeMemory, 0n, 0n];
  u64s.forEach((x, i) => v.setBigUint64(16 + i * 8, x, true));
  const u32s = [s.pageFaults, s.maxSems, s.usedSems, s.maxPorts, s.usedPorts, s.maxThreads, s.usedThreads, s.maxTeams, s.usedTeams];
  u32s.forEach((x, i) => v.setUint32(88 + i * 4, x >>> 0, true));
  b.set(Buffer.from(s.kernelName, 'latin1').subarray(0, 255), 124);
  b.set(Buffer.from(s.buildDate, 'latin1').subarray(0, 31), 380);
  b.set(Buffer.from(s.buildTime, 'latin1').subarray(0, 31), 412);
  v.setBigInt64(448, s.kernelVersion, true);
  v.setUint32(456, s.abi, true);
  return b;
}

/** cpu_info: active_time@0 (bigtime_t), enabled@8 (bool), current_frequency@16 (uint64); 24 bytes. */
export const CPU_INFO_SIZE = 24;

/** thread_info: thread@0 team@4 name[32]@8 state@40 priority@44 sem@48 user_time@56 kernel_time@64 stack_base@72 stack_end@80; 88 bytes. */
export const THREAD_INFO_SIZE = 88;
export const THREAD_STATE = { RUNNING: 1, READY: 2, RECEIVING: 3, ASLEEP: 4, SUSPENDED: 5, WAITING: 6 } as const;

/**
 * team_info: team@0 thread_count@4 image_count@8 area_count@12 debugger_nub_thread@16 debugger_nub_port@20
 * argc@24 args[64]@28 uid@92 gid@96 real_uid@100 real_gid@104 group_id@108 session_id@112 parent@116
 * name[32]@120 start_time@152; 160 bytes.
 */
export const TEAM_INFO_SIZE = 160;

/** Haiku's RLIMIT_* numbers → the process block's (Linux generic) resource numbers. */
export const RLIMIT_TO_BLOCK: Readonly<Record<number, number>> = { 0: 4, 1: 0, 2: 2, 3: 1, 4: 7, 5: 3, 6: 9 };
export const RLIMIT_NOFILE = 4;

/** Haiku clock ids (time.h). */
export const CLOCK = { MONOTONIC: 0, REALTIME: -1, PROCESS_CPUTIME: -2, THREAD_CPUTIME: -3 } as const;

/** Haiku signal numbers (signal.h). */
export const HAIKU_SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGCHLD: 5, SIGABRT: 6, SIGPIPE: 7, SIGFPE: 8, SIGKILL: 9,
  SIGSTOP: 10, SIGSEGV: 11, SIGCONT: 12, SIGTSTP: 13, SIGALRM: 14, SIGTERM: 15, SIGTTIN: 16, SIGTTOU: 17,
  SIGUSR1: 18, SIGUSR2: 19, SIGWINCH: 20, SIGKILLTHR: 21, SIGTRAP: 22, SIGPOLL: 23, SIGPROF: 24, SIGSYS: 25,
  SIGURG: 26, SIGVTALRM: 27, SIGXCPU: 28, SIGXFSZ: 29, SIGBUS: 30,
};
