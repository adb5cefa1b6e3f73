/**
 * The Linux restart table (personalities/linux/restart-table.ts) against the
 * syscall table and the rules of servers/signals/restart.ts. What each row
 * does on real programs is checked by test/integration/interrupt.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { afterInterruption, RESTART_RULES } from '../../../servers/signals/restart.js';
import { LINUX_NOT_INTERRUPTIBLE, LINUX_RESTART_TABLE, restartCodeOf, RULE_OF_CODE } from '../../../personalities/linux/restart-table.js';
import { linuxSyscallTable } from '../../../personalities/linux/syscalls/table.js';
import { genericSyscalls } from '../../../personalities/linux/abi/syscalls-generic.js';
import { mipsO32Arch } from '../../../personalities/linux/abi/mips-o32.js';

describe('the Linux restart table', () => {
  it('classifies every call compat implements: in the restart table, or never interruptible, never both', () => {
    const missing: string[] = [];
    const both: string[] = [];
    for (const name of linuxSyscallTable.keys()) {
      const inTable = name in LINUX_RESTART_TABLE;
      const quiet = LINUX_NOT_INTERRUPTIBLE.has(name);
      if (!inTable && !quiet) missing.push(name);
      if (inTable && quiet) both.push(name);
    }
    expect(missing, 'calls with no restart rule and not listed as never interruptible').toEqual([]);
    expect(both).toEqual([]);
  });

  it('names only calls that exist (no stale rows)', () => {
    const stale = [...Object.keys(LINUX_RESTART_TABLE), ...LINUX_NOT_INTERRUPTIBLE].filter((n) => !linuxSyscallTable.has(n));
    expect(stale).toEqual([]);
  });

  it('has restart_syscall in every arch table, for calls that resume', () => {
    expect([...genericSyscalls.values()]).toContain('restart_syscall');
    expect([...mipsO32Arch.syscalls.values()]).toContain('restart_syscall');
  });

  it('gives the codes signal(7) and the kernel sources give', () => {
    const none: bigint[] = [0n, 0n, 0n, 0n, 0n, 0n];
    expect(restartCodeOf('read', none)).toBe('ERESTARTSYS');
    expect(restartCodeOf('wait4', none)).toBe('ERESTARTSYS');
    expect(restartCodeOf('ppoll', none)).toBe('ERESTARTNOHAND');
    expect(restartCodeOf('pause', none)).toBe('ERESTARTNOHAND');
    expect(restartCodeOf('nanosleep', none)).toBe('ERESTART_RESTARTBLOCK');
    expect(restartCodeOf('rt_sigtimedwait', none)).toBe('EINTR');
    expect(restartCodeOf('getpid', none)).toBeNull();
    // futex: FUTEX_WAIT(_PRIVATE) without a timeout restarts with SA_RESTART; with one it resumes
    expect(restartCodeOf('futex', [0x1000n, 128n, 7n, 0n, 0n, 0n])).toBe('ERESTARTSYS');
    expect(restartCodeOf('futex', [0x1000n, 128n, 7n, 0x2000n, 0n, 0n])).toBe('ERESTART_RESTARTBLOCK');
    expect(restartCodeOf('futex', [0x1000n, 9n | 128n, 7n, 0x2000n, 0n, 0xffffffffn])).toBe('ERESTART_RESTARTBLOCK');
    // clock_nanosleep: TIMER_ABSTIME runs again as it was, a relative sleep resumes
    expect(restartCodeOf('clock_nanosleep', [1n, 1n, 0x2000n, 0n])).toBe('ERESTARTNOHAND');
    expect(restartCodeOf('clock_nanosleep', [1n, 0n, 0x2000n, 0x3000n])).toBe('ERESTART_RESTARTBLOCK');
  });
});

describe('the restart rules (servers/signals/restart.ts)', () => {
  it('follow the table of signal(7)', () => {
    expect(RESTART_RULES.length).toBe(6);
    const row = (code: keyof typeof RULE_OF_CODE) => ['no-handler', 'handler-restart', 'handler'].map((d) => afterInterruption(RULE_OF_CODE[code], d as 'handler'));
    expect(row('ERESTARTSYS')).toEqual(['restart', 'restart', 'interrupted']);
    expect(row('ERESTARTNOHAND')).toEqual(['restart', 'interrupted', 'interrupted']);
    expect(row('ERESTART_RESTARTBLOCK')).toEqual(['resume', 'interrupted', 'interrupted']);
    expect(row('ERESTARTNOINTR')).toEqual(['restart', 'restart', 'restart']);
    expect(row('EINTR')).toEqual(['interrupted', 'interrupted', 'interrupted']);
  });
});
