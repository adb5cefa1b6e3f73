/**
 * PEF containers ("Joy!peff"), the Code Fragment Manager format of classic
 * Mac OS and BeOS for PowerPC. All fields are big-endian. We read the
 * container header, the section headers, and the loader section's imported
 * library names (libroot.so/libbe.so say BeOS; InterfaceLib/CarbonLib say Mac OS).
 */
import type { Claim, SniffInput, Sniffer } from '../plugin/contracts.js';
import { ExecFormatError } from './errors.js';
import { ascii, readExact, readSome, view } from './input.js';

export interface PefSection {
  index: number;
  kind: number;
  kindName: string;
  defaultAddress: number;
  totalSize: number;
  unpackedSize: number;
  packedSize: number;
  containerOffset: number;
}

export interface PefInfo {
  architecture: 'pwpc' | 'm68k';
  formatVersion: number;
  sectionCount: number;
  instSectionCount: number;
  sections: PefSection[];
  importedLibraries: string[];
  /** 'beos' | 'macos' | null (unknown) — judged from the imported libraries. */
  os: 'beos' | 'macos' | null;
}

const KINDS = ['code', 'unpacked data', 'pattern-initialized data', 'constant', 'loader', 'debug', 'executable data', 'exception', 'traceback'];

export function isPef(head: Uint8Array): boolean {
  return ascii(head, 0, 8) === 'Joy!peff';
}

export function parsePef(input: SniffInput): PefInfo {
  const size = input.size;
  if (size < 40) throw new ExecFormatError(`PEF container header is truncated: it needs 40 bytes but the file has ${size}`);
  const h = readExact(input, 0, 40, 'PEF container header');
  if (ascii(h, 0, 8) !== 'Joy!peff') throw new ExecFormatError('file does not start with the PEF tags Joy!peff');
  const arch = ascii(h, 8, 4);
  if (arch !== 'pwpc' && arch !== 'm68k') throw new ExecFormatError(`PEF architecture tag is "${arch}", expected "pwpc" or "m68k"`);
  const dv = view(h);
  const formatVersion = dv.getUint32(12);
  const sectionCount = dv.getUint16(32);
  const instSectionCount = dv.getUint16(34);
  if (formatVersion !== 1) throw new ExecFormatError(`PEF format version is ${formatVersion}, expected 1`);
  if (40 + sectionCount * 28 > size) {
    throw new ExecFormatError(`PEF section headers (${sectionCount} of 28 bytes) extend past the end of the ${size}-byte file`);
  }
  const sv = view(readExact(input, 40, sectionCount * 28, 'PEF section headers'));
  const sections: PefSection[] = [];
  for (let i = 0; i < sectionCount; i++) {
    const o = i * 28;
    const s: PefSection = {
      index: i, defaultAddress: sv.getUint32(o + 4), totalSize: sv.getUint32(o + 8), unpackedSize: sv.getUint32(o + 12),
      packedSize: sv.getUint32(o + 16), containerOffset: sv.getUint32(o + 20), kind: sv.getUint8(o + 24), kindName: '',
    };
    s.kindName = KINDS[s.kind] ?? `kind ${s.kind}`;
    if (s.containerOffset + s.packedSize > size) {
      throw new ExecFormatError(`PEF section ${i} (${s.kindName}, offset ${s.containerOffset}, ${s.packedSize} bytes) extends past the end of the ${size}-byte file`);
    }
    sections.push(s);
  }
  const importedLibraries: string[] = [];
  const loader = sections.find((s) => s.kind === 4);
  if (loader && loader.packedSize >= 56) {
    const lv = view(readExact(input, loader.containerOffset, 56, 'PEF loader info header'));
    const libCount = lv.getUint32(24);
    const stringsOff = lv.getUint32(40);
    if (56 + libCount * 24 > loader.packedSize || stringsOff > loader.packedSize) {
      throw new ExecFormatError(`PEF loader section claims ${libCount} imported libraries, more than its ${loader.packedSize} bytes hold`);
    }
    const tv = view(readExact(input, loader.containerOffset + 56, libCount * 24, 'PEF imported library table'));
    for (let i = 0; i < Math.min(libCount, 256); i++) {
      const nameOff = tv.getUint32(i * 24);
      const at = loader.containerOffset + stringsOff + nameOff;
      const end = loader.containerOffset + loader.packedSize;
      if (stringsOff + nameOff >= loader.packedSize) throw new ExecFormatError(`PEF imported library ${i}'s name lies outside the loader section`);
      const b = readSome(input, at, Math.min(256, end - at));
      const z = b.indexOf(0);
      if (z < 0) throw new ExecFormatError(`PEF imported library ${i}'s name is not NUL-terminated`);
      importedLibraries.push(ascii(b, 0, z));
    }
  }
  const beos = importedLibraries.some((n) => /^lib(root|be|net|game|media|device|tracker|textencoding)\b/.test(n));
  const mac = importedLibraries.some((n) => /^(InterfaceLib|CarbonLib|MathLib|StdCLib|PPCToolbox|ObjectSupportLib|AppearanceLib|NavigationLib|ControlsLib|WindowsLib|MenusLib|QuickTimeLib)$/.test(n));
  return {
    architecture: arch, formatVersion, sectionCount, instSectionCount, sections, importedLibraries,
    os: beos ? 'beos' : mac ? 'macos' : null,
  };
}

/** Recognizes PEF; the claim names 'beos' as the candidate personality (no PowerPC core yet). */
export const pefSniffer: Sniffer = {
  name: 'pef',
  sniff(input: SniffInput): Claim | null {
    if (!isPef(input.head)) return null;
    let info: PefInfo;
    try {
      info = parsePef(input);
    } catch {
      return null;
    }
    const ppc = info.architecture === 'pwpc';
    return {
      format: 'PEF',
      isa: ppc ? 'ppc' : 'm68k',
      machineName: ppc ? 'PowerPC' : 'Motorola 68000',
      endian: 'big',
      wordSize: 32,
      personality: info.os === 'macos' ? 'macos' : 'beos',
      abi: {
        os: info.os === 'macos' ? 'classic Mac OS' : info.os === 'beos' ? 'BeOS' : 'BeOS or classic Mac OS',
        sections: info.sections.map((s) => s.kindName),
        needed: info.importedLibraries,
        recognizedOnly: true,
      },
      confidence: 20,
    };
  },
};
