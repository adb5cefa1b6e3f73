/**
 * Which Linux calls a signal can interrupt, and what the kernel does with
 * each one afterwards: every blocking call compat implements, by kernel name,
 * with the internal code its kernel implementation returns when a signal
 * arrives (the rules themselves: servers/signals/restart.ts).
 *
 * Sources: signal(7), "Interruption of system calls and library functions by
 * signal handlers" and "... by stop signals"; the kernel's returns of
 * -ERESTARTSYS (fs/pipe.c pipe_read/pipe_write, drivers/tty/n_tty.c
 * n_tty_read, kernel/exit.c do_wait, fs/locks.c, fs/fifo open in fs/pipe.c
 * fifo_open, kernel/futex/waitwake.c futex_wait without a timeout),
 * -ERESTARTNOHAND (fs/select.c poll_select_finish for select/pselect6/ppoll,
 * kernel/signal.c sigsuspend and sys_pause, kernel/time/hrtimer.c
 * do_nanosleep for TIMER_ABSTIME), -ERESTART_RESTARTBLOCK (fs/select.c
 * do_sys_poll's do_restart_poll, kernel/time/hrtimer.c hrtimer_nanosleep,
 * futex_wait with a timeout's futex_wait_restart), -ERESTARTNOINTR
 * (kernel/fork.c copy_process when a signal is pending), and a plain -EINTR
 * (kernel/signal.c do_sigtimedwait).
 *
 * A call that comes back interrupted and is not in this table is an internal
 * error (the stub says so), never a silent default; test/personalities/linux
 * /restart-table.test.ts checks the table against the syscall table.
 */
import type { RestartRule } from '../../servers/signals/restart.js';

/** The kernel's internal codes (include/linux/errno.h), and -EINTR for calls never restarted. */
export type LinuxRestartCode = 'ERESTARTSYS' | 'ERESTARTNOHAND' | 'ERESTART_RESTARTBLOCK' | 'ERESTARTNOINTR' | 'EINTR';

/** Each code's rule (the table in servers/signals/restart.ts). */
export const RULE_OF_CODE: Record<LinuxRestartCode, RestartRule> = {
  ERESTARTSYS: 'sa-restart',
  ERESTARTNOHAND: 'no-handler',
  ERESTART_RESTARTBLOCK: 'resume',
  ERESTARTNOINTR: 'always',
  EINTR: 'never',
};

/** How strace names each code in a trace line. */
export const TRACE_OF_CODE: Record<LinuxRestartCode, string> = {
  ERESTARTSYS: 'ERESTARTSYS (To be restarted if SA_RESTART is set)',
  ERESTARTNOHAND: 'ERESTARTNOHAND (To be restarted if no handler)',
  ERESTART_RESTARTBLOCK: 'ERESTART_RESTARTBLOCK (Interrupted by signal)',
  ERESTARTNOINTR: 'ERESTARTNOINTR (To be restarted)',
  EINTR: 'EINTR (Interrupted system call)',
};

/** A call's code, fixed or chosen by its arguments (a futex wait with or without a timeout). */
export type RestartEntry = LinuxRestartCode | ((args: readonly bigint[]) => LinuxRestartCode);

const FUTEX_CMD_MASK = ~(128 | 256); // FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME
const FUTEX_WAIT = 0;
const FUTEX_WAIT_BITSET = 9;
const TIMER_ABSTIME = 1;

/** futex: FUTEX_WAIT(_BITSET) with a timeout resumes with its deadline; every other wait restarts with SA_RESTART. */
const futex = (a: readonly bigint[]): LinuxRestartCode => {
  const cmd = Number(BigInt.asUintN(32, a[1])) & FUTEX_CMD_MASK;
  const timed = (cmd === FUTEX_WAIT || cmd === FUTEX_WAIT_BITSET) && a[3] !== 0n;
  return timed ? 'ERESTART_RESTARTBLOCK' : 'ERESTARTSYS';
};

/** clock_nanosleep: an absolute sleep is simply run again; a relative one resumes with the time left. */
const clockNanosleep = (a: readonly bigint[]): LinuxRestartCode =>
  (Number(BigInt.asUintN(32, a[1])) & TIMER_ABSTIME) !== 0 ? 'ERESTARTNOHAND' : 'ERESTART_RESTARTBLOCK';

