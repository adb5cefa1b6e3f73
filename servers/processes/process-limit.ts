/**
 * The jail's limit on processes alive at once: a fork or clone of a new
 * process beyond it fails with EAGAIN, as RLIMIT_NPROC makes it fail, and
 * compat says so once on stderr (the jail, not the program, set the limit).
 */
import { fail } from '../common/errno.js';
import { writeAllSync } from '../../src/kernel/log.js';

export class ProcessLimit {
  private reported = false;

  constructor(private readonly limit: number | undefined, private readonly jailName: string) {}

  /** Throws EAGAIN when `alive` processes already use up the limit. */
  check(alive: number): void {
    if (!this.limit || alive < this.limit) return;
    if (!this.reported) {
      this.reported = true;
      writeAllSync(2, `compat: jail limit reached: processes (${this.limit} at once, jail ${this.jailName}); fork fails with EAGAIN\n`);
    }
    throw fail('EAGAIN');
  }
}
