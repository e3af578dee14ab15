/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas. Response shapes
 * are named components; parameters and the upload form are described as clients send them.
 */

import { z } from 'zod';
import { packageVersion } from '../version.js';
import { STATUS_DESCRIPTIONS } from '../http/error-envelope.js';
import type { ApiRoute, ResponseSpec, RouteTag } from './route.js';
import { ErrorResponse, responseSchemas } from '../present/schemas.js';

type JsonObject = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';

const TAG_DESCRIPTIONS: Readonly<Record<RouteTag, string>> = {
  search: 'Ranked, page-aware search across vendors, products and versions',
  documents: 'Reading documents: metadata, pages, text windows and chunks',
  library: 'The library as a browsable tree',
  ingestion: 'Adding and removing documents, and the jobs that ingest them (bearer token required)',
  server: 'Status and this description',
};

type OpenApiBody = {
  openapi: string;
  info: { title: string; version: string; description: string };
  tags: JsonObject[];
  paths: Record<string, Record<string, JsonObject>>;
  components: JsonObject;
};

/** Built once per route table (it takes milliseconds); only the server URL differs per request. */
const built = new WeakMap<readonly ApiRoute[], OpenApiBody>();

export function openApiDocument(routes: readonly ApiRoute[], baseUrl: string): OpenApiBody & { servers: { url: string }[] } {
  let document = built.get(routes);
  if (!document) built.set(routes, (document = buildDocument(routes)));
  const { openapi, info, ...rest } = document;
  return { openapi, info, servers: [{ url: `${baseUrl}/api` }], ...rest };
}

function buildDocument(routes: readonly ApiRoute[]): OpenApiBody {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'McDewey REST API',
      version: packageVersion(),
      description:
        'Search and read a multi-vendor documentation library: page-aware hits with stable chunk ids and links into the web UI. ' +
        'Errors are always JSON: {"error": {"code", "message", "hint"}}. Ids contain "::"; percent-encode them in paths.',
    },
    tags: Object.entries(TAG_DESCRIPTIONS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token the server was started with (--token / MCDEWEY_TOKEN)' } },
    },
  };
}

function operation(route: ApiRoute): JsonObject {
  const parameters = [
    ...(route.params ? parametersOf(route.params, 'path') : []),
    ...(route.query ? parametersOf(route.query, 'query') : []),
  ];
  const responses: Record<string, JsonObject> = {
    [String(route.response.status ?? 200)]: route.events ? eventResponse(route.response) : jsonResponse(route.response),
  };
  for (const [status, spec] of Object.entries(route.otherResponses ?? {})) responses[status] = jsonResponse(spec);
  for (const status of route.errors) responses[String(status)] = jsonResponse({ description: STATUS_DESCRIPTIONS[status], schema: ErrorResponse });
  responses['500'] = jsonResponse({ description: STATUS_DESCRIPTIONS[500], schema: ErrorResponse });
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.auth ? { security: [{ bearer: [] }] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.form || route.json
      ? {
          requestBody: {
            required: true,
            content: {
              ...(route.json ? { 'application/json': { schema: stripDialect(z.toJSONSchema(route.json.schema, { io: 'input', unrepresentable: 'any' })) } } : {}),
              ...(route.form ? { 'multipart/form-data': { schema: stripDialect(z.toJSONSchema(route.form.schema, { io: 'input' })) } } : {}),
            },
          },
        }
      : {}),
    responses,
  };
}

/** Each property of a params or query schema becomes one parameter, with its own JSON Schema. */
function parametersOf(schema: z.ZodObject, location: 'path' | 'query'): JsonObject[] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (json.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function jsonResponse(spec: ResponseSpec): JsonObject {
  return { description: spec.description, content: { 'application/json': { schema: { $ref: componentRef(spec.schema) } } } };
}

/**
 * A stream of server-sent events: OpenAPI 3.1 cannot give each event's data a schema, so the
 * description says it and `x-event-data` points at the component it follows.
 */
function eventResponse(spec: ResponseSpec): JsonObject {
  return {
    description: spec.description,
    content: { 'text/event-stream': { schema: { type: 'string' }, 'x-event-data': { $ref: componentRef(spec.schema) } } },
  };
}

function componentRef(schema: z.ZodType): string {
  const id = responseSchemas.get(schema)?.id;
  if (!id) throw new Error('every response schema must be registered in responseSchemas with an id');
  return `${COMPONENT_PREFIX}${id}`;
}

function componentSchemas(): Record<string, JsonObject> {
  const { schemas } = z.toJSONSchema(responseSchemas, { uri: (id) => `${COMPONENT_PREFIX}${id}` }) as { schemas: Record<string, JsonObject> };
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, stripDialect(schema)]));
}

/** `$schema`/`$id` are implied by the document (OpenAPI 3.1 uses JSON Schema 2020-12). */
function stripDialect(schema: JsonObject): JsonObject {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}
