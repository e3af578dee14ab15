/**
 * URL globs for include/exclude options. A pattern is matched against the URL's path
 * (`/docs/guide/intro.html`), or against the whole URL when it starts with `http://` or
 * `https://`. `*` matches within one path segment, `**` across segments, `?` one character,
 * `{a,b}` either alternative. A pattern that starts with neither `/` nor a scheme may match at
 * any depth: `*.pdf` is `**\/*.pdf`.
 */
export interface UrlGlob {
  pattern: string;
  matches(url: URL): boolean;
}

export function compileGlob(pattern: string): UrlGlob {
  const trimmed = pattern.trim();
  if (!trimmed) throw new Error('an empty pattern matches nothing; remove it');
  const whole = /^https?:\/\//i.test(trimmed);
  const source = whole || trimmed.startsWith('/') ? trimmed : `**/${trimmed}`;
  const regex = new RegExp(`^${translate(source, pattern)}$`, whole ? 'i' : '');
  return {
    pattern: trimmed,
    matches: (url) => regex.test(whole ? url.href : decodePath(url.pathname)),
  };
}

function translate(glob: string, original: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (char === '?') out += '[^/]';
    else if (char === '{') {
      braces += 1;
      out += '(?:';
    } else if (char === '}' && braces > 0) {
      braces -= 1;
      out += ')';
    } else if (char === ',' && braces > 0) out += '|';
    else out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  if (braces > 0) throw new Error(`"${original}" has an unclosed "{"`);
  return out;
}

/** Paths are compared decoded, so `/docs/my guide.html` matches a URL spelled `my%20guide.html`. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
