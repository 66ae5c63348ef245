import { sanitize } from './ansi.js';
import type { ConnectionQuality, ConnectionState } from './state.js';

/** Who an event is about: the identity, and the display name when there is one. */
export interface Who {
  readonly identity: string;
  /** Display name; empty or equal to the identity means none worth showing. */
  readonly name?: string;
}

/**
 * Session events the CLI reports in plain mode. `connection` carries the attempt and the reason
 * in words while reconnecting or after failing.
 */
export type SessionEvent =
  | { readonly type: 'connection'; readonly state: ConnectionState; readonly attempt?: number; readonly reason?: string }
  | { readonly type: 'quality'; readonly quality: ConnectionQuality }
  | ({ readonly type: 'joined' } & Who)
  | ({ readonly type: 'left' } & Who)
  | ({ readonly type: 'speaking'; readonly speaking: boolean } & Who)
  | ({ readonly type: 'muted'; readonly muted: boolean } & Who)
  | ({ readonly type: 'notHeard'; readonly notHeard: boolean } & Who)
  /** End-to-end encryption: their audio decrypts with our key, or it does not (a different key). */
  | ({ readonly type: 'decrypt'; readonly decrypts: boolean } & Who)
  | ({ readonly type: 'transcript'; readonly text: string; readonly final: boolean } & Who)
  | { readonly type: 'warning'; readonly text: string }
  /** A line about the conversation with an agent (`agent NAME STATE`, `latency N ms`), already worded. */
  | { readonly type: 'conversation'; readonly text: string }
  | { readonly type: 'device'; readonly device: 'input' | 'output'; readonly change: 'reopened' | 'fallback' | 'restored' };

/** `alice (Alice Smith)`, or just `alice` when there is no other display name. */
function who(event: Who): string {
  const name = event.name && event.name !== event.identity ? ` (${sanitize(event.name)})` : '';
  return `${sanitize(event.identity)}${name}`;
}

/**
 * Formats an event as one plain line without its timestamp (`joined alice (Alice)`,
 * `speaking bob`, `reconnecting attempt 2: unreachable`), or undefined for events not worth a
 * line (partial transcripts). Names and text are sanitized: no control characters from the
 * network reach the terminal. The README's "Plain output" section documents every line.
 */
export function formatEvent(event: SessionEvent): string | undefined {
  switch (event.type) {
    case 'connection': {
      const reason = event.reason ? `: ${event.reason}` : '';
      if (event.state === 'reconnecting') return `reconnecting attempt ${event.attempt ?? 1}${reason}`;
      if (event.state === 'failed') return `failed${reason}`;
      return event.state;
    }
    case 'quality':
      return `quality ${event.quality}`;
    case 'joined':
    case 'left':
      return `${event.type} ${who(event)}`;
    case 'speaking':
      return `${event.speaking ? 'speaking' : 'stopped-speaking'} ${who(event)}`;
    case 'muted':
      return `${event.muted ? 'muted' : 'unmuted'} ${who(event)}`;
    case 'notHeard':
      return `${event.notHeard ? 'not-heard' : 'heard-again'} ${who(event)}`;
    case 'decrypt':
      return `${event.decrypts ? 'decrypting' : 'cannot-decrypt'} ${who(event)}`;
    case 'transcript':
      return event.final ? `transcript ${who(event)}: ${sanitize(event.text)}` : undefined;
    case 'warning':
      return `warning: ${sanitize(event.text)}`;
    case 'conversation':
      return sanitize(event.text);
    case 'device':
      return `device ${event.device} ${event.change}`;
  }
}

/**
 * The event as one JSON object for `--json` (schema in the README): `time` and `event` always,
 * then the event's own fields; `name` only when it differs from `identity`. Undefined for events
 * not worth a line, as in {@link formatEvent}.
 */
export function eventJson(event: SessionEvent, time: string): Record<string, unknown> | undefined {
  const base = { time, event: event.type as string };
  const person = (e: Who) => ({ identity: e.identity, ...(e.name && e.name !== e.identity ? { name: e.name } : {}) });
  switch (event.type) {
    case 'connection':
      return {
        ...base,
        event: event.state,
        ...(event.state === 'reconnecting' ? { attempt: event.attempt ?? 1 } : {}),
        ...(event.reason ? { reason: event.reason } : {}),
      };
    case 'quality':
      return { ...base, quality: event.quality };
    case 'joined':
    case 'left':
      return { ...base, ...person(event) };
    case 'speaking':
      return { ...base, event: event.speaking ? 'speaking' : 'stopped-speaking', ...person(event) };
    case 'muted':
      return { ...base, event: event.muted ? 'muted' : 'unmuted', ...person(event) };
    case 'notHeard':
      return { ...base, event: event.notHeard ? 'not-heard' : 'heard-again', ...person(event) };
    case 'decrypt':
      return { ...base, event: event.decrypts ? 'decrypting' : 'cannot-decrypt', ...person(event) };
    case 'transcript':
      return event.final ? { ...base, ...person(event), text: event.text } : undefined;
    case 'warning':
    case 'conversation':
      return { ...base, text: event.text };
    case 'device':
      return { ...base, device: event.device, change: event.change };
  }
}

/** How plain mode writes: text lines or one JSON object per line. */
export type PlainFormat = 'text' | 'json';

/**
 * The non-TTY replacement of the TUI: one line per event as it happens, led by an ISO 8601 UTC
 * timestamp (`2026-01-02T10:42:07.123Z joined alice`), or JSON objects with `--json`. A state
 * that did not change (the same quality, the same connection state) is not written again.
 */
export class PlainEventLog {
  private lastConnection = '';
  private lastQuality = '';

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly format: PlainFormat = 'text',
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Writes the event's line, if it has one and it says something new. */
  write(event: SessionEvent): void {
    if (event.type === 'connection' || event.type === 'quality') {
      const key = JSON.stringify(event);
      if (key === (event.type === 'connection' ? this.lastConnection : this.lastQuality)) return;
      if (event.type === 'connection') this.lastConnection = key;
      else this.lastQuality = key;
    }
    const time = this.clock().toISOString();
    if (this.format === 'json') {
      const json = eventJson(event, time);
      if (json) this.out.write(`${JSON.stringify(json)}\n`);
      return;
    }
    const line = formatEvent(event);
    if (line !== undefined) this.out.write(`${time} ${line}\n`);
  }
}
