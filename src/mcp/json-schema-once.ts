import type { z } from 'zod';

type Io = 'input' | 'output';
type JsonSchema = Record<string, unknown>;
interface ConversionOptions { readonly target: string; readonly libraryOptions?: Record<string, unknown> }

/**
 * Makes a tool schema convert itself to JSON Schema once per process. The MCP SDK converts a tool's
 * input schema (to check `Mcp-Param` headers) and its output schema (to shape the result) for every
 * McpServer, and /mcp builds one for every 2025-era request and whenever its pool of built servers
 * is empty (see server-pool.ts): two zod-to-JSON-Schema conversions on such a tools/call. The
 * schema is a tool's constant, so its JSON Schema is too; it is frozen so that no caller can change
 * what the next request gets.
 */
export function jsonSchemaOnce<S extends z.ZodType>(schema: S): S {
  const standard = schema['~standard'];
  const convert = standard.jsonSchema;
  const converted = new Map<string, JsonSchema>();
  const once = (io: Io) => (options: ConversionOptions): JsonSchema => {
    if (options.libraryOptions !== undefined) return convert[io](options);
    const key = `${io} ${options.target}`;
    let json = converted.get(key);
    if (json === undefined) {
      json = deepFreeze(convert[io](options));
      converted.set(key, json);
    }
    return json;
  };
  // zod takes a replacement `~standard` through its setter; validation stays zod's own.
  schema['~standard'] = { ...standard, jsonSchema: { input: once('input'), output: once('output') } };
  return schema;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
