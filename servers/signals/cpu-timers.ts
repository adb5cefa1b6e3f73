/**
 * ITIMER_VIRTUAL and ITIMER_PROF: interval timers that run down with the
 * process's CPU time instead of the clock, and send SIGVTALRM / SIGPROF when
 * they run out (then start again from their interval, if any). They live in
 * the process block, so every thread of the process charges the CPU time it
 * uses to the same timers; a forked child starts without them, an exec
 * keeps them (setitimer(2)).
 *
 * compat's CPU time of a guest thread is the time its core spends running
 * guest code; the time spent in system calls is not told apart, so both
 * timers run down alike.
 */
import { PB, type ProcessBlock } from '../../src/kernel/shared.js';

export type CpuTimer = 'virtual' | 'prof';

export interface CpuTimerValue { valueNs: bigint; intervalNs: bigint }

const SLOT: Readonly<Record<CpuTimer, number>> = { virtual: PB.CPU_TIMERS, prof: PB.CPU_TIMERS + 2 };
const SIGNAL: Readonly<Record<CpuTimer, string>> = { virtual: 'SIGVTALRM', prof: 'SIGPROF' };

export function getCpuTimer(block: ProcessBlock, which: CpuTimer): CpuTimerValue {
  const i = SLOT[which];
  const left = Atomics.load(block.i64, i);
  return { valueNs: left > 0n ? left : 0n, intervalNs: Atomics.load(block.i64, i + 1) };
}

/** Arms (valueNs > 0) or disarms a timer; returns what was left of it. */
export function setCpuTimer(block: ProcessBlock, which: CpuTimer, v: CpuTimerValue): CpuTimerValue {
  const prev = getCpuTimer(block, which);
  const i = SLOT[which];
  Atomics.store(block.i64, i + 1, v.valueNs > 0n ? v.intervalNs : 0n);
  Atomics.store(block.i64, i, v.valueNs > 0n ? v.valueNs : 0n);
  return prev;
}

/** Charges `ns` of CPU time to the armed timers; returns the signals of those that ran out. */
export function chargeCpuTimers(block: ProcessBlock, ns: number): string[] {
  if (Atomics.load(block.i64, SLOT.virtual) <= 0n && Atomics.load(block.i64, SLOT.prof) <= 0n) return NONE;
  let out: string[] | null = null;
  const used = BigInt(Math.max(0, Math.round(ns)));
  for (const which of ['virtual', 'prof'] as const) {
    const i = SLOT[which];
    if (Atomics.load(block.i64, i) <= 0n) continue;
    const before = Atomics.sub(block.i64, i, used);
    if (before <= 0n || before > used) continue; // another thread's charge expired it, or time is left
    Atomics.store(block.i64, i, Atomics.load(block.i64, i + 1));
    (out ??= []).push(SIGNAL[which]);
  }
  return out ?? NONE;
}

const NONE: string[] = [];
