import { LibraryError } from '../library/errors.js';

/**
 * Reads a multipart/form-data body into one value per field (text or File), refusing other
 * content types and repeated fields, so that the form's schema sees exactly what was sent.
 */
export async function readForm(request: Request): Promise<Record<string, File | string>> {
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
  const fields: Record<string, File | string> = {};
  for (const [name, value] of form) {
    if (name in fields) throw new LibraryError('invalid_input', `form field "${name.slice(0, 100)}" is given more than once`);
    fields[name] = value;
  }
  return fields;
}
