/**
 * Linux signal numbers per arch, as data. Names are the neutral identities the
 * signals server uses; each arch maps them to its own numbers (SIGUSR1 is 10
 * on riscv64 and x86, 16 on MIPS).
 */
export interface SignalTable {
  /** Number → name (SIGRTMIN..SIGRTMAX as 'SIGRT<n>' relative to 32). */
  readonly byNumber: ReadonlyMap<number, string>;
  readonly byName: ReadonlyMap<string, number>;
  /** Highest signal number (_NSIG - 1). */
  readonly max: number;
}

export function signalTable(names: Record<number, string>, max: number): SignalTable {
  const byNumber = new Map<number, string>();
  for (const [n, name] of Object.entries(names)) byNumber.set(Number(n), name);
  for (let n = 32; n <= max; n++) if (!byNumber.has(n)) byNumber.set(n, `SIGRT${n - 32}`);
  const byName = new Map<string, number>();
  for (const [n, name] of byNumber) byName.set(name, n);
  return { byNumber, byName, max };
}

/** asm-generic numbering: riscv64, aarch64, x86, arm, ppc. */
export const genericSignals = signalTable({
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS',
  8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE',
  14: 'SIGALRM', 15: 'SIGTERM', 16: 'SIGSTKFLT', 17: 'SIGCHLD', 18: 'SIGCONT', 19: 'SIGSTOP',
  20: 'SIGTSTP', 21: 'SIGTTIN', 22: 'SIGTTOU', 23: 'SIGURG', 24: 'SIGXCPU', 25: 'SIGXFSZ',
  26: 'SIGVTALRM', 27: 'SIGPROF', 28: 'SIGWINCH', 29: 'SIGIO', 30: 'SIGPWR', 31: 'SIGSYS',
}, 64);

/** Host (Linux x86-64/generic) number of a neutral signal, for 128+N exit statuses. */
export function hostSignalNumber(name: string): number {
  return genericSignals.byName.get(name) ?? 0;
}

/** sigaction sa_flags values (generic; MIPS has its own). */
export interface SaFlags {
  SA_NOCLDSTOP: bigint;
  SA_NOCLDWAIT: bigint;
  SA_SIGINFO: bigint;
  SA_ONSTACK: bigint;
  SA_RESTART: bigint;
  SA_NODEFER: bigint;
  SA_RESETHAND: bigint;
  SA_RESTORER: bigint;
}

export const genericSaFlags: SaFlags = {
  SA_NOCLDSTOP: 0x1n,
  SA_NOCLDWAIT: 0x2n,
  SA_SIGINFO: 0x4n,
  SA_ONSTACK: 0x0800_0000n,
  SA_RESTART: 0x1000_0000n,
  SA_NODEFER: 0x4000_0000n,
  SA_RESETHAND: 0x8000_0000n,
  SA_RESTORER: 0x0400_0000n,
};
