/** Turns the raw bytes of a text-like source (HTML, Markdown, plain text) into a string. */
import { TextDecoder } from 'node:util';

export interface DecodedText {
  text: string;
  /** WHATWG encoding name actually used, e.g. "utf-8" or "windows-1252". */
  encoding: string;
  /** Set when the bytes were not valid UTF-8 and no usable charset was declared. */
  warning?: string;
}

const BYTE_ORDER_MARKS: ReadonlyArray<{ bytes: readonly number[]; encoding: string }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/**
 * Decodes `bytes`, trusting in order: a byte order mark, valid UTF-8, the declared charset,
 * then windows-1252. Valid UTF-8 wins over a declared charset because documentation sites often
 * declare latin1 while serving UTF-8, and latin1 text that happens to be valid UTF-8 is rare.
 */
export function decodeText(bytes: Uint8Array, declaredCharset?: string): DecodedText {
  const bom = BYTE_ORDER_MARKS.find((mark) => mark.bytes.every((byte, i) => bytes[i] === byte));
  if (bom) {
    return { text: new TextDecoder(bom.encoding).decode(bytes.subarray(bom.bytes.length)), encoding: bom.encoding };
  }

  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: fall through to the declared charset or the usual legacy default.
  }

  const declared = declaredCharset ? decoderFor(declaredCharset) : undefined;
  if (declared?.encoding === 'windows-1252') {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
  if (declared && declared.encoding !== 'utf-8') {
    return { text: declared.decode(bytes), encoding: declared.encoding };
  }
  return {
    text: decodeWindows1252(bytes),
    encoding: 'windows-1252',
    warning: 'the file is not valid UTF-8; decoded it as windows-1252 (Latin-1)',
  };
}

/** What windows-1252 puts at 0x80–0x9F; the other bytes equal their Unicode code points. */
const WINDOWS_1252_HIGH_CONTROLS =
  '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Node's TextDecoder treats windows-1252 as ISO-8859-1 (0x80–0x9F come out as C1 controls), which
 * would lose the curly quotes and dashes legacy pages are full of, so the mapping is done here.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('latin1')
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH_CONTROLS[c.charCodeAt(0) - 0x80] ?? c);
}

function decoderFor(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return undefined;
  }
}
