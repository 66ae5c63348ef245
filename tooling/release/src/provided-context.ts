import type {} from 'vitest';

/** The tarballs packed once per run, provided to tests as `inject('packed')`. */
export interface ProvidedPacked {
  /** npm name → absolute path of its tarball. */
  readonly tarballs: Readonly<Record<string, string>>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: ProvidedPacked;
  }
}
