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
 * A JSON answer (no caching: everything here is live state). Text from room peers may be in it:
 * C1 controls and bidi characters are sent as `\u` escapes.
 */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(stringifyJsonSafe(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** The answer to an {@link ApiError}: `{ error: { code, message } }`. */
export function errorResponse(error: ApiError, headers: Record<string, string> = {}): Response {
  return jsonResponse(error.status, { error: { code: error.code, message: error.message } }, headers);
}

const tooLarge = (): ApiError => new ApiError(413, 'body_too_large', `request body is over ${MAX_BODY_BYTES} bytes; send a small JSON object`);

/** Reads at most {@link MAX_BODY_BYTES} of a body, refusing (413) as soon as it is over. */
async function readLimited(request: Request): Promise<Buffer> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
  if (request.body === null) return Buffer.alloc(0);
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads and parses a JSON request body. Empty bodies give `undefined`. Raises ApiError 415 for a
 * non-JSON content type, 413 over {@link MAX_BODY_BYTES}, 400 for bodies nested over
 * {@link MAX_JSON_DEPTH} (checked before parsing) and for malformed JSON.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const bytes = await readLimited(request);
  if (bytes.length === 0) return undefined;
  const type = request.headers.get('content-type');
  const mediaType = type?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `request body must be JSON with content-type: application/json (got ${type === null ? 'none' : JSON.stringify(type.slice(0, 80))})`,
    );
  }
  const text = bytes.toString('utf8');
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw new ApiError(400, 'too_deep', `request body nests arrays or objects over ${MAX_JSON_DEPTH} deep; send a flat object such as {"volume": 0.5}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'invalid_json', 'request body is not valid JSON; send an object such as {"volume": 0.5}');
  }
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
