import { SERVER_URL_HINT, serverUrlProblem } from '@alto/livekit-net';
import * as z from 'zod/mini';
import type { SettingSwitch } from './definition.js';

/** The commands settings apply to, in the combinations the tables use. */
export const BOTH = ['alto', 'altod'] as const;
/** `alto` only. */
export const ALTO = ['alto'] as const;
/** `altod` only. */
export const ALTOD = ['altod'] as const;

/** Log levels the daemon's logger understands. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where `altod`'s control API listens unless told otherwise. */
export const DEFAULT_LISTEN = '127.0.0.1:7690';

/** One server URL or a comma-separated cluster, each checked by livekit-net. */
export const serverUrls = z.string().check((ctx) => {
  const text = ctx.value;
  // "URL1,URL2": the nodes of one cluster, joined in order of preference.
  const urls = text.split(',').map((u) => u.trim());
  if (urls.some((u) => u === '')) {
    ctx.issues.push({
      code: 'custom',
      input: text,
      message: 'has an empty entry; separate cluster nodes with commas',
    });
    return;
  }
  for (const url of urls) {
    const problem = serverUrlProblem(url);
    if (problem !== undefined) {
      // With several URLs, the message names the bad one: `--url 'a,ftp://b': 'ftp://b' has scheme ftp:`.
      ctx.issues.push({
        code: 'custom',
        input: text,
        message: `${urls.length > 1 ? `: '${url.slice(0, 60)}' ` : ''}${problem}; ${SERVER_URL_HINT}`,
      });
      return;
    }
  }
});

/** Text that is not blank. */
export const notBlank = (what: string): z.ZodMiniString =>
  z.string().check(z.refine((v) => v.trim() !== '', { message: `is empty; give a ${what}` }));

/** A room name, identity or display name: at most 128 characters, none of them control characters. */
export const participantName = (what: string): z.ZodMiniString =>
  z.string().check(
    z.maxLength(128),
    z.refine((v) => v.trim() !== '', { message: `is empty; give a ${what}` }),
    z.refine((v) => !/\p{Cc}/u.test(v), {
      message: 'contains a control character; use printable characters only',
    }),
  );

/** One switch that turns a boolean setting on. */
export const on = (flag: string, description: string): readonly SettingSwitch[] => [
  { flag, value: true, description },
];
