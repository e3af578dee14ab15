import { LibraryError } from '../library/errors.js';

/**
 * Reads a multipart/form-data body into one value per field (text or File), refusing other
 * content types and repeated fields (except those named `repeatable`, which become arrays), so
 * that the form's schema sees exactly what was sent.
 */
export async function readForm(request: Request, repeatable: readonly string[] = []): Promise<Record<string, File | string | (File | string)[]>> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new LibraryError('unsupported_media_type', `expected a multipart/form-data body, got ${type ? `"${type.slice(0, 100)}"` : 'no Content-Type'}`,
      'Send the file as a form, e.g. curl -F file=@guide.pdf -F vendor=Cisco -F product=finesse -F version=12.5');
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new LibraryError('invalid_input', 'the multipart body could not be parsed', 'Check the boundary in Content-Type matches the body');
  }
  const fields: Record<string, File | string | (File | string)[]> = {};
  for (const [name, value] of form) {
    if (repeatable.includes(name)) {
      fields[name] = [...((fields[name] as (File | string)[] | undefined) ?? []), value];
      continue;
    }
    if (name in fields) throw new LibraryError('invalid_input', `form field "${name.slice(0, 100)}" is given more than once`);
    fields[name] = value;
  }
  return fields;
}

/** Reads an application/json body; anything else, or JSON that does not parse, is refused saying so. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new LibraryError('invalid_input', 'the request body is not valid JSON', 'Send a JSON object, e.g. {"kind": "add-url", "url": "https://…", "labels": {…}}');
  }
}
