#!/usr/bin/env node
// Thin launcher: the CLI itself is compiled TypeScript under dist/.
import('../dist/src/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`compat: internal error: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(70);
});
