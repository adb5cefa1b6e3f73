/**
 * alarm() and ITIMER_REAL: one real-time timer per process that sends
 * SIGALRM when it runs out, re-armed by its interval. Times in milliseconds.
 */
interface Alarm { timer: NodeJS.Timeout | null; due: number; interval: number }

export interface AlarmValue { valueMs: number; intervalMs: number }

export class IntervalTimers {
  private readonly alarms = new Map<number, Alarm>();

  /** `expired(pid)` sends the signal. */
  constructor(private readonly expired: (pid: number) => void) {}

  /** Arms (valueMs > 0) or disarms the timer of `pid`; returns what was left of the previous one. */
  set(pid: number, valueMs: number, intervalMs: number): AlarmValue {
    const prev = this.get(pid);
    this.clear(pid);
    this.alarms.set(pid, { timer: null, due: 0, interval: intervalMs });
    if (valueMs > 0) this.arm(pid, valueMs);
    return prev;
  }

  get(pid: number): AlarmValue {
    const a = this.alarms.get(pid);
    if (!a || !a.timer) return { valueMs: 0, intervalMs: a?.interval ?? 0 };
    return { valueMs: Math.max(1, a.due - Date.now()), intervalMs: a.interval };
  }

  /** The process has ended (or the run stops): no more SIGALRM. */
  clear(pid: number): void {
    const a = this.alarms.get(pid);
    if (a?.timer) clearTimeout(a.timer);
    this.alarms.delete(pid);
  }

  clearAll(): void {
    for (const pid of [...this.alarms.keys()]) this.clear(pid);
  }

  private arm(pid: number, ms: number): void {
    const a = this.alarms.get(pid);
    if (!a) return;
    a.due = Date.now() + ms;
    a.timer = setTimeout(() => {
      a.timer = null;
      a.due = 0;
      if (a.interval > 0) this.arm(pid, a.interval);
      this.expired(pid);
    }, Math.max(0, ms));
  }
}
