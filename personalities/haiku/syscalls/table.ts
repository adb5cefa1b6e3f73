/** Every Haiku syscall compat implements, by name (numbers come from the team's numbering). */
import { fileSyscalls } from './files.js';
import { memorySyscalls } from './memory.js';
import { signalSyscalls } from './signals.js';
import { systemSyscalls } from './system.js';
import { imageSyscalls, syncSyscalls, teamSyscalls } from './teams.js';
import type { HaikuSyscallDef } from './types.js';

export const haikuSyscallTable: ReadonlyMap<string, HaikuSyscallDef> = new Map(Object.entries({
  ...fileSyscalls, ...memorySyscalls, ...systemSyscalls, ...teamSyscalls, ...syncSyscalls, ...imageSyscalls,
  ...signalSyscalls,
}));
