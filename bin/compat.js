#!/usr/bin/env node
// Thin launcher: the CLI itself is compiled TypeScript under dist/.
// compat exits as soon as the command is done: guest threads still blocked in
// a wait (other threads of a process that called exit_group) must not keep it alive.
import('../dist/src/cli/main.js')
  .then((m) => m.main(process.argv))
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err) => {
    process.stderr.write(`compat: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(70);
  });
