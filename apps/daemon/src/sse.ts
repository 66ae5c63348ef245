import { agentEventName, transcriptEvent } from './agent-events.js';
import type { ServerResponse } from 'node:http';
import { stringifyJsonSafe } from '@alto/orchestrator';
import type { ClientSupervisor, SupervisorEvent } from './supervisor.js';

/** Options of {@link EventStreamHub}. */
export interface EventStreamOptions {
  readonly supervisor: ClientSupervisor;
  /** Interval of the `levels` event. Default 100 ms (10 Hz). */
  readonly levelIntervalMs?: number;
  /** Interval of keep-alive comments, so proxies don't drop idle streams. Default 15 s. */
  readonly heartbeatMs?: number;
  /** Attached streams at most; more get 503. Default 32. */
  readonly maxClients?: number;
  /** Called when the number of attached streams changes. */
  readonly onClientCount?: (count: number) => void;
}

/** A slow reader is dropped once this much is queued for it, so it cannot grow our memory. */
const MAX_QUEUED_BYTES = 1 << 20;

/**
 * Formats one server-sent event. Data is JSON on a single line (JSON.stringify never emits raw
 * newlines), so each event is exactly `id`, `event`, one `data` line and a blank line; C1 and bidi
 * characters from room peers are `\u` escapes.
 */
export function formatSse(event: string, data: unknown, id?: number): string {
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return `${idLine}event: ${event}\ndata: ${stringifyJsonSafe(data)}\n\n`;
}

/** Maps a supervisor event to an SSE event name and a JSON-safe payload. */
export function toSsePayload(event: SupervisorEvent): { name: string; data: unknown } {
  if (event.type === 'data') {
    return {
      name: 'data',
      data: { identity: event.identity, topic: event.topic, payloadBase64: Buffer.from(event.payload).toString('base64') },
    };
  }
  const { type, ...rest } = event;
  return { name: type, data: rest };
}

/**
 * Fans supervisor events out to `GET /v1/events` streams, and while any stream is attached,
 * samples participant levels at 10 Hz into a `levels` event.
 */
export class EventStreamHub {
  private readonly options: EventStreamOptions;
  private readonly clients = new Set<ServerResponse>();
  private nextId = 1;
  private levelTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(options: EventStreamOptions) {
    this.options = options;
    const onEvent = (event: SupervisorEvent): void => {
      const { name, data } = toSsePayload(event);
      this.broadcast(agentEventName(event) ?? name, data);
      const transcript = transcriptEvent(event);
      if (transcript) this.broadcast(transcript.name, transcript.data);
    };
    options.supervisor.on('event', onEvent);
    this.unsubscribe = () => options.supervisor.off('event', onEvent);
  }

  /** Attached streams. */
  get size(): number {
    return this.clients.size;
  }

  /** Starts an event stream on `res`; false (nothing written) when the hub is full. */
  attach(res: ServerResponse): boolean {
    if (this.clients.size >= (this.options.maxClients ?? 32)) return false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    res.write(formatSse('status', this.options.supervisor.status(), this.nextId++));
    this.clients.add(res);
    res.on('close', () => this.detach(res));
    this.options.onClientCount?.(this.clients.size);
    this.startTimers();
    return true;
  }

  /** Ends every stream and stops sampling. */
  close(): void {
    this.unsubscribe();
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stopTimers();
  }

  private detach(res: ServerResponse): void {
    if (!this.clients.delete(res)) return;
    this.options.onClientCount?.(this.clients.size);
    if (this.clients.size === 0) this.stopTimers();
  }

  private broadcast(name: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = formatSse(name, data, this.nextId++);
    for (const res of this.clients) {
      if (res.writableLength > MAX_QUEUED_BYTES) {
        res.destroy();
        this.detach(res);
        continue;
      }
      res.write(text);
    }
  }

  private startTimers(): void {
    if (this.levelTimer !== undefined) return;
    this.levelTimer = setInterval(() => {
      const participants = this.options.supervisor.participants().map((p) => ({
        identity: p.identity,
        levelDbfs: p.levelDbfs,
        peakDbfs: p.peakDbfs,
        speaking: p.speaking,
      }));
      const input = this.options.supervisor.metrics()?.input?.levelDbfs ?? null;
      this.broadcast('levels', { participants, inputLevelDbfs: input });
    }, this.options.levelIntervalMs ?? 100);
    this.heartbeatTimer = setInterval(() => {
      for (const res of this.clients) res.write(': keep-alive\n\n');
    }, this.options.heartbeatMs ?? 15_000);
  }

  private stopTimers(): void {
    clearInterval(this.levelTimer);
    clearInterval(this.heartbeatTimer);
    this.levelTimer = undefined;
    this.heartbeatTimer = undefined;
  }
}
