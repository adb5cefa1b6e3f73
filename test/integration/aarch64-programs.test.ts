// The C test programs built for AArch64 (scripts/build-aarch64-fixtures.sh) under
// compat exec, compared with live qemu-aarch64 or its recordings: the MIPS
// programs suite (test/integration/mips-programs.ts) with the aarch64 cases
// (test/fixtures/expected/aarch64/prog/cases.json).
import { mipsProgramsSuite } from './mips-programs.js';

mipsProgramsSuite('aarch64');
