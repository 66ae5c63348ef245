import { EventEmitter } from 'node:events';

/** Maps event names to listener argument tuples. */
export type EventMap<T> = { [K in keyof T]: unknown[] };

/**
 * A Node EventEmitter with typed event names and arguments. Listener exceptions are not caught:
 * UI code must not throw from listeners.
 */
export class TypedEmitter<Events extends EventMap<Events>> {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Many UI widgets may listen to the same event.
    this.#emitter.setMaxListeners(0);
  }

  /** Adds a listener. */
  on<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Adds a one-shot listener. */
  once<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.#emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Removes a listener. */
  off<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Removes every listener (of one event, or all). */
  removeAllListeners(event?: keyof Events & string): this {
    this.#emitter.removeAllListeners(event);
    return this;
  }

  /** Emits an event; returns whether anyone listened. */
  protected emit<K extends keyof Events & string>(event: K, ...args: Events[K]): boolean {
    return this.#emitter.emit(event, ...args);
  }
}
