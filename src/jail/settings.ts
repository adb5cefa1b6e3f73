/**
 * A jail as the runtime carries it (in RunSettings, to every worker): the
 * validated jail file with the command line's overrides applied and
 * `"sysroot": "auto"` already decided. Plain data (structured-cloneable).
 */
export interface JailMount {
  /** Absolute guest path where the host folder appears. */
  guest: string;
  /** Absolute host folder. */
  host: string;
  readOnly: boolean;
}

export type DenyAction = 'EPERM' | 'ENOSYS' | 'kill';

export interface JailLimits {
  /** Bytes of guest memory (RLIMIT_AS). */
  memory: number | null;
  /** Guest processes alive at once (RLIMIT_NPROC of the jail). */
  processes: number | null;
  /** Open files per process (RLIMIT_NOFILE). */
  openFiles: number | null;
  /** CPU seconds per process (RLIMIT_CPU). */
  cpuTime: number | null;
}

export interface JailIdentity {
  uid: number | null;
  gid: number | null;
  user: string | null;
  hostname: string | null;
}

export interface JailSettings {
  /** The jail's name (file name without .json) and where it came from. */
  name: string;
  file: string | null;
  personality: string;
  /** Host folder shown as `/`, with containment; null: the host's `/`. */
  root: string | null;
  /** qemu -L: look here first, then at the host's `/` (no containment); null: none. */
  sysroot: string | null;
  mounts: JailMount[];
  /** Guest working folder at start; null: the host's cwd (mapped), or `/` in a root jail. */
  cwd: string | null;
  identity: JailIdentity;
  limits: JailLimits;
  syscalls: { deny: string[]; action: DenyAction };
  nativeExec: boolean;
  sockets: boolean;
  /** host: the host's network; loopback: only 127.0.0.0/8 and ::1; none: AF_UNIX only (servers/files/network-policy.ts). */
  network: 'host' | 'loopback' | 'none';
  pidNamespace: 'own' | 'shared';
}

export const openJail = (personality: string): JailSettings => ({
  name: 'none', file: null, personality, root: null, sysroot: null, mounts: [], cwd: null,
  identity: { uid: null, gid: null, user: null, hostname: null },
  limits: { memory: null, processes: null, openFiles: null, cpuTime: null },
  syscalls: { deny: [], action: 'ENOSYS' },
  nativeExec: false, sockets: true, network: 'host', pidNamespace: 'shared',
});
