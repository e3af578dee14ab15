import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/**
 * Builds small, valid (or deliberately broken) PDFs byte by byte for the hardening tests:
 * text pages in Helvetica, image-only and vector-only pages, RC4 password protection (the
 * approach of test/ingest/convert/pdf.test.ts), Flate-compressed streams and arbitrary objects.
 */
export interface PdfPage {
  /** The page's content stream (PDF operators). */
  content: string | Uint8Array;
  /** Compress the content stream with FlateDecode. */
  compress?: boolean;
  /** Width and height in points (default US Letter). */
  size?: [number, number];
  /** Extra entries for the page's /Resources dictionary, e.g. `/XObject << /Im1 9 0 R >>`. */
  resources?: string;
}

export interface PdfOptions {
  /** Objects appended after the pages, numbered from `firstExtraObject(pageCount)`. */
  extraObjects?: (string | Uint8Array)[];
  encrypt?: { o: string; u: string; id: string };
  /** Replaces the page tree's /Kids array (e.g. to make it refer to itself). */
  kids?: string;
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** Object number of the first of `extraObjects` for a document with `pageCount` pages. */
export function firstExtraObject(pageCount: number): number {
  return 4 + pageCount * 2;
}

/** A stream object: dictionary entries plus data (compressed when asked). */
export function streamObject(data: string | Uint8Array, options: { dictionary?: string; compress?: boolean } = {}): Uint8Array {
  const raw = typeof data === 'string' ? latin1(data) : Buffer.from(data);
  const body = options.compress ? deflateSync(raw) : raw;
  const filter = options.compress ? ' /Filter /FlateDecode' : '';
  return Buffer.concat([latin1(`<< /Length ${body.length}${filter}${options.dictionary ? ` ${options.dictionary}` : ''} >>\nstream\n`), body, latin1('\nendstream')]);
}

export function buildPdf(pages: PdfPage[], options: PdfOptions = {}): Uint8Array {
  const objects: (string | Uint8Array)[] = [];
  const pageIds = pages.map((_, i) => 4 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${options.kids ?? pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  pages.forEach((page, i) => {
    const [width, height] = page.size ?? [612, 792];
    const id = pageIds[i]!;
    objects[id] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /Font << /F1 3 0 R >> ${page.resources ?? ''} >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = streamObject(page.content, { compress: page.compress ?? false });
  });
  for (const extra of options.extraObjects ?? []) objects.push(extra);
  let encryptRef = '';
  if (options.encrypt) {
    const id = objects.length;
    objects[id] = `<< /Filter /Standard /V 1 /R 2 /O <${options.encrypt.o}> /U <${options.encrypt.u}> /P -4 >>`;
    encryptRef = ` /Encrypt ${id} 0 R /ID [<${options.encrypt.id}> <${options.encrypt.id}>]`;
  }
  const parts: Buffer[] = [latin1('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')];
  let length = parts[0]!.length;
  const push = (part: Buffer) => {
    parts.push(part);
    length += part.length;
  };
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = length;
    const object = objects[id]!;
    push(Buffer.concat([latin1(`${id} 0 obj\n`), typeof object === 'string' ? latin1(object) : Buffer.from(object), latin1('\nendobj\n')]));
  }
  const xref = length;
  let table = `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) table += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  table += `trailer\n<< /Size ${objects.length} /Root 1 0 R${encryptRef} >>\nstartxref\n${xref}\n%%EOF\n`;
  push(latin1(table));
  return new Uint8Array(Buffer.concat(parts));
}

/** Lines of 12-point Helvetica text, `spacing` points apart, from the top of a Letter page. */
export function textContent(lines: string[], spacing = 16, top = 740): string {
  const shown = lines.map((text, i) => `1 0 0 1 72 ${top - i * spacing} Tm (${text.replace(/[()\\]/g, '\\$&')}) Tj`);
  return `BT /F1 12 Tf ${shown.join(' ')} ET`;
}

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

/** /O, /U and /ID for the standard security handler, revision 2, with a user password. */
export function rc4Encryption(userPassword: string, ownerPassword: string): { o: string; u: string; id: string } {
  const padding = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');
  const pad = (password: string) => Buffer.concat([Buffer.from(password, 'latin1'), padding]).subarray(0, 32);
  const md5 = (...chunks: Uint8Array[]) => createHash('md5').update(Buffer.concat(chunks)).digest();
  const o = rc4(md5(pad(ownerPassword)).subarray(0, 5), pad(userPassword));
  const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(-4);
  const key = md5(pad(userPassword), o, permissions, id).subarray(0, 5);
  const u = rc4(key, padding);
  return { o: Buffer.from(o).toString('hex'), u: Buffer.from(u).toString('hex'), id: id.toString('hex') };
}
