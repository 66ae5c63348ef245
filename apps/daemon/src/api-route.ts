import type { FilePolicy } from '@alto/orchestrator';
import type { HttpBindings } from '@hono/node-server';
import { createRoute, type RouteConfig, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ErrorBody, IdentityParams } from './api-schemas.js';
import { ApiError } from './errors.js';
import { describe, readJsonBody } from './http-io.js';
import type { DaemonMetrics } from './metrics.js';
import type { EventStreamHub } from './sse.js';
import type { ClientSupervisor } from './supervisor.js';

/** Lists the machine's audio devices (the orchestrator's `listDevices`). */
export type ListDevices = () => Promise<readonly object[]>;

/** What route handlers work with. */
export interface RouteContext {
  readonly supervisor: ClientSupervisor;
  readonly listDevices: ListDevices;
  readonly metrics: DaemonMetrics;
  readonly events: EventStreamHub;
  readonly startedAt: number;
  readonly version: string;
  /** What API clients may make the daemon write and read (current after reloads). */
  readonly filePolicy: () => FilePolicy;
}

/** The Hono environment of the API: Node's request and response are at hand (SSE writes to the latter). */
export interface ApiEnv {
  Bindings: HttpBindings;
  Variables: { route: string };
}

/** One request being handled, its body and path parameters already validated. */
export interface RouteRequest<Body> {
  readonly c: Context<ApiEnv>;
  readonly ctx: RouteContext;
  readonly body: Body;
  readonly identity: string;
}

/** A handler answers JSON (`status`, `body`) or a ready response. */
export type RouteResult = { readonly status: number; readonly body: unknown } | Response;

type JsonSchema = z.ZodType;

/** One documented answer of a route (JSON unless `contentType` says otherwise). */
export interface RouteAnswer {
  readonly description: string;
  readonly schema: JsonSchema;
  readonly contentType?: string;
}

/** What a route is: its OpenAPI description, what it accepts, and its handler. */
export interface RouteDefinition<BodySchema extends z.ZodObject | undefined> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The OpenAPI path template, e.g. `/v1/participants/{identity}/volume`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** Answered without the bearer token (only `/healthz`). */
  readonly public?: boolean;
  /** The JSON body; `required: false` treats an empty body as `{}`. */
  readonly body?: { readonly schema: NonNullable<BodySchema>; readonly required: boolean; readonly example: string; readonly errorCodes?: Readonly<Record<string, string>> };
  /** Successful answers by status. */
  readonly answers: Readonly<Record<number, RouteAnswer>>;
  /** Error answers beyond the ones every route has (401, and 400/413/415 with a body), by status. */
  readonly errors?: Readonly<Record<number, string>>;
  readonly handle: (request: RouteRequest<BodySchema extends z.ZodObject ? z.output<BodySchema> : undefined>) => Promise<RouteResult>;
}

/** A route of the API, ready to be mounted and documented. */
export interface ApiRoute {
  readonly method: RouteDefinition<undefined>['method'];
  readonly path: string;
  readonly public: boolean;
  /** Matches the raw request path (not URL-normalised); captures the path parameter. */
  readonly pattern: RegExp;
  /** The route's OpenAPI operation. */
  readonly openapi: RouteConfig;
  /** Validates the request and runs the handler. */
  readonly run: (c: Context<ApiEnv>, ctx: RouteContext, rawPath: string) => Promise<RouteResult>;
}

const errorContent = { 'application/json': { schema: ErrorBody } };

function identityParam(match: RegExpExecArray | null): string {
  const raw = match?.[1];
  if (raw === undefined) return '';
  let identity: string;
  try {
    identity = decodeURIComponent(raw);
  } catch {
    throw new ApiError(400, 'invalid_identity', 'participant identity in the path is not valid percent-encoding');
  }
  if (!IdentityParams.shape.identity.safeParse(identity).success) {
    throw new ApiError(400, 'invalid_identity', `participant identity must be ${IdentityParams.shape.identity.description}`);
  }
  return identity;
}

