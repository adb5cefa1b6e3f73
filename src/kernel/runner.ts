/**
 * Runs one guest thread: the core executes until it traps, the personality
 * stub handles the trap, and so on until the process exits.
 */
import { StopKind, type IsaCore, type TrapHandler } from '../plugin/contracts.js';
import { GuestExit, type ExitReason } from './exit.js';

/** Instructions per run() slice: large, since a single-threaded guest has nothing to interleave. */
const SLICE = 1 << 22;

export function runThread(core: IsaCore, trap: TrapHandler): ExitReason {
  try {
    for (;;) {
      const stop = core.run(SLICE);
      if (stop === StopKind.Syscall) trap.syscall();
      else if (stop === StopKind.Fault || stop === StopKind.Breakpoint) trap.fault(core.fault!);
    }
  } catch (e) {
    if (e instanceof GuestExit) return e.reason;
    throw e;
  }
}
