/**
 * DocFX / Microsoft Learn Markdown extensions, rewritten to plain Markdown. Applied to prose lines
 * only (never inside code fences).
 */

/**
 * Microsoft's shared "token" includes hold a single product name. The converter sees one file, so
 * it cannot read them; these are the ones the IIS docs use. Unknown includes are dropped.
 */
const PRODUCT_NAME_INCLUDES: Readonly<Record<string, string>> = {
  'ado-whidbey-long': 'ADO.NET 2.0',
  dnprdnlong: '.NET Framework 2.0',
  dnprdnshort: '.NET Framework',
  iis70: 'IIS 7.0',
  iis75: 'IIS 7.5',
  iis80: 'IIS 8.0',
  iis85: 'IIS 8.5',
  iis100: 'IIS 10.0',
  iisexp75: 'IIS Express 7.5',
  iisexp80: 'IIS Express 8.0',
  iisexp100: 'IIS Express 10.0',
  iismgr: 'IIS Manager',
  iisver: 'IIS 7',
  vbprvb: 'Visual Basic',
  vsprvs: 'Visual Studio',
  vsprvslong: 'Visual Studio 2005',
  vstecado: 'ADO.NET',
  vstecasp: 'ASP.NET',
  vstecasplong: 'ASP.NET 2.0',
  win7: 'Windows 7',
  win8: 'Windows 8',
  win10: 'Windows 10',
  windowsver: 'Windows Vista',
  winsdklong: 'Windows Software Development Kit (SDK)',
  winsdkshort: 'Windows SDK',
  winsrv2008: 'Windows Server 2008',
  winsrv2008r2: 'Windows Server 2008 R2',
  winsrv2012: 'Windows Server 2012',
  winsrv2012r2: 'Windows Server 2012 R2',
  winsrv2016: 'Windows Server 2016',
  winvista: 'Windows Vista',
};

/** `[!INCLUDE[name](path)]`, also with a space before the bracket, or the malformed `[!INCLUDEname]`. */
const INCLUDE = /\[!INCLUDE\s*(?:\[([^\]]*)\]|([\w-]+))?\s*(?:\(([^)]*)\))?\]/gi;
/** `[!code-xml[Main](samples/sample1.xml)]`: a code sample kept in a separate file. */
const CODE_REFERENCE = /\[!code-[\w-]*\s*\[[^\]]*\]\s*\([^)]*\)\]/gi;
/** `> [!NOTE]` alert openers. */
const ALERT = /^(\s*(?:>\s*)+)\[!(NOTE|TIP|IMPORTANT|CAUTION|WARNING)\]\s*$/i;
/** `> [!div class="..."]`, `> [!VIDEO ...]`: layout and embeds with no text. */
const EMPTY_BLOCK_EXTENSION = /^\s*(?:>\s*)*\[!(?:div|VIDEO)\b[^\]]*\]\s*$/i;
/** `:::image ...:::` inline; `:::zone ...:::`, `:::row:::`, `:::image-end:::` lines. */
const TRIPLE_COLON_IMAGE = /:::image\b.*?:::/g;
const TRIPLE_COLON_LINE = /^\s*:::[\w-]+\b.*$/;

export interface DocfxResult {
  lines: string[];
  /** How many `[!code-...]` references pointed at sample files that could not be inlined. */
  droppedCodeSamples: number;
}

export function rewriteDocfx(lines: readonly string[]): DocfxResult {
  let droppedCodeSamples = 0;
  const output: string[] = [];
  for (const line of lines) {
    if (EMPTY_BLOCK_EXTENSION.test(line)) continue;
    const alert = ALERT.exec(line);
    if (alert) {
      const kind = alert[2] ?? 'note';
      output.push(`${alert[1] ?? '> '}**${kind.charAt(0).toUpperCase()}${kind.slice(1).toLowerCase()}:**`);
      continue;
    }
    const withoutSamples = line.replace(CODE_REFERENCE, () => {
      droppedCodeSamples++;
      return '';
    });
    const rewritten = withoutSamples.replace(TRIPLE_COLON_IMAGE, '').replace(INCLUDE, includeText);
    if (TRIPLE_COLON_LINE.test(rewritten)) continue;
    // A line that held only a sample reference or image disappears rather than leaving a blank.
    if (!rewritten.trim() && line.trim()) continue;
    output.push(rewritten);
  }
  return { lines: output, droppedCodeSamples };
}

function includeText(_match: string, name?: string, bareName?: string, path?: string): string {
  const fromName = (name ?? bareName)?.trim().toLowerCase();
  const fromPath = path?.split('/').pop()?.replace(/-md\.md$|\.md$/i, '').toLowerCase();
  return PRODUCT_NAME_INCLUDES[fromName ?? ''] ?? PRODUCT_NAME_INCLUDES[fromPath ?? ''] ?? '';
}