/** Every call compat implements that can block until a signal ends it. */
export const LINUX_RESTART_TABLE: Readonly<Record<string, RestartEntry>> = {
  // slow devices (pipes, FIFOs, ttys): restarted only with SA_RESTART
  read: 'ERESTARTSYS',
  readv: 'ERESTARTSYS',
  write: 'ERESTARTSYS',
  writev: 'ERESTARTSYS',
  pread64: 'ERESTARTSYS',
  preadv: 'ERESTARTSYS',
  pwrite64: 'ERESTARTSYS',
  pwritev: 'ERESTARTSYS',
  sendfile: 'ERESTARTSYS',
  sendfile64: 'ERESTARTSYS',
  ioctl: 'ERESTARTSYS',
  // open of a FIFO waits for the other end
  open: 'ERESTARTSYS',
  openat: 'ERESTARTSYS',
  creat: 'ERESTARTSYS',
  // waiting for children
  wait4: 'ERESTARTSYS',
  waitid: 'ERESTARTSYS',
  // file locks (flock, fcntl F_SETLKW)
  flock: 'ERESTARTSYS',
  fcntl: 'ERESTARTSYS',
  fcntl64: 'ERESTARTSYS',
  // futex
  futex,
  futex_time64: futex,
  // never restarted after a handler, whatever SA_RESTART says
  poll: 'ERESTART_RESTARTBLOCK',
  ppoll: 'ERESTARTNOHAND',
  ppoll_time64: 'ERESTARTNOHAND',
  select: 'ERESTARTNOHAND',
  _newselect: 'ERESTARTNOHAND',
  pselect6: 'ERESTARTNOHAND',
  pselect6_time64: 'ERESTARTNOHAND',
  pause: 'ERESTARTNOHAND',
  rt_sigsuspend: 'ERESTARTNOHAND',
  nanosleep: 'ERESTART_RESTARTBLOCK',
  clock_nanosleep: clockNanosleep,
  clock_nanosleep_time64: clockNanosleep,
  restart_syscall: 'ERESTART_RESTARTBLOCK',
  // sockets without a timeout set: sock_intr_errno() gives -ERESTARTSYS (net/core/sock.c)
  accept: 'ERESTARTSYS',
  accept4: 'ERESTARTSYS',
  connect: 'ERESTARTSYS',
  recvfrom: 'ERESTARTSYS',
  recv: 'ERESTARTSYS',
  sendto: 'ERESTARTSYS',
  send: 'ERESTARTSYS',
  sendmsg: 'ERESTARTSYS',
  socketcall: 'ERESTARTSYS', // the socket calls it makes that can block are all ERESTARTSYS
  recvmsg: 'ERESTARTSYS',
  sendmmsg: 'ERESTARTSYS',
  recvmmsg: 'ERESTARTSYS',
  recvmmsg_time64: 'ERESTARTSYS',
  // never restarted after a handler, whatever SA_RESTART says: signal(7); fs/eventpoll.c returns -EINTR
  epoll_wait: 'EINTR',
  epoll_pwait: 'EINTR',
  epoll_pwait2: 'EINTR',
  // EINTR even when no handler runs (a stop, then SIGCONT): signal(7)
  rt_sigtimedwait: 'EINTR',
  rt_sigtimedwait_time64: 'EINTR',
  // a fork that sees a signal arrive is always run again
  clone: 'ERESTARTNOINTR',
  clone3: 'ERESTARTNOINTR',
  fork: 'ERESTARTNOINTR',
  vfork: 'ERESTARTNOINTR',
};

/** The code of `name` called with `args`, or null when the call is not one that blocks. */
export function restartCodeOf(name: string, args: readonly bigint[]): LinuxRestartCode | null {
  const e = LINUX_RESTART_TABLE[name];
  if (e === undefined) return null;
  return typeof e === 'function' ? e(args) : e;
}

/**
 * The calls compat implements that never wait for a signal to end them (a
 * file operation on a regular file or folder, memory, identity, clocks, a
 * signal's own set-up...). Each call of the syscall table is in exactly one
 * of this list and LINUX_RESTART_TABLE: a new call has to be put in one
 * (test/personalities/linux/restart-table.test.ts).
 */
export const LINUX_NOT_INTERRUPTIBLE: ReadonlySet<string> = new Set(`
  close close_range lseek _llseek dup dup2 dup3 pipe pipe2 eventfd eventfd2 epoll_create epoll_create1 epoll_ctl
  timerfd_create timerfd_settime timerfd_settime64 timerfd_gettime timerfd_gettime64 signalfd signalfd4 arch_prctl
  socket socketpair bind listen getsockname getpeername setsockopt getsockopt shutdown
  fstat fstat64 newfstatat fstatat64 stat stat64 lstat lstat64 statx statfs fstatfs statfs64 fstatfs64
  getdents64 readlinkat readlink faccessat faccessat2 access getcwd chdir fchdir umask
  mkdirat mkdir unlinkat unlink rmdir renameat renameat2 rename symlinkat symlink linkat link
  ftruncate truncate ftruncate64 truncate64 fallocate fsync fdatasync sync syncfs
  fchmod fchmodat chmod chown lchown fchown fchownat utimensat utimensat_time64
  brk mmap mmap2 munmap mprotect mremap madvise msync mincore mlock mlock2 munlock mlockall munlockall
  cacheflush riscv_flush_icache
  getpid gettid getppid getuid geteuid getgid getegid getresuid getresgid setuid setgid setreuid setregid
  setresuid setresgid setfsuid setfsgid getgroups setgroups setpgid getpgid getpgrp setsid getsid
  uname sysinfo getrlimit ugetrlimit setrlimit prlimit64 getrusage times getrandom
  sched_getaffinity sched_setaffinity sched_yield sched_getscheduler sched_getparam
  sched_get_priority_max sched_get_priority_min getpriority setpriority getcpu prctl personality capget
  clock_gettime clock_gettime64 clock_getres clock_getres_time64 gettimeofday time
  exit exit_group execve execveat set_tid_address set_robust_list get_robust_list rseq set_thread_area
  rt_sigaction rt_sigprocmask rt_sigpending rt_sigreturn sigaltstack kill tkill tgkill
  rt_sigqueueinfo rt_tgsigqueueinfo setitimer getitimer alarm
`.split(/\s+/).filter(Boolean));
