/**
 * The one error type the exec front-end's parsers throw: a malformed or
 * unsupported executable image. The message is one sentence saying what was
 * seen; `compat exec` turns it into exit status 126.
 */
export class ExecFormatError extends Error {
  override readonly name = 'ExecFormatError';
  constructor(message: string) {
    super(oneLine(message));
  }
}

/** Keeps user-facing text to one line of bounded length. */
export function oneLine(text: string, max = 280): string {
  let s = text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '?');
  if (s.length > max) s = s.slice(0, max - 1) + '…';
  return s;
}

export function hex(n: number | bigint): string {
  return '0x' + n.toString(16);
}
