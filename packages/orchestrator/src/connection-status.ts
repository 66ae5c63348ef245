import type { ConnectFailure } from '@alto/livekit-net';

/**
 * Where a client stands, as a UI should say it: `connecting` (first join), `connected`,
 * `reconnecting` (the room was lost and rejoin attempts run), `failed` (joining or rejoining gave
 * up: the reason says why), `disconnected` (left on purpose), `idle` (never started).
 */
export type ConnectionPhase = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'disconnected';

/** The connection as a UI renders it: phase, server, attempt count, elapsed time and reason. */
export interface ConnectionStatus {
  readonly phase: ConnectionPhase;
  /** The server being joined or used. */
  readonly url: string;
  /** When this phase began (epoch ms): the UI shows the time elapsed since. */
  readonly sinceMs: number;
  /** While reconnecting: the current attempt, 1-based (an SDK resume counts as one); else 0. */
  readonly attempt: number;
  /** While reconnecting: why the last attempt failed; when failed: why it gave up. */
  readonly failure?: ConnectFailure;
}

/**
 * Keeps a client's {@link ConnectionStatus} from the lifecycle steps it is told about and hands
 * every change to `publish`. Time comes from `now` so tests need no clock.
 */
export class ConnectionStatusTracker {
  private current: ConnectionStatus;
  private attemptsStarted = 0;

  constructor(
    url: string,
    private readonly publish: (status: ConnectionStatus) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.current = { phase: 'idle', url, sinceMs: now(), attempt: 0 };
  }

  /** The status now. */
  get status(): ConnectionStatus {
    return this.current;
  }

  /** A first join starts. */
  connecting(): void {
    this.set({ phase: 'connecting', url: this.current.url, sinceMs: this.now(), attempt: 0 });
  }

  /** In the room (first join, or back after reconnecting). */
  connected(): void {
    this.set({ phase: 'connected', url: this.current.url, sinceMs: this.now(), attempt: 0 });
  }

  /** The room was lost; rejoining starts (shown as attempt 1 until a second attempt starts). */
  reconnecting(): void {
    if (this.current.phase === 'reconnecting') return;
    this.attemptsStarted = 0;
    this.set({ phase: 'reconnecting', url: this.current.url, sinceMs: this.now(), attempt: 1 });
  }

  /** A rejoin attempt started (an SDK resume or one of the session's own rejoins). */
  attemptStarted(): void {
    this.reconnecting();
    this.attemptsStarted++;
    if (this.attemptsStarted > this.current.attempt) this.set({ ...this.current, attempt: this.attemptsStarted });
  }

  /** The attempt under way failed; the reason stays shown until the next one succeeds or fails. */
  attemptFailed(failure: ConnectFailure): void {
    if (this.current.phase !== 'reconnecting') return;
    this.set({ ...this.current, failure });
  }

  /** Joining or rejoining gave up for good. */
  failed(failure: ConnectFailure | undefined): void {
    const reason = failure ?? this.current.failure;
    this.set({ phase: 'failed', url: this.current.url, sinceMs: this.now(), attempt: this.current.attempt, ...(reason ? { failure: reason } : {}) });
  }

  /** Left on purpose. */
  disconnected(): void {
    this.set({ phase: 'disconnected', url: this.current.url, sinceMs: this.now(), attempt: 0 });
  }

  private set(next: ConnectionStatus): void {
    this.current = next;
    this.publish(next);
  }
}
