/**
 * Where compat is installed: the folder holding config/ (shipped jails,
 * compat.json, the jail schema). Its own module so that parts of the main
 * thread can find it without loading the plugin container.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compat package root: the nearest folder above this module holding config/compat.json. */
export const PACKAGE_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'config', 'compat.json'))) return dir;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
})();
