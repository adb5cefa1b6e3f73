/**
 * Runs one guest thread: the core executes until it traps, the personality
 * stub handles the trap, signals are taken at safe points, and so on until
 * the thread or its process ends (GuestExit) or execve swaps the image
 * (ReplaceImage, handled by the caller).
 */
import { StopKind, type IsaCore, type TrapHandler } from '../plugin/contracts.js';
import { TB, type ThreadBlock } from './shared.js';

/** Instructions per run() slice: short enough that a queued signal (Ctrl-C) is taken within milliseconds. */
const SLICE = 1 << 20;

export function runThread(core: IsaCore, trap: TrapHandler, block: ThreadBlock): never {
  const flag = block.i32;
  const charge = trap.chargeCpu?.bind(trap);
  for (;;) {
    const t0 = charge ? performance.now() : 0;
    const stop = core.run(SLICE);
    if (charge) charge((performance.now() - t0) * 1e6);
    if (stop === StopKind.Syscall) trap.syscall();
    else if (stop === StopKind.Fault || stop === StopKind.Breakpoint) trap.fault(core.fault!);
    if (Atomics.load(flag, TB.SIGFLAG) !== 0) trap.safePoint();
  }
}
