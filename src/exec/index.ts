/** The exec front-end's public surface. */
export { ExecFormatError } from './errors.js';
export {
  parseElf, tryParseElf, isElf, findDynamicSymbol, readDynamicSymbolU32, readVirtual, vaddrToOffset, elfKind,
  type ElfInfo, type ElfProgramHeader, type ElfSection, type ElfNote, type ElfAbiTag, type ElfDynamic, type ElfLinkage,
  type ElfSymbol, type ElfFlagsInfo, type MipsAbiFlags,
} from './elf.js';
export { elfBrand, haikuMarkers, isLinuxInterp, LINUX_INTERP, HAIKU_ABI_SYMBOL, HAIKU_VERSION_SYMBOL, type ElfBrand, type HaikuMarkers } from './elf-brand.js';
export { elfClaim, elfAbiDetails } from './elf-claim.js';
export { genericElfSniffer, GENERIC_ELF_CONFIDENCE } from './elf-sniffer.js';
export { parseShebang, resolveScript, scriptSniffer, MAX_INTERPRETER_DEPTH, SHEBANG_BUF_SIZE, type Shebang, type ScriptResolution } from './script.js';
export { parsePef, isPef, pefSniffer, type PefInfo, type PefSection } from './pef.js';
export { identifyFormat } from './formats.js';
export { sniffInputFromBytes } from './input.js';
export {
  sniffFile, sniffInput, resolveExec, builtinSniffers, HEAD_SIZE, type SniffOutcome, type SniffOptions, type ExecResolution,
} from './front-end.js';
export { describeClaim, describeClaimShort, claimToJson, personalityDisplayName, type ClaimJson, type DescribeOptions } from './describe.js';
