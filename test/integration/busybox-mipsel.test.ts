// Debian's busybox-static for mipsel under compat, compared with qemu-mipsel: the rows,
// the reference rules and how to record are in busybox-suite.ts.
import { defineBusyboxSuite } from './busybox-suite.js';

defineBusyboxSuite({
  arch: 'mipsel',
  qemu: 'qemu-mipsel',
  qemuEnv: 'COMPAT_QEMU_MIPSEL',
  // ELF32 little-endian, e_machine EM_MIPS (8)
  binfmtMagic: /^magic 7f454c460101[0-9a-f]{24}0800/m,
});
