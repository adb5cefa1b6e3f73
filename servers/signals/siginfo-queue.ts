/**
 * The siginfo of a thread's pending signals. A standard signal pending twice
 * is one signal (the second is lost, its first siginfo kept); real-time
 * signals (SIGRT*) queue, each with its own siginfo and value, and are taken
 * in the order sent (signal(7)).
 */
export class SigInfoQueue<Info> {
  private readonly infos = new Map<number, Info[]>();

  /** Records `info` for signal `sig` (named `name`). */
  add(sig: number, name: string, info: Info): void {
    const list = this.infos.get(sig) ?? [];
    if (!name.startsWith('SIGRT') && list.length > 0) return;
    list.push(info);
    this.infos.set(sig, list);
  }

  /** The oldest siginfo of `sig` (undefined when none was recorded), and whether it was the last. */
  take(sig: number): { info: Info | undefined; last: boolean } {
    const list = this.infos.get(sig);
    const info = list?.shift();
    const last = !list || list.length === 0;
    if (last) this.infos.delete(sig);
    return { info, last };
  }
}
