/**
 * One REST route, described completely enough that both the Hono router and the OpenAPI
 * document are built from it: inputs are zod schemas, the handler gets them parsed and typed.
 */

import type { z } from 'zod';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ServerContext } from '../http/context.js';
import type { ErrorStatus } from '../http/error-envelope.js';

export type HttpMethod = 'get' | 'post' | 'delete';
export type RouteTag = 'search' | 'documents' | 'library' | 'ingestion' | 'server';

/** A handler's answer when the status depends on the outcome (e.g. 201 added, 200 unchanged). */
export class Reply {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly body: unknown,
  ) {}
}

export interface ResponseSpec {
  description: string;
  schema: z.ZodType;
}

export interface RouteSpec<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodObject, R extends z.ZodType, J extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  /** OpenAPI path template below /api, e.g. `/documents/{docId}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: RouteTag;
  /** Requires `Authorization: Bearer <token>`. */
  auth?: boolean;
  params?: P;
  query?: Q;
  /**
   * A multipart/form-data body, parsed into the schema's fields (files stay File objects). Fields
   * named in `repeatable` may be sent more than once and arrive as arrays.
   */
  form?: { schema: B; maxBytes: number; repeatable?: readonly string[] };
  /** An application/json body. A route with both a form and a JSON body reads the one its Content-Type names. */
  json?: { schema: J; maxBytes: number };
  response: ResponseSpec & { status?: 200 | 201 | 202; schema: R };
  /** Answers with a stream of server-sent events (the handler returns the Response); `response.schema` is each event's data. */
  events?: boolean;
  /** Further non-error responses, by status. */
  otherResponses?: Readonly<Record<number, ResponseSpec>>;
  errors: readonly ErrorStatus[];
  handle(input: {
    params: z.output<P>;
    query: z.output<Q>;
    /** The form's fields, when the body was a form. */
    form: z.output<B>;
    /** The JSON body, when the body was JSON. */
    json: z.output<J> | undefined;
    ctx: ServerContext;
    request: Request;
    /** Aborted when the client disconnects: long work (a search) stops. */
    signal: AbortSignal;
  }): z.input<R> | Reply | Response | Promise<z.input<R> | Reply | Response>;
}

export type ApiRoute = RouteSpec<z.ZodObject, z.ZodObject, z.ZodObject, z.ZodType, z.ZodType>;

type NoInput = z.ZodObject<{}>;

/** Keeps each route's handler typed by its own schemas while the table holds them all. */
export function defineRoute<P extends z.ZodObject = NoInput, Q extends z.ZodObject = NoInput, B extends z.ZodObject = NoInput, R extends z.ZodType = z.ZodType, J extends z.ZodType = z.ZodType>(
  spec: RouteSpec<P, Q, B, R, J>,
): ApiRoute {
  return spec as unknown as ApiRoute;
}

/** `/documents/{docId}` → `/documents/:docId` */
export function honoPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, ':$1');
}

/** Matches a concrete path against a template, for telling 404 from 405. */
export function pathMatches(template: string, path: string): boolean {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}
