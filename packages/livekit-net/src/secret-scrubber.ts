import { sanitizeText } from './untrusted-text.js';

/** What a scrubbed secret is replaced with. */
const REDACTED = '[redacted]';

/**
 * Field names whose values are never logged, at any depth: anything containing token, secret,
 * apikey, api_key, authorization, password, e2ee or cookie, and a field named exactly `key`.
 */
const SECRET_FIELD = /token|secret|apikey|api_key|authorization|password|e2ee|cookie|^key$/i;
/** A JSON Web Token (LiveKit access tokens are JWTs): three base64url parts, the first `{"`. */
const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g;
/** The token LiveKit puts in the signalling URL. */
const QUERY_TOKEN = /(access_token=)[^&\s"']+/gi;
/** Secrets shorter than this are not searched for inside strings (they would match by chance). */
const MIN_LITERAL_SECRET = 6;
const MAX_DEPTH = 6;

/**
 * Returns a copy of `value` that is safe to write to a log: values under secret-looking field
 * names become `[redacted]`; inside strings, JWTs, `access_token=` query values and every
 * literal occurrence of `secrets` (values known to be secret, such as an API secret or a bearer
 * token; ignored when shorter than 6 characters) are replaced, and the text is made safe for a
 * terminal with {@link sanitizeText} (log strings may carry what room peers wrote). Errors become
 * `{ type, message, code }`, typed arrays a short description; cycles and objects nested deeper
 * than 6 levels are cut to `[…]`.
 */
export function scrubSecrets(value: unknown, secrets: readonly string[] = []): unknown {
  return scrub(value, secrets, 0, new WeakSet());
}

function scrub(value: unknown, secrets: readonly string[], depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubString(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    return { type: value.name, message: scrubString(value.message, secrets), code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((item: unknown) => scrub(item, secrets, depth + 1, seen));
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) ? REDACTED : scrub(item, secrets, depth + 1, seen);
  }
  return out;
}

function scrubString(text: string, secrets: readonly string[]): string {
  let out = text.replace(JWT, REDACTED).replace(QUERY_TOKEN, `$1${REDACTED}`);
  for (const secret of secrets) if (secret.length >= MIN_LITERAL_SECRET) out = out.split(secret).join(REDACTED);
  return sanitizeText(out);
}
