// Debian's busybox-static for arm64 under compat (the AArch64 core), compared with
// qemu-aarch64: the rows, the reference rules and how to record are in busybox-suite.ts.
import { defineBusyboxSuite } from './busybox-suite.js';

defineBusyboxSuite({
  arch: 'arm64',
  qemu: 'qemu-aarch64',
  qemuEnv: 'COMPAT_QEMU_AARCH64',
  // ELF64 little-endian, e_machine EM_AARCH64 (183)
  binfmtMagic: /^magic 7f454c460201[0-9a-f]{24}b700/m,
});
