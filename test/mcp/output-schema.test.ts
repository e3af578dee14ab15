import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactOutputSchema, type FieldType } from '../../src/mcp/output-schema.js';

const TARGET = { target: 'draft-2020-12' };

/** Values of every kind a field could hold, the awkward ones included. */
const SAMPLES: unknown[] = [
  'text', '', 0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, undefined,
  {}, { a: 1 }, new Date(0), new Map(), [], ['a', 'b'], ['a', 1], [{}], [{ a: 1 }, {}], [{}, null], [{}, []],
  // A hole reads as undefined.
  // eslint-disable-next-line no-sparse-arrays
  [, 'a'],
];

function verdict(schema: ReturnType<typeof compactOutputSchema>, value: unknown): boolean {
  const result = schema['~standard'].validate(value);
  assert.ok(!(result instanceof Promise), 'the check is synchronous');
  return result.issues === undefined;
}

describe('compact output schemas', () => {
  it('judge every value as zod does, field type by field type, required and optional', () => {
    const types: FieldType[] = ['string', 'number', 'boolean', 'object', 'string[]', 'object[]'];
    for (const type of types) {
      for (const optional of [false, true]) {
        const fieldType = (optional ? `${type}?` : type) as FieldType;
        const schema = compactOutputSchema({ field: fieldType, other: 'string' });
        for (const value of SAMPLES) {
          const record = { field: value, other: 'x', extra: value };
          assert.equal(verdict(schema, record), schema.safeParse(record).success, `${fieldType} with ${String(JSON.stringify(value))}`);
        }
        const missing = { other: 'x' };
        assert.equal(verdict(schema, missing), schema.safeParse(missing).success, `${fieldType} left out`);
        assert.equal(verdict(schema, missing), optional);
      }
    }
  });

  it('refuse what is not an object, as zod does', () => {
    const schema = compactOutputSchema({ name: 'string?' });
    for (const value of SAMPLES) assert.equal(verdict(schema, value), schema.safeParse(value).success, String(JSON.stringify(value)));
  });

  it('name the field that failed and hand back the value itself, not a copy', () => {
    const schema = compactOutputSchema({ query: 'string', hits: 'object[]' });
    const failed = schema['~standard'].validate({ query: 1, hits: [{}] });
    assert.ok(!(failed instanceof Promise) && failed.issues);
    assert.deepEqual(failed.issues.map((issue) => [issue.path, issue.message]), [[['query'], 'expected string, got number']]);
    const value = { query: 'q', hits: [{ id: 'c1' }] };
    const passed = schema['~standard'].validate(value);
    assert.ok(!(passed instanceof Promise) && passed.issues === undefined);
    assert.equal(passed.value, value);
  });

  it('keep the JSON Schema zod converts', () => {
    const schema = compactOutputSchema({ query: 'string', next_cursor: 'string?', hits: 'object[]' });
    const json = schema['~standard'].jsonSchema.output(TARGET);
    assert.deepEqual(json['required'], ['query', 'hits']);
    assert.deepEqual(Object.keys(json['properties'] as object), ['query', 'next_cursor', 'hits']);
  });
});
