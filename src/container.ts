/**
 * The composition root: binds the residual servers, then loads every plugin
 * (built-in ones from config/compat.json, then third-party ones) through the
 * one plugin loader, and binds their contributions.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Container } from 'inversify';
import { FilesServer } from '../servers/files/files-server.js';
import type { IsaCoreFactory, IsaName, Personality, PluginManifest, Sniffer } from './plugin/contracts.js';
import { TOKENS } from './plugin/contracts.js';
import { loadPlugin, PluginError, type LoadedPlugin } from './plugin/loader.js';

export { PACKAGE_ROOT } from './package-root.js';
import { PACKAGE_ROOT } from './package-root.js';

export interface CompatConfig {
  plugins: string[];
}

export function readShippedConfig(): CompatConfig {
  const path = join(PACKAGE_ROOT, 'config', 'compat.json');
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<CompatConfig>;
    if (!Array.isArray(raw.plugins) || !raw.plugins.every((p) => typeof p === 'string')) {
      throw new PluginError(`${path}: "plugins" must be an array of module paths or package names`);
    }
    return { plugins: raw.plugins };
  } catch (e) {
    if (e instanceof PluginError) throw e;
    throw new PluginError(`${path}: ${(e as Error).message}`);
  }
}

export class Compat {
  constructor(readonly container: Container, readonly plugins: LoadedPlugin[]) {}

  personalities(): Personality[] {
    return this.container.isBound(TOKENS.Personality) ? this.container.getAll<Personality>(TOKENS.Personality) : [];
  }

  cores(): IsaCoreFactory[] {
    return this.container.isBound(TOKENS.IsaCoreFactory) ? this.container.getAll<IsaCoreFactory>(TOKENS.IsaCoreFactory) : [];
  }

  sniffers(): Sniffer[] {
    const own = this.container.isBound(TOKENS.Sniffer) ? this.container.getAll<Sniffer>(TOKENS.Sniffer) : [];
    return [...own, ...this.personalities().flatMap((p) => p.sniffers)];
  }

  /** The core for an ISA; with `endian`, the one built for that byte order. */
  core(isa: IsaName | null, endian?: 'little' | 'big'): IsaCoreFactory | undefined {
    const all = this.cores().filter((c) => c.isa === isa);
    return all.find((c) => endian === undefined || c.endian === endian) ?? (endian === undefined ? all[0] : undefined);
  }

  personality(name: string | null): Personality | undefined {
    return this.personalities().find((p) => p.name === name);
  }

  manifests(): PluginManifest[] {
    return this.plugins.map((p) => p.manifest);
  }
}

/** Builds the container with the shipped plugins plus `extra` (from --plugin or config). */
export async function createCompat(extra: string[] = []): Promise<Compat> {
  const container = new Container();
  container.bind(TOKENS.FilesServer).toConstantValue(() => new FilesServer());
  const loaded: LoadedPlugin[] = [];
  const specs: Array<[string, string]> = [
    ...readShippedConfig().plugins.map((s) => [s, PACKAGE_ROOT] as [string, string]),
    ...extra.map((s) => [s, process.cwd()] as [string, string]),
  ];
  for (const [spec, base] of specs) {
    const p = await loadPlugin(spec, base);
    if (loaded.some((q) => q.manifest.name === p.manifest.name)) {
      throw new PluginError(`plugin ${spec}: a plugin named "${p.manifest.name}" is already loaded`);
    }
    container.load(p.module);
    loaded.push(p);
  }
  return new Compat(container, loaded);
}
