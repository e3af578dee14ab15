import { z } from 'zod';
import { jsonSchemaOnce } from './json-schema-once.js';

/**
 * An output schema that states each field's type and nothing more. Hosts send the tool list to the
 * model on every turn, so its size is paid again and again; the fields' meaning is in the tool
 * descriptions and docs/mcp.md, and clients still validate every result against these types.
 * A `?` marks an optional field. Its JSON Schema is converted once (see json-schema-once.ts).
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'string[]' | 'object[]' | `${'string' | 'number' | 'boolean' | 'object' | 'string[]' | 'object[]'}?`;
type BaseType = Exclude<FieldType, `${string}?`>;

const TYPES = {
  string: () => z.string(),
  number: () => z.number(),
  boolean: () => z.boolean(),
  object: () => z.looseObject({}),
  'string[]': () => z.array(z.string()),
  'object[]': () => z.array(z.looseObject({})),
} as const;

/** The same judgement as TYPES' zod schemas (finite numbers, non-array objects), without copying the value. */
const IS: Record<BaseType, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  boolean: (value) => typeof value === 'boolean',
  object: (value) => isObject(value),
  'string[]': (value) => everyItem(value, (item) => typeof item === 'string'),
  'object[]': (value) => everyItem(value, isObject),
};

/** Every index of an array, holes included (`every` skips holes; zod reads them as undefined). */
function everyItem(value: unknown, is: (item: unknown) => boolean): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!is(value[i])) return false;
  return true;
}

export function compactOutputSchema(fields: Record<string, FieldType>) {
  const shape: Record<string, z.ZodType> = {};
  const checks: { name: string; type: BaseType; optional: boolean }[] = [];
  for (const [name, type] of Object.entries(fields)) {
    const optional = type.endsWith('?');
    const base = type.replace('?', '') as BaseType;
    shape[name] = optional ? TYPES[base]().optional() : TYPES[base]();
    checks.push({ name, type: base, optional });
  }
  const schema = jsonSchemaOnce(z.looseObject(shape));
  // The MCP SDK checks every tool result against its output schema. zod's check copies the result,
  // every hit included, to hand back a parsed value the SDK then ignores; this one only reads it.
  // zod itself (`parse`) is unchanged, and a test holds both to the same verdicts.
  const validate: (typeof schema)['~standard']['validate'] = (value) => {
    if (!isObject(value)) return { issues: [{ message: `expected an object, got ${kindOf(value)}`, path: [] }] };
    const record = value as Record<string, unknown>;
    const issues = checks
      .filter(({ name, type, optional }) => !(optional && record[name] === undefined) && !IS[type](record[name]))
      .map(({ name, type }) => ({ message: `expected ${type}, got ${kindOf(record[name])}`, path: [name] }));
    return issues.length > 0 ? { issues } : { value: record as z.output<typeof schema> };
  };
  schema['~standard'] = { ...schema['~standard'], validate };
  return schema;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
