import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringifyJsonSafe } from '@alto/orchestrator';
import { ApiError } from './errors.js';

/** Request bodies larger than this are refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Request bodies nested deeper than this are refused with 400 before they are parsed. */
export const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting of arrays and objects in JSON text, counted without parsing (brackets in
 * strings are skipped), stopping as soon as `limit` is passed.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Writes a JSON answer (no caching: everything here is live state). Text from room peers may be
 * in it: C1 controls and bidi characters are sent as `\u` escapes.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = stringifyJsonSafe(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Writes `{ error: { code, message } }`. */
export function sendError(res: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, headers);
}

/**
 * Reads and parses a JSON request body. Empty bodies give `undefined`. Raises ApiError 415 for a
 * non-JSON content type, 413 over {@link MAX_BODY_BYTES}, 400 for malformed JSON.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) {
    throw new ApiError(413, 'body_too_large', `request body is over ${MAX_BODY_BYTES} bytes; send a small JSON object`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError(413, 'body_too_large', `request body is over ${MAX_BODY_BYTES} bytes; send a small JSON object`);
    }
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const type = req.headers['content-type'];
  const mediaType = type?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `request body must be JSON with content-type: application/json (got ${type === undefined ? 'none' : JSON.stringify(type.slice(0, 80))})`,
    );
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw new ApiError(400, 'too_deep', `request body nests arrays or objects over ${MAX_JSON_DEPTH} deep; send a flat object such as {"volume": 0.5}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'invalid_json', 'request body is not valid JSON; send an object such as {"volume": 0.5}');
  }
}

/** Checks that a body is a plain object with only the allowed keys. */
export function expectObject(body: unknown, allowed: readonly string[], example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_body', `request body must be a JSON object such as ${example}`);
  }
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw new ApiError(400, 'unknown_field', `unknown field "${key.slice(0, 64)}"; allowed: ${allowed.join(', ')}`);
    }
  }
  return body as Record<string, unknown>;
}

/** Validates a 0..2 volume. */
export function expectVolume(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 2) {
    throw new ApiError(400, 'invalid_volume', `"volume" must be a number from 0 to 2 (1 = as received), got ${describe(value)}`);
  }
  return value;
}

/** A short, safe description of a received value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = stringifyJsonSafe(value);
  } catch {
    text = typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