/** What a field must be, from its schema's description (looking through optional, nullable and transforms). */
function fieldDescription(schema: z.ZodType | undefined): string {
  let current: unknown = schema;
  for (let i = 0; i < 4 && current !== undefined; i++) {
    const s = current as { description?: string; unwrap?: () => unknown; in?: unknown };
    if (s.description !== undefined) return s.description;
    current = typeof s.unwrap === 'function' ? s.unwrap() : s.in;
  }
  return 'valid';
}

/** The one-line 400 for a body the schema refused: unknown fields first, then the first bad field in order. */
function bodyError(issues: readonly z.core.$ZodIssue[], raw: unknown, body: NonNullable<RouteDefinition<z.ZodObject>['body']>): ApiError {
  const shape = body.schema.shape as Record<string, z.ZodType>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return new ApiError(400, 'invalid_body', `request body must be a JSON object such as ${body.example}`);
  }
  const unknown = issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown?.code === 'unrecognized_keys') {
    return new ApiError(400, 'unknown_field', `unknown field "${(unknown.keys[0] ?? '').slice(0, 64)}"; allowed: ${Object.keys(shape).join(', ')}`);
  }
  const issue = issues[0];
  const field = String(issue?.path[0] ?? '');
  const code = body.errorCodes?.[field] ?? `invalid_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
  if (issue?.code === 'custom' && issue.params?.['explained'] === true) return new ApiError(400, code, issue.message);
  const value = (raw as Record<string, unknown>)[field];
  return new ApiError(400, code, `"${field}" must be ${fieldDescription(shape[field])}, got ${describe(value)}`);
}

/** The OpenAPI template as a regular expression over the raw path. */
function templatePattern(path: string): RegExp {
  const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)');
  return new RegExp(`^${source}$`);
}

/** Builds a route from its definition: the OpenAPI operation and the validating runner come from the same schemas. */
export function defineRoute<BodySchema extends z.ZodObject | undefined = undefined>(definition: RouteDefinition<BodySchema>): ApiRoute {
  const { body } = definition;
  const pattern = templatePattern(definition.path);
  const hasIdentity = definition.path.includes('{identity}');
  const responses: RouteConfig['responses'] = {};
  for (const [status, answer] of Object.entries(definition.answers)) {
    responses[status] = { description: answer.description, content: { [answer.contentType ?? 'application/json']: { schema: answer.schema } } };
  }
  const errors: Record<number, string> = {
    ...(definition.public ? {} : { 401: 'Missing or wrong bearer token.' }),
    ...(body !== undefined || hasIdentity ? { 400: 'The body or a parameter is invalid; the message says what to send.' } : {}),
    ...(body !== undefined ? { 413: 'Body over 64 KiB.', 415: 'Body is not application/json.' } : {}),
    ...definition.errors,
  };
  for (const [status, description] of Object.entries(errors)) responses[status] = { description, content: errorContent };
  const openapi = createRoute({
    method: definition.method.toLowerCase() as 'get',
    path: definition.path,
    operationId: definition.operationId,
    summary: definition.summary,
    ...(definition.public ? { security: [] } : {}),
    ...(hasIdentity || body !== undefined
      ? {
          request: {
            ...(hasIdentity ? { params: IdentityParams } : {}),
            ...(body !== undefined ? { body: { required: body.required, content: { 'application/json': { schema: body.schema, example: JSON.parse(body.example) as unknown } } } } : {}),
          },
        }
      : {}),
    responses,
  });

  return {
    method: definition.method,
    path: definition.path,
    public: definition.public ?? false,
    pattern,
    openapi,
    run: async (c, ctx, rawPath) => {
      const identity = hasIdentity ? identityParam(pattern.exec(rawPath)) : '';
      let parsed: unknown;
      if (body !== undefined) {
        const raw = (await readJsonBody(c.req.raw)) ?? (body.required ? undefined : {});
        const result = body.schema.safeParse(raw);
        if (!result.success) throw bodyError(result.error.issues, raw, body);
        parsed = result.data;
      }
      return definition.handle({ c, ctx, identity, body: parsed as never });
    },
  };
}
