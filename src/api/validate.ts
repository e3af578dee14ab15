import type { z } from 'zod';
import { LibraryError } from '../library/errors.js';

export type InputPlace = 'path parameter' | 'query parameter' | 'form field';

/** Parses one input with its schema; the first problem becomes a 400 naming the input. */
export function parseInput<S extends z.ZodObject>(schema: S, value: Record<string, unknown>, place: InputPlace): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.map((key) => `"${key.slice(0, 100)}"`).join(', ');
    const accepted = Object.keys(schema.shape).join(', ') || '(none)';
    throw new LibraryError('invalid_input', `unknown ${place}${issue.keys.length > 1 ? 's' : ''} ${names}`, `Accepted: ${accepted}`);
  }
  throw new LibraryError('invalid_input', describeIssue(issue, value, place));
}

/** Parses a JSON body with its schema; the first problems become a 400 naming the fields. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k.slice(0, 100)}"`).join(', ')}${where ? ` in ${where}` : ''}`;
    return where ? `"${where}": ${issue.message}` : issue.message;
  });
  throw new LibraryError('invalid_input', `request body: ${problems.join('; ')}`);
}

function describeIssue(issue: z.core.$ZodIssue, value: Record<string, unknown>, place: InputPlace): string {
  const name = issue.path.map(String).join('.');
  if (!name) return `${place}s: ${issue.message}`;
  if (issue.code === 'invalid_type') {
    if (value[name] === undefined) return `${place} "${name}" is required`;
    if (issue.expected === 'number') return `${place} "${name}" must be a number`;
  }
  return `${place} "${name}": ${issue.message}`;
}
