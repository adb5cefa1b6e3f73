/**
 * Containment: every path a jailed guest names is resolved inside the jail,
 * as the kernel resolves paths in a chroot (path_resolution(7), chroot(2)):
 * `..` at the jail's `/` stays there, absolute symlinks start again at the
 * jail's `/`, relative ones at their folder, at most 40 symlinks (ELOOP).
 * Mounts (guest folder → host folder) are entered and left by the same walk.
 *
 * The walk runs on guest path components and answers a host path whose
 * folders hold no symlinks (and, when the operation follows the last
 * component, no symlink at all), so the host call cannot leave the jail
 * by itself. open() then uses openat2(RESOLVE_IN_ROOT) on the host as a
 * second guard when the result lies in the root folder (no mount): a
 * symlink swapped in between the walk and the open is then still
 * resolved inside the root. Without openat2 (older kernels) the walk alone
 * decides (RESOLVE_NO_SYMLINKS via O_NOFOLLOW is not enough for folders).
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { fail } from '../common/errno.js';
import { trimSlashes, type PathMap } from './paths.js';

export interface JailPathSpec { root: string; mounts: { guest: string; host: string; readOnly: boolean }[] }

const MAX_SYMLINKS = 40;

export interface JailResolved {
  /** Absolute host path to use. */
  hostPath: string;
  /** The guest's canonical path of what was resolved (its parent, when the last component was kept). */
  guestPath: string;
  readOnly: boolean;
  /** The host path lies in the root folder (not in a mount): openat2(RESOLVE_IN_ROOT) may double-check it. */
  inRoot: boolean;
  /** Which file system of the jail it is on: the mount's guest path, or '' for the root folder. */
  fs: string;
}

export interface JailPathMap extends PathMap {
  readonly jail: true;
  readonly root: string;
  /**
   * Resolves an absolute guest path. `follow`: a symlink as last component is
   * followed (else kept as is, for lstat, unlink, rename...).
   */
  resolve(guestAbs: string, follow: boolean): JailResolved;
}

export const isJailPaths = (p: PathMap): p is JailPathMap => (p as Partial<JailPathMap>).jail === true;

interface Mount { guest: string; host: string; readOnly: boolean }

export function jailPathMap(spec: JailPathSpec): JailPathMap {
  const root = trimSlashes(spec.root);
  const mounts: Mount[] = spec.mounts.map((m) => ({ guest: trimSlashes(m.guest), host: trimSlashes(m.host), readOnly: m.readOnly }))
    .sort((a, b) => b.guest.length - a.guest.length);
  const prefix = (h: string): string => (h === '/' ? '' : h);
  // the character devices every program expects, shown in any root (the host's own device files)
  const devices = new Set(['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty']);

  /** The host place of a canonical guest path (longest mount first). */
  const place = (guest: string): { host: string; mount: Mount | null } => {
    if (devices.has(guest) && root !== '/') return { host: guest, mount: { guest, host: guest, readOnly: false } };
    for (const m of mounts) {
      if (guest === m.guest) return { host: m.host, mount: m };
      if (guest.startsWith(m.guest + '/')) return { host: prefix(m.host) + guest.slice(m.guest.length), mount: m };
    }
    return { host: guest === '/' ? root : prefix(root) + guest, mount: null };
  };

  const lstatKind = (hostPath: string): 'link' | 'dir' | 'other' | 'missing' => {
    try {
      const st = lstatSync(Buffer.from(hostPath, 'latin1'));
      return st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'other';
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
      if (code === 'EACCES') throw fail('EACCES');
      if (code === 'ENAMETOOLONG') throw fail('ENAMETOOLONG');
      if (code === 'ELOOP') throw fail('ELOOP');
      return 'missing';
    }
  };

  return {
    jail: true,
    root,
    guestToHost(p) {
      return this.resolve(p, true).hostPath;
    },
    hostToGuest(h) {
      for (const m of mounts) {
        if (h === m.host) return m.guest;
        if (m.host === '/' || h.startsWith(m.host + '/')) return m.guest + (m.host === '/' ? h : h.slice(m.host.length));
      }
      if (h === root) return '/';
      if (root === '/') return h;
      if (h.startsWith(root + '/')) return h.slice(root.length);
      // outside the jail (a host fd the guest inherited, e.g. a pipe or the tty): nothing to name
      return h.startsWith('/') ? '/' : h;
    },
    resolve(guestAbs, follow) {
      const done: string[] = []; // canonical guest components so far
      let todo = guestAbs.split('/').filter((c) => c.length > 0);
      const trailingSlash = /\/$/.test(guestAbs) && todo.length > 0;
      let links = 0;
      while (todo.length > 0) {
        const c = todo.shift()!;
        if (c === '.') continue;
        if (c === '..') { done.pop(); continue; }
        if (c.length > 255) throw fail('ENAMETOOLONG');
        const last = todo.length === 0;
        const guest = '/' + [...done, c].join('/');
        const here = place(guest);
        const isMountPoint = here.mount !== null && here.mount.guest === guest;
        const kind = isMountPoint ? 'dir' : lstatKind(here.host);
        if (kind === 'link' && (!last || follow || trailingSlash)) {
          if (++links > MAX_SYMLINKS) throw fail('ELOOP');
          const target = readlinkSync(Buffer.from(here.host, 'latin1'), { encoding: 'buffer' }).toString('latin1');
          if (target.length === 0) throw fail('ENOENT');
          if (target.startsWith('/')) done.length = 0;
          todo = [...target.split('/').filter((x) => x.length > 0), ...todo];
          continue;
        }
        done.push(c);
        if (kind === 'missing' || kind === 'other') {
          // the host call fails where the kernel would (ENOENT, ENOTDIR) at this component; what follows
          // is only appended when it cannot climb out again
          if (!last) {
            if (todo.some((x) => x === '..')) throw fail(kind === 'missing' ? 'ENOENT' : 'ENOTDIR');
            done.push(...todo.filter((x) => x !== '.'));
            todo = [];
          }
          break;
        }
      }
      const guest = '/' + done.join('/');
      const p = place(guest);
      return {
        hostPath: p.host + (trailingSlash && guest !== '/' ? '/' : ''),
        guestPath: guest,
        readOnly: p.mount?.readOnly ?? false,
        inRoot: p.mount === null,
        fs: p.mount?.guest ?? '',
      };
    },
  };
}
