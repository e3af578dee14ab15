/** Choosing the document title from the PDF's metadata, its headings or its file name. */

// Titles that authoring tools write on their own: "Microsoft Word - x.docx", "untitled", a file name.
const TOOL_TITLE = /^(microsoft\s+\w+\s+-\s|untitled\b|slide\s*\d*$|title$|document\s*\d*$)/i;
const FILE_NAME_TITLE = /\.(docx?|pptx?|xlsx?|rtf|odt|indd|fm|book|pdf|txt|html?|qxp)$/i;

export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]+$/, '') || base;
}

function comparable(text: string): string {
  return text.toLowerCase().replace(/[\s_\-.]+/g, '');
}

/** The metadata title if it is a real title: not empty, not tool boilerplate, not the file name. */
export function usableMetadataTitle(title: unknown, fileName: string): string | undefined {
  if (typeof title !== 'string') return undefined;
  const cleaned = title.replace(/\s+/g, ' ').trim();
  if (cleaned === '' || !/\p{L}/u.test(cleaned)) return undefined;
  if (TOOL_TITLE.test(cleaned) || FILE_NAME_TITLE.test(cleaned)) return undefined;
  // Words joined by underscores are a file name, not a title someone wrote.
  if (/^\S+_\S+$/.test(cleaned)) return undefined;
  if (comparable(cleaned) === comparable(fileStem(fileName))) return undefined;
  return cleaned;
}

export function chooseTitle(metadataTitle: unknown, firstHeading: string | undefined, fileName: string): string {
  return usableMetadataTitle(metadataTitle, fileName) ?? firstHeading ?? fileStem(fileName);
}
