import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { E2eeKeyFileError } from './errors.js';

/** Fewest UTF-8 bytes a key file's passphrase may have. */
export const MIN_E2EE_KEY_BYTES = 16;
/** Largest key file accepted: a passphrase, not a document. */
export const MAX_E2EE_KEY_FILE_BYTES = 4096;

const HOW_TO_MAKE = 'e.g. (umask 077; openssl rand -base64 32 > FILE)';

/** Options of {@link readE2eeKeyFile}. */
export interface ReadE2eeKeyFileOptions {
  /**
   * Refuse a file that users other than its owner may read or write (mode bits 0o077), as ssh
   * does with private keys. Default true except on Windows, whose files have no such bits.
   */
  readonly requirePrivate?: boolean;
}

/**
 * Reads the shared end-to-end encryption key from a file: one line of UTF-8 text (a passphrase),
 * with surrounding whitespace, the trailing newline included, removed. Every participant needs
 * the same passphrase; the SDK derives the AES key from it with PBKDF2. Synchronous: meant to run
 * once at start-up. The key never appears in an error message.
 * @param path the key file
 * @returns the passphrase, to pass as `e2ee.sharedKey`
 * @throws {E2eeKeyFileError} the file is missing, unreadable, not a regular file, too large, not
 *   text, empty, shorter than {@link MIN_E2EE_KEY_BYTES} bytes, or open to other users
 */
export function readE2eeKeyFile(path: string, options: ReadE2eeKeyFileOptions = {}): string {
  const what = `e2ee key file ${path}`;
  let fd: number;
  try {
    // Non-blocking, so a FIFO named by mistake cannot hang the open.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new E2eeKeyFileError('missing', `${what} does not exist; create it with the shared passphrase, ${HOW_TO_MAKE}`, { cause });
    }
    if (code === 'EISDIR') throw new E2eeKeyFileError('not-a-file', `${what} is a directory; give the file that holds the passphrase`, { cause });
    throw new E2eeKeyFileError('unreadable', `${what} cannot be read (${code ?? 'error'}); check its permissions`, { cause });
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new E2eeKeyFileError('not-a-file', `${what} is a directory; give the file that holds the passphrase`);
    if (!stat.isFile()) throw new E2eeKeyFileError('not-a-file', `${what} is not a regular file; give the file that holds the passphrase`);
    const mode = stat.mode & 0o777;
    if ((options.requirePrivate ?? process.platform !== 'win32') && (mode & 0o077) !== 0) {
      throw new E2eeKeyFileError(
        'unprotected',
        `${what} is accessible by other users (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 ${path}`,
      );
    }
    if (stat.size > MAX_E2EE_KEY_FILE_BYTES) {
      throw new E2eeKeyFileError('too-large', `${what} is ${stat.size} bytes; a key file holds one passphrase line (at most ${MAX_E2EE_KEY_FILE_BYTES} bytes)`);
    }
    const bytes = readAll(fd, what);
    return passphraseOf(bytes, what);
  } finally {
    closeSync(fd);
  }
}

function readAll(fd: number, what: string): Uint8Array {
  const buffer = Buffer.alloc(MAX_E2EE_KEY_FILE_BYTES + 1);
  let length = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_E2EE_KEY_FILE_BYTES) {
        throw new E2eeKeyFileError('too-large', `${what} is over ${MAX_E2EE_KEY_FILE_BYTES} bytes; a key file holds one passphrase line`);
      }
    }
  } catch (cause) {
    if (cause instanceof E2eeKeyFileError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw new E2eeKeyFileError('unreadable', `${what} cannot be read (${code ?? 'error'}); check its permissions`, { cause });
  }
  return buffer.subarray(0, length);
}

function passphraseOf(bytes: Uint8Array, what: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new E2eeKeyFileError('not-text', `${what} is not UTF-8 text; it must hold a passphrase, ${HOW_TO_MAKE}`, { cause });
  }
  const passphrase = text.trim();
  if (passphrase === '') throw new E2eeKeyFileError('empty', `${what} is empty; put the shared passphrase in it, ${HOW_TO_MAKE}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(passphrase)) {
    throw new E2eeKeyFileError('not-text', `${what} holds more than one line or control characters; it must hold one passphrase line`);
  }
  const length = Buffer.byteLength(passphrase, 'utf8');
  if (length < MIN_E2EE_KEY_BYTES) {
    throw new E2eeKeyFileError('too-short', `${what} holds a ${length}-byte passphrase; use at least ${MIN_E2EE_KEY_BYTES} bytes, ${HOW_TO_MAKE}`);
  }
  return passphrase;
}
