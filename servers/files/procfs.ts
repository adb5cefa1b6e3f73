/**
 * The few /proc/self links a guest must see as its own rather than the host
 * Node process's: /proc/self/exe (the guest program) and /proc/self/fd/N (the
 * guest's fd N). A full synthetic /proc comes with the jails.
 */
export interface ProcSelf {
  /** Guest pid, so /proc/<pid>/... is recognised as self too. */
  pid: number;
  /** Absolute guest path of the running program. */
  exe: string;
  /**
   * Synthetic files the personality writes (/proc/self/maps, /proc/cpuinfo of
   * the emulated CPU, /proc/meminfo): guest path → content, or null when the
   * path is not one of them.
   */
  synthetic?: (guestAbs: string) => Uint8Array | null;
}

export type ProcLink = { kind: 'exe' } | { kind: 'fd'; fd: number } | { kind: 'cwd' } | null;

/** Classifies an absolute guest path that names one of our /proc/self links. */
export function procSelfLink(guestAbs: string, self: ProcSelf): ProcLink {
  const m = /^\/proc\/(self|thread-self|\d+)\/(exe|cwd|fd\/(\d+))\/?$/.exec(guestAbs.replace(/\/+/g, '/'));
  if (!m) return null;
  if (m[1] !== 'self' && m[1] !== 'thread-self' && Number(m[1]) !== self.pid) return null;
  if (m[2] === 'exe') return { kind: 'exe' };
  if (m[2] === 'cwd') return { kind: 'cwd' };
  return { kind: 'fd', fd: Number(m[3]) };
}
