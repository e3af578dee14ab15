import { z } from 'zod';
import { jsonSchemaOnce } from './json-schema-once.js';

/**
 * An output schema that states each field's type and nothing more. Hosts send the tool list to the
 * model on every turn, so its size is paid again and again; the fields' meaning is in the tool
 * descriptions and docs/mcp.md, and clients still validate every result against these types.
 * A `?` marks an optional field. Its JSON Schema is converted once (see json-schema-once.ts).
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'string[]' | 'object[]' | `${'string' | 'number' | 'boolean' | 'object' | 'string[]' | 'object[]'}?`;

const TYPES = {
  string: () => z.string(),
  number: () => z.number(),
  boolean: () => z.boolean(),
  object: () => z.looseObject({}),
  'string[]': () => z.array(z.string()),
  'object[]': () => z.array(z.looseObject({})),
} as const;

export function compactOutputSchema(fields: Record<string, FieldType>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, type] of Object.entries(fields)) {
    const optional = type.endsWith('?');
    const base = TYPES[type.replace('?', '') as keyof typeof TYPES]();
    shape[name] = optional ? base.optional() : base;
  }
  return jsonSchemaOnce(z.looseObject(shape));
}
