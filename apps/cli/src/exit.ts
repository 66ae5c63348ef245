import { UsageError } from './errors.js';

/** How the process ends for a thrown value: the exit status and the one line for stderr. */
export interface ExitPlan {
  /** 2 for usage errors, 1 for runtime failures. */
  readonly code: 1 | 2;
  /** One line (no newline inside), prefixed `alto: `. */
  readonly line: string;
  /** The stack trace to print after the line; only set when verbose. */
  readonly stack: string | undefined;
}

function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\r\n]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '?').trim();
}

/**
 * Maps anything thrown to an exit plan. A {@link UsageError} exits 2 with its message; an error
 * from an Alto package (an `Error` with a string `code`) exits 1 with its message, which those
 * packages write for users; anything else exits 1 with a generic line, since its message was
 * never meant for users (the stack, with `-v`, has the details).
 * @param err the thrown value
 * @param verbose whether to include the stack trace
 */
export function toExit(err: unknown, verbose: boolean): ExitPlan {
  const stack = verbose && err instanceof Error && err.stack ? err.stack : undefined;
  if (err instanceof UsageError) return { code: 2, line: `alto: ${oneLine(err.message)}`, stack };
  if (err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && err.message !== '') {
    return { code: 1, line: `alto: ${oneLine(err.message)}`, stack };
  }
  const detail = err instanceof Error && err.message !== '' ? `: ${oneLine(err.message)}` : '';
  const more = verbose ? '' : ' (run with -v for details)';
  return { code: 1, line: `alto: unexpected failure${detail}${more}`, stack };
}

/** Writes an exit plan to stderr (never stdout) and returns its exit code. */
export function reportExit(plan: ExitPlan, stderr: { write(text: string): unknown }): number {
  stderr.write(`${plan.line}\n`);
  if (plan.stack !== undefined) stderr.write(`${plan.stack}\n`);
  return plan.code;
}
