// The C test programs built for x86-64 (scripts/build-x86-fixtures.sh) under
// compat exec, compared with the same static binaries run directly on this
// x86-64 host (the kernel's and the CPU's own answer) or, elsewhere, with the
// recordings of such runs: the MIPS programs suite (test/integration/mips-programs.ts)
// with the x86_64 cases (test/fixtures/expected/x86_64/prog/cases.json).
import { mipsProgramsSuite } from './mips-programs.js';

mipsProgramsSuite('x86_64');
