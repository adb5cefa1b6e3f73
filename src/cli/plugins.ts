/** `compat plugins list`: the loaded plugins and what each provides. */
import { createCompat } from '../container.js';
import { writeAllSync } from '../kernel/log.js';
import { reportError } from './report.js';

export async function pluginsListCommand(opts: { plugin: string[]; json: boolean }): Promise<number> {
  try {
    const compat = await createCompat(opts.plugin);
    if (opts.json) {
      writeAllSync(1, JSON.stringify(compat.plugins.map((p) => ({ spec: p.spec, ...p.manifest })), null, 2) + '\n');
      return 0;
    }
    for (const p of compat.plugins) {
      const m = p.manifest;
      const provides = Object.entries(m.provides)
        .filter(([, v]) => Array.isArray(v) && v.length)
        .map(([k, v]) => `${k}: ${(v as string[]).join(', ')}`)
        .join('; ');
      writeAllSync(1, `${m.name} ${m.version} — ${provides}${m.description ? `\n    ${m.description}` : ''}\n`);
    }
    return 0;
  } catch (e) {
    return reportError(e);
  }
}
