/**
 * The guest ↔ host path mapping, in one place. For now the identity (guest
 * `/` is host `/`); a jail replaces this with a host root folder and
 * containment through openat2(RESOLVE_IN_ROOT).
 *
 * Paths are byte strings (latin1-decoded), see types.ts.
 */
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

/** Decodes guest path bytes to a byte string. */
export const bytesToPath = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
/** Encodes a byte string back to bytes. */
export const pathToBytes = (p: string): Uint8Array => Buffer.from(p, 'latin1');
