import { sanitize } from './ansi.js';
import type { ConnectionQuality, ConnectionState } from './state.js';

/** Session events the CLI reports; the lead maps the orchestrator's event stream onto these. */
export type SessionEvent =
  | { readonly type: 'connection'; readonly state: ConnectionState }
  | { readonly type: 'quality'; readonly quality: ConnectionQuality }
  | { readonly type: 'joined'; readonly identity: string }
  | { readonly type: 'left'; readonly identity: string }
  | { readonly type: 'speaking'; readonly identity: string; readonly speaking: boolean }
  | { readonly type: 'muted'; readonly identity: string; readonly muted: boolean }
  | { readonly type: 'transcript'; readonly identity: string; readonly text: string; readonly final: boolean }
  | { readonly type: 'volume'; readonly identity: string; readonly volume: number }
  | { readonly type: 'status'; readonly text: string };

/**
 * Formats an event as one plain line (`joined alice`, `speaking bob`, `stopped-speaking bob`,
 * `transcript bob: hello`), or undefined for events not worth a line (partial transcripts).
 * Names and text are sanitized: no control characters from the network reach the terminal.
 */
export function formatEvent(event: SessionEvent): string | undefined {
  switch (event.type) {
    case 'connection':
      return event.state;
    case 'quality':
      return `quality ${event.quality}`;
    case 'joined':
      return `joined ${sanitize(event.identity)}`;
    case 'left':
      return `left ${sanitize(event.identity)}`;
    case 'speaking':
      return `${event.speaking ? 'speaking' : 'stopped-speaking'} ${sanitize(event.identity)}`;
    case 'muted':
      return `${event.muted ? 'muted' : 'unmuted'} ${sanitize(event.identity)}`;
    case 'transcript':
      return event.final ? `transcript ${sanitize(event.identity)}: ${sanitize(event.text)}` : undefined;
    case 'volume':
      return `volume ${sanitize(event.identity)} ${event.volume.toFixed(1)}`;
    case 'status':
      return sanitize(event.text);
  }
}

/**
 * The non-TTY replacement of the TUI: one line per event, written as it happens (optionally
 * prefixed with a timestamp), so the output can be grepped, piped and tested.
 */
export class PlainEventLog {
  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly timestamps = false,
  ) {}

  /** Writes the event's line, if it has one. */
  write(event: SessionEvent): void {
    const line = formatEvent(event);
    if (line === undefined) return;
    this.out.write(this.timestamps ? `${new Date().toISOString()} ${line}\n` : `${line}\n`);
  }
}
