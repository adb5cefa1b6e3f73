import type { PathMap } from './paths.js';
export interface JailPathSpec { root: string; mounts: { guest: string; host: string; readOnly: boolean }[] }
export function jailPathMap(spec: JailPathSpec): PathMap {
  const root = spec.root.replace(/\/+$/, '');
  return { guestToHost: (p) => root + p, hostToGuest: (p) => (p.startsWith(root + '/') ? p.slice(root.length) : p) };
}
