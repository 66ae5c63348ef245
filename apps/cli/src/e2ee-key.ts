import { E2eeKeyFileError, readE2eeKeyFile } from '@alto/orchestrator';
import { UsageError } from './errors.js';

/**
 * Reads the end-to-end encryption passphrase named by --e2ee-key-file / ALTO_E2EE_KEY_FILE.
 * A file that cannot be used is a usage error (exit 2) with the reader's one-line reason.
 * @returns the passphrase, or undefined without a key file
 * @throws {UsageError}
 */
export function loadE2eeKey(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readE2eeKeyFile(path);
  } catch (error) {
    if (error instanceof E2eeKeyFileError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}
