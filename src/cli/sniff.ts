/** `compat sniff`: what is this file, and could compat run it? */
import { createCompat } from '../container.js';
import { claimToJson, describeClaim } from '../exec/describe.js';
import { sniffFile } from '../exec/front-end.js';
import { writeAllSync } from '../kernel/log.js';
import { reportError } from './report.js';

export async function sniffCommand(files: string[], opts: { json: boolean; plugin: string[] }): Promise<number> {
  try {
    const compat = await createCompat(opts.plugin);
    const sniffers = compat.sniffers();
    let status = 0;
    const docs: unknown[] = [];
    for (const f of files) {
      const out = sniffFile(f, sniffers, { forExec: false });
      if (!out.ok) {
        status = Math.max(status, out.status === 127 ? 1 : 1);
        if (opts.json) docs.push({ path: f, error: out.message, status: out.status });
        else writeAllSync(1, `${f}: ${out.message}\n`);
        continue;
      }
      const coreAvailable = !!compat.core(out.claim.isa, out.claim.endian) && !!compat.personality(out.claim.personality)?.supports(out.claim.isa!);
      if (opts.json) docs.push(claimToJson(out.claim, { path: f, coreAvailable }));
      else writeAllSync(1, `${f}: ${describeClaim(out.claim, { coreAvailable })}\n`);
    }
    if (opts.json) writeAllSync(1, JSON.stringify(docs, null, 2) + '\n');
    return status;
  } catch (e) {
    return reportError(e);
  }
}
