/** Picks the converter for a file by its extension. */
import { convertHtml } from './html.js';
import { convertMarkdown } from './markdown.js';
import { convertText } from './text.js';
import { ConversionError, type ConvertedDocument, type ConvertInput, type Converter } from './types.js';
import { looksBinary } from './decode-text.js';
import { extensionOf, formatOf, SUPPORTED_EXTENSIONS, type SourceFormat } from './formats.js';

export { formatOf, SUPPORTED_EXTENSIONS, type SourceFormat } from './formats.js';

/**
 * PDF.js is loaded on the first PDF: loading it takes most of a second, which every converter start
 * paid before, also for a crawl of HTML pages or a folder of Markdown files that never needs it; and
 * its legacy build replaces the global JSON.parse and JSON.stringify with slower polyfills, which
 * every process importing the converters (the server's request thread among them) would pay on
 * every request (test/hardening/native-json.test.ts). Loading is the converter's start-up, not that
 * document's work, so its time is given back to the document's time limit.
 */
let pdfConverter: Promise<typeof import('./pdf.js')> | undefined;
const convertPdf: Converter = async (input) => {
  if (pdfConverter === undefined) {
    input.loading?.(true);
    pdfConverter = import('./pdf.js').catch((error: unknown) => {
      pdfConverter = undefined; // the next PDF tries again
      throw error;
    }).finally(() => input.loading?.(false));
  }
  const { convertPdf: convert } = await pdfConverter;
  return convert(input);
};

const CONVERTERS: Readonly<Record<SourceFormat, Converter>> = {
  pdf: convertPdf,
  html: convertHtml,
  markdown: convertMarkdown,
  text: convertText,
};

/**
 * Converts a file by its extension. Content is not sniffed: a `.pdf` that is not a PDF still goes
 * to the PDF converter, which reports that in its own error.
 */
export async function convertFile(input: ConvertInput): Promise<ConvertedDocument & { format: SourceFormat }> {
  const format = formatOf(input.fileName);
  if (!format) {
    const extension = extensionOf(input.fileName);
    throw new ConversionError(
      input.fileName,
      extension ? `unsupported file type "${extension}"` : 'unsupported file type (the name has no extension)',
      `Supported: ${SUPPORTED_EXTENSIONS.join(', ')}`,
    );
  }
  if (format !== 'pdf' && looksBinary(input.bytes)) {
    throw new ConversionError(
      input.fileName,
      'the file holds binary data, not text (it contains NUL bytes)',
      'Check that it really is the document its name says: a .md, .html or .txt file must be text.',
    );
  }
  try {
    const document = await CONVERTERS[format](input);
    return { ...document, format };
  } catch (error) {
    // The HTML and Markdown renderers recurse per nesting level; 50,000 nested <div>s overflow the stack.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new ConversionError(
        input.fileName,
        'the document is nested too deeply to convert (the converter ran out of stack space)',
        'Real documents are never nested this deeply: check the file, or simplify and re-export it.',
      );
    }
    throw error;
  }
}
