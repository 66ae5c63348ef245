import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { chmodSync, mkdirSync, openSync, readFileSync, statSync, writeSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { TokenFileError } from './errors.js';

/** Where the API token came from (logged; the token itself never is). */
export type TokenSource = 'env' | 'file' | 'generated';

/** The resolved control API token. */
export interface ApiToken {
  readonly token: string;
  readonly source: TokenSource;
  /** The token file, when the token lives in one. */
  readonly path?: string;
}

const MIN_TOKEN_LENGTH = 16;

/**
 * Returns the control API bearer token: `ALTOD_API_TOKEN` if set, otherwise the token file's
 * content, otherwise a fresh 256-bit random token written to the file with mode 0600 (its
 * directory 0700). A token file readable by group or others, or owned by another user, is
 * refused: anyone who can read or replace it controls the daemon.
 */
export function resolveApiToken(options: { envToken?: string | undefined; tokenFile: string }): ApiToken {
  if (options.envToken !== undefined && options.envToken !== '') {
    if (options.envToken.length < MIN_TOKEN_LENGTH) {
      throw new TokenFileError(`ALTOD_API_TOKEN is too short; use at least ${MIN_TOKEN_LENGTH} random characters`);
    }
    return { token: options.envToken, source: 'env' };
  }
  const path = options.tokenFile;
  let mode: number | undefined;
  let owner: number | undefined;
  try {
    const stat = statSync(path);
    mode = stat.mode;
    owner = stat.uid;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new TokenFileError(`cannot read token file ${path}; check its permissions or pass --token-file`, {
        cause: error,
      });
    }
  }
  if (mode !== undefined) {
    const me = process.getuid?.();
    if (me !== undefined && owner !== me) {
      // Its owner knows the token (and could swap it at will): only a file of our own counts.
      throw new TokenFileError(`token file ${path} belongs to another user (uid ${owner}); use a token file of the user altod runs as`);
    }
    if ((mode & 0o077) !== 0) {
      throw new TokenFileError(
        `token file ${path} is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`,
      );
    }
    const token = readFileSync(path, 'utf8').trim();
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new TokenFileError(`token file ${path} holds no usable token; delete it and altod writes a new one`);
    }
    return { token, source: 'file', path };
  }
  const token = randomBytes(32).toString('base64url');
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // 'wx' so two daemons starting together cannot overwrite each other's token.
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${token}\n`);
    } finally {
      closeSync(fd);
    }
    // The umask may have narrowed the mode further but can't widen it; set it explicitly anyway.
    chmodSync(path, 0o600);
  } catch (error) {
    throw new TokenFileError(`cannot create token file ${path}; check the directory or pass --token-file`, {
      cause: error,
    });
  }
  return { token, source: 'generated', path };
}

/**
 * Compares a presented bearer token with the expected one in constant time. Both sides are
 * hashed first so lengths never leak through an early return.
 */
export function tokensMatch(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/** Extracts the token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
