// The MIPS o32 programs for mips under compat exec: test/integration/mips-programs.ts.
import { mipsProgramsSuite } from './mips-programs.js';

mipsProgramsSuite('mips');
