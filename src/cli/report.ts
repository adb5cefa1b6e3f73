/** Turns any error that escapes a command into one line on stderr and an exit status. */
import { ExecError } from '../kernel/exec-error.js';
import { writeAllSync } from '../kernel/log.js';
import { PluginError } from '../plugin/loader.js';
import { JailError } from '../jail/jail-file.js';

export function reportError(e: unknown): number {
  if (e instanceof ExecError) {
    writeAllSync(2, `compat: ${e.message}\n`);
    return e.status;
  }
  if (e instanceof JailError) {
    writeAllSync(2, `compat: ${e.message}\n`);
    return e.status;
  }
  if (e instanceof PluginError) {
    writeAllSync(2, `compat: ${e.message}\n`);
    return 1;
  }
  const msg = e instanceof Error ? e.message : String(e);
  writeAllSync(2, `compat: internal error: ${msg.split('\n')[0]}\n`);
  if (process.env.COMPAT_DEBUG && e instanceof Error && e.stack) writeAllSync(2, e.stack + '\n');
  return 70;
}
