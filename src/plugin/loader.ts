/**
 * The plugin loader: one path for built-in and third-party plugins alike.
 * A plugin is an ES module (a file, a folder with package.json, or an npm
 * package name) exporting `manifest` (PluginManifest) and `module` (an
 * inversify ContainerModule) — as named exports or on its default export.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContainerModule } from 'inversify';
import type { PluginManifest } from './contracts.js';

export interface LoadedPlugin {
  spec: string;
  manifest: PluginManifest;
  module: ContainerModule;
}

export class PluginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginError';
  }
}

/** Resolves a plugin spec to a module URL. Relative specs resolve against `baseDir`. */
function resolveSpec(spec: string, baseDir: string): string {
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const p = resolve(baseDir, spec);
    if (!existsSync(p)) throw new PluginError(`plugin ${spec}: no such file or folder (${p})`);
    if (statSync(p).isDirectory()) {
      const pkgPath = join(p, 'package.json');
      let main = 'index.js';
      if (existsSync(pkgPath)) {
        try {
          const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { main?: string; exports?: unknown };
          if (typeof pkg.main === 'string') main = pkg.main;
        } catch {
          throw new PluginError(`plugin ${spec}: ${pkgPath} is not valid JSON`);
        }
      }
      const entry = join(p, main);
      if (!existsSync(entry)) throw new PluginError(`plugin ${spec}: its entry module ${entry} does not exist`);
      return pathToFileURL(entry).href;
    }
    return pathToFileURL(p).href;
  }
  // an npm package name, resolved from the working folder first, then from compat itself
  for (const from of [join(process.cwd(), 'noop.js'), join(baseDir, 'noop.js')]) {
    try {
      return pathToFileURL(createRequire(from).resolve(spec)).href;
    } catch { /* try next */ }
  }
  throw new PluginError(`plugin ${spec}: not a file and not an installed npm package`);
}

function validManifest(m: unknown): m is PluginManifest {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return typeof r.name === 'string' && typeof r.version === 'string' && typeof r.provides === 'object' && r.provides !== null;
}

export async function loadPlugin(spec: string, baseDir: string): Promise<LoadedPlugin> {
  const url = resolveSpec(spec, baseDir);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new PluginError(`plugin ${spec} failed to load: ${(e as Error).message.split('\n')[0]}`);
  }
  const src = (mod.manifest ? mod : (mod.default as Record<string, unknown> | undefined)) ?? {};
  const manifest = src.manifest;
  const module = src.module;
  if (!validManifest(manifest)) {
    throw new PluginError(`plugin ${spec} has no valid manifest (expected an export "manifest" with name, version and provides)`);
  }
  if (!(module instanceof ContainerModule) && !(typeof module === 'object' && module !== null && 'registry' in module)) {
    throw new PluginError(`plugin ${spec} (${manifest.name}) exports no inversify ContainerModule named "module"`);
  }
  return { spec, manifest, module: module as ContainerModule };
}
