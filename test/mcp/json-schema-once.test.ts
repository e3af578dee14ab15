import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { jsonSchemaOnce } from '../../src/mcp/json-schema-once.js';

const shape = () => z.object({ query: z.string().min(1).describe('what to find'), limit: z.number().int().default(5) });
const TARGET = { target: 'draft-2020-12' };

describe('tool schemas converted to JSON Schema once', () => {
  it('give the JSON Schema zod gives, for input and output', () => {
    const schema = jsonSchemaOnce(shape());
    for (const io of ['input', 'output'] as const) {
      assert.deepEqual(schema['~standard'].jsonSchema[io](TARGET), shape()['~standard'].jsonSchema[io](TARGET), io);
    }
  });

  it('convert once per direction and target, and hand out a frozen result', () => {
    const schema = jsonSchemaOnce(shape());
    const first = schema['~standard'].jsonSchema.input(TARGET);
    assert.equal(schema['~standard'].jsonSchema.input(TARGET), first);
    assert.notEqual(schema['~standard'].jsonSchema.output(TARGET), first, 'output differs (the default makes limit required)');
    assert.notDeepEqual(schema['~standard'].jsonSchema.input({ target: 'draft-07' }), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first['properties']));
    assert.throws(() => {
      (first['properties'] as Record<string, unknown>)['query'] = {};
    }, TypeError);
  });

  it('still validate with zod, defaults and errors included', async () => {
    const schema = jsonSchemaOnce(shape());
    assert.deepEqual(await schema['~standard'].validate({ query: 'x' }), { value: { query: 'x', limit: 5 } });
    const refused = await schema['~standard'].validate({ query: '' });
    assert.ok('issues' in refused && refused.issues !== undefined && refused.issues.length === 1);
    assert.deepEqual(schema.parse({ query: 'y', limit: 2 }), { query: 'y', limit: 2 });
  });
});
