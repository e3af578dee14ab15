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
 * Decodes `bytes`, trusting in order: a byte order mark, the NUL pattern of BOM-less UTF-16,
 * valid UTF-8, the declared charset, mostly-valid UTF-8, then windows-1252. Valid UTF-8 wins over
 * a declared charset because documentation sites often declare latin1 while serving UTF-8, and
 * latin1 text that happens to be valid UTF-8 is rare. Control characters (NUL and the like) are
 * dropped: they are never text, and a NUL must not reach the Markdown file.
 */
export function decodeText(bytes: Uint8Array, declaredCharset?: string): DecodedText {
  const decoded = decodeBytes(bytes, declaredCharset);
  return { ...decoded, text: decoded.text.replace(CONTROL_CHARACTERS, '') };
}

/** C0 controls and DEL except tab, line feed, form feed and carriage return, which converters read as layout. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

function decodeBytes(bytes: Uint8Array, declaredCharset?: string): DecodedText {
  const bom = BYTE_ORDER_MARKS.find((mark) => mark.bytes.every((byte, i) => bytes[i] === byte));
  if (bom) {
    return { text: new TextDecoder(bom.encoding).decode(bytes.subarray(bom.bytes.length)), encoding: bom.encoding };
  }
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) {
    return { text: new TextDecoder(utf16).decode(bytes), encoding: utf16, warning: `the file has no byte order mark but its bytes are ${utf16.toUpperCase()}; decoded it as such` };
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
  // UTF-8 with a few broken sequences (a bad paste, a damaged copy) keeps its good text: decoding
  // it all as windows-1252 would garble every accented letter to repair a handful of bytes.
  const lenient = new TextDecoder('utf-8').decode(bytes);
  const replaced = lenient.match(/\ufffd/g)?.length ?? 0;
  const wellFormed = lenient.match(/[^\u0000-\u007f\ufffd]/g)?.length ?? 0;
  if (wellFormed > replaced) {
    return {
      text: lenient,
      encoding: 'utf-8',
      warning: `${replaced} byte sequence${replaced === 1 ? ' is' : 's are'} not valid UTF-8 and ${replaced === 1 ? 'was' : 'were'} replaced with \ufffd`,
    };
  }
  return {
    text: decodeWindows1252(bytes),
    encoding: 'windows-1252',
    warning: 'the file is not valid UTF-8; decoded it as windows-1252 (Latin-1)',
  };
}

/**
 * UTF-16 written without a byte order mark: mostly-Latin text then has a NUL in nearly every
 * other byte, which no 8-bit encoding produces.
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const sample = bytes.subarray(0, 4096 - (Math.min(bytes.length, 4096) % 2));
  if (sample.length < 4) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? evenNuls++ : oddNuls++;
  const half = sample.length / 2;
  if (oddNuls > half * 0.4 && evenNuls < half * 0.05) return 'utf-16le';
  if (evenNuls > half * 0.4 && oddNuls < half * 0.05) return 'utf-16be';
  return undefined;
}

/**
 * True when the bytes are binary data rather than text in any encoding this module reads: NUL
 * bytes that are not the pattern of UTF-16.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const hasBom = BYTE_ORDER_MARKS.some((mark) => mark.bytes.every((byte, i) => bytes[i] === byte));
  if (hasBom || utf16WithoutBom(bytes)) return false;
  const sample = bytes.subarray(0, 65_536);
  let nuls = 0;
  for (const byte of sample) if (byte === 0) nuls++;
  return nuls > 0 && nuls >= sample.length * 0.01;
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
