/**
 * The guest ↔ host path mapping, in one place.
 *
 * - identity: guest `/` is host `/`;
 * - sysroot (qemu's `-L`): a guest path is looked up under the sysroot
 *   first and, when nothing is there, on the host's `/` — no containment;
 * - a jail root (`root`, plus mounts): see ./jail-resolve.ts; its PathMap
 *   maps host paths back for /proc/self/fd, getcwd and friends.
 *
 * Paths are byte strings (latin1-decoded), see types.ts.
 */
import { lstatSync } from 'node:fs';

export interface PathMap {
  /** An absolute guest path → the absolute host path to use. */
  guestToHost(guestAbs: string): string;
  /** An absolute host path (from /proc/self/fd, getcwd...) → the guest's view of it. */
  hostToGuest(hostAbs: string): string;
}

export const identityPaths: PathMap = {
  guestToHost: (p) => p,
  hostToGuest: (p) => p,
};

const exists = (p: string): boolean => {
  try {
    lstatSync(Buffer.from(p, 'latin1'));
    return true;
  } catch {
    return false;
  }
};

/** Strips trailing slashes from a host folder name ('/' stays '/'). */
export const trimSlashes = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, '') || '/' : p);

/** `dir` is `p` or one of its ancestors (component-wise). */
export const isUnder = (p: string, dir: string): boolean =>
  dir === '/' || p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/');

/**
 * qemu's `-L DIR`: look under DIR first, then on the host. Host paths under
 * DIR are shown without it (a library ld.so opened from the sysroot is
 * /lib/libc.so.6 in /proc/self/maps, as on the guest's own system).
 */
export function sysrootPaths(sysroot: string): PathMap {
  const root = trimSlashes(sysroot);
  if (root === '/') return identityPaths;
  return {
    guestToHost(p) {
      if (p === '/') return p;
      const inside = root + p;
      return exists(inside) ? inside : p;
    },
    hostToGuest(p) {
      if (p === root) return '/';
      return p.startsWith(root + '/') ? p.slice(root.length) : p;
    },
  };
}

/** Decodes guest path bytes to a byte string. */
export const bytesToPath = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
/** Encodes a byte string back to bytes. */
export const pathToBytes = (p: string): Uint8Array => Buffer.from(p, 'latin1');
