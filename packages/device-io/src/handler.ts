/** Lifecycle shared by the input and output handlers: start, stop, watchdog, automatic reopen. */
import { noopLogger, type Logger } from '@alto/mixer-core';
import { EventEmitter } from 'node:events';
import {
  AudioHostError,
  DeviceNotFoundError,
  DeviceOpenError,
  DeviceStalledError,
  WavFormatError,
} from './errors.js';
import type { DeviceIoError } from './errors.js';
import { HostProcess } from './host-process.js';
import type { DeviceCounters, HostReply, HostRequest } from './protocol.js';

/** Options every handler accepts. */
export interface HandlerOptions {
  /** Extra environment for the audio host (e.g. PULSE_SERVER and ALSA_CONFIG_PATH). */
  readonly env?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  /** No audio moving for this long counts as a dead device: error, then reopen. Default 2000. */
  readonly stallTimeoutMs?: number;
  /** Reopen automatically after a failure. Default true. */
  readonly reopen?: boolean;
  /** How long opening may take before the host is killed. Default 10000. */
  readonly openTimeoutMs?: number;
  /**
   * When the chosen PortAudio device fails and cannot be reopened (a headset unplugged), use this
   * device meanwhile, e.g. `'default'`, and go back to the chosen one as soon as it opens again.
   * Ignored for file/tone/null/raw backends and when it names the chosen device. Default: none
   * (keep retrying the chosen device only).
   */
  readonly fallbackDevice?: number | string;
  /** While on the fallback, how often to try the chosen device again. Default 2000 ms. */
  readonly fallbackProbeMs?: number;
}

/** Counters common to inputs and outputs. */
export interface HandlerMetrics extends Omit<DeviceCounters, 'backend' | 'deviceName' | 'deviceSampleRate'> {
  readonly running: boolean;
  readonly backend: string | undefined;
  readonly deviceName: string | undefined;
  readonly deviceSampleRate: number | undefined;
  readonly sampleRate: number;
  readonly channels: number;
  /** Successful automatic reopens since construction (onto the chosen or the fallback device). */
  readonly reopens: number;
  /** True while audio goes through {@link HandlerOptions.fallbackDevice} instead of the chosen device. */
  readonly onFallback: boolean;
  readonly lastError: string | undefined;
}

/** Events of every input and output (Node's typed `EventEmitter`). */
export interface HandlerEvents {
  /**
   * The device failed; unless `reopen: false`, an automatic reopen follows. Without a listener
   * the failure is logged instead of thrown.
   */
  error: [error: DeviceIoError];
  /** Audio moves again after an error (on the chosen or the fallback device). */
  reopened: [];
  /** Now using {@link HandlerOptions.fallbackDevice} because the chosen device is gone. */
  fallback: [device: number | string | undefined];
  /** Back on the chosen device after the fallback. */
  restored: [];
}

type State = 'idle' | 'starting' | 'running' | 'reopening' | 'stopping';

/** Base of {@link AudioInput} and {@link AudioOutput}, with their events. Internal. */
export abstract class HostedHandler<Events extends HandlerEvents & Record<keyof Events, unknown[]> = HandlerEvents> extends EventEmitter<Events> {
  protected readonly logger: Logger;
  protected host: HostProcess | undefined;
  protected lastProgressAt = 0;
  protected counters: DeviceCounters | undefined;
  private state: State = 'idle';
  private startPromise: Promise<void> | undefined;
  private stopPromise: Promise<void> | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private reopenCount = 0;
  private lastErrorMessage: string | undefined;
  private generation = 0;
  /** Hosts still opening: killed by stop() so nothing outlives the handler. */
  private readonly pendingHosts = new Set<HostProcess>();
  private onFallback = false;
  private probeTimer: NodeJS.Timeout | undefined;

  protected constructor(
    protected readonly direction: 'input' | 'output',
    protected readonly options: HandlerOptions,
    readonly sampleRate: number,
    readonly channels: number,
    private readonly rawFd: 0 | 1 | undefined,
  ) {
    super();
    this.logger = options.logger ?? noopLogger;
  }

  /**
   * The request that opens this handler's backend in the host; `device` replaces the chosen
   * PortAudio device (the fallback).
   */
  protected abstract openRequest(device?: number | string): HostRequest;
  /** The chosen PortAudio device, or undefined for the other backends. */
  protected abstract chosenDevice(): number | string | undefined;
  /** Called when a host opened the backend (wire the pipes). */
  protected abstract attach(host: HostProcess): void;
  /** Called when the host goes away. */
  protected abstract detach(): void;
  /** Called on every metrics report. */
  protected abstract onMetrics(reply: Extract<HostReply, { t: 'metrics' }>): void;

  /** Opens the device. Idempotent; rejects with a {@link DeviceIoError} if it cannot open. */
  start(): Promise<void> {
    if (this.state === 'running' || this.state === 'reopening') return Promise.resolve();
    if (this.state === 'starting' && this.startPromise) return this.startPromise;
    if (this.state === 'stopping' && this.stopPromise) return this.stopPromise.then(() => this.start());
    this.state = 'starting';
    const generation = this.generation;
    this.startPromise = this.open().then(
      () => {
        if (generation !== this.generation) return;
        this.state = 'running';
        this.startWatchdog();
      },
      (err: unknown) => {
        if (generation === this.generation) this.state = 'idle';
        throw err;
      },
    );
    return this.startPromise;
  }

  /** Closes the device; returns within ~1 s even if the device or host hangs. Idempotent. */
  stop(): Promise<void> {
    if (this.state === 'idle') return this.stopPromise ?? Promise.resolve();
    if (this.state === 'stopping' && this.stopPromise) return this.stopPromise;
    this.state = 'stopping';
    this.generation++;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.watchdog = undefined;
    this.reopenTimer = undefined;
    this.probeTimer = undefined;
    this.onFallback = false;
    const host = this.host;
    this.host = undefined;
    for (const pending of this.pendingHosts) pending.kill();
    this.pendingHosts.clear();
    this.detach();
    this.stopPromise = (host ? host.stop(500) : Promise.resolve()).then(() => {
      this.state = 'idle';
    });
    return this.stopPromise;
  }

  /** This emitter as the events every handler has (a subclass's map only adds to them). */
  private get handlerEvents(): EventEmitter<HandlerEvents> {
    return this as unknown as EventEmitter<HandlerEvents>;
  }

  /** Base metrics; subclasses add their own. */
  protected baseMetrics(): HandlerMetrics {
    const c = this.counters;
    const host = this.host;
    return {
      running: this.state === 'running',
      backend: c?.backend,
      deviceName: c?.deviceName,
      deviceSampleRate: c?.deviceSampleRate,
      sampleRate: this.sampleRate,
      channels: this.channels,
      frames: c?.frames ?? 0,
      overflows: (c?.overflows ?? 0) + (host?.overflows ?? 0),
      underruns: (c?.underruns ?? 0) + (host?.underflows ?? 0),
      errors: c?.errors ?? 0,
      latencyMs: c?.latencyMs ?? 0,
      reopens: this.reopenCount,
      onFallback: this.onFallback,
      lastError: this.lastErrorMessage,
    };
  }

  /** Marks that audio moved (resets the stall watchdog). */
  protected progress(): void {
    this.lastProgressAt = performance.now();
  }

  /**
   * Opens a host on the chosen device (or `device`) and makes it the current one, replacing a
   * running host. `stillWanted` is asked once it opened; false discards it (a superseded probe).
   */
  private open(device?: number | string, stillWanted: () => boolean = () => true): Promise<void> {
    const generation = this.generation;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const host = new HostProcess({ env: this.options.env ?? {}, logger: this.logger, ...(this.rawFd !== undefined ? { rawFd: this.rawFd } : {}) });
      host.on('reply', (reply) => {
        if (!settled) {
          this.pendingHosts.delete(host);
          if (reply.t === 'opened') {
            settled = true;
            clearTimeout(timer);
            if (generation !== this.generation || !stillWanted()) {
              void host.stop();
              reject(new AudioHostError('stopped while opening'));
              return;
            }
            const previous = this.host;
            if (previous) {
              this.detach();
              void previous.stop(500);
            }
            this.host = host;
            if (reply.priority !== undefined) {
              this.logger.debug('audio host scheduling', {
                priority: reply.priority,
                ...(reply.periodMs !== undefined ? { periodMs: reply.periodMs } : {}),
                ...(reply.minLeadMs !== undefined ? { minLeadMs: reply.minLeadMs } : {}),
              });
            }
            this.progress();
            this.attach(host);
            resolve();
          } else if (reply.t === 'error') {
            settled = true;
            clearTimeout(timer);
            void host.stop();
            reject(this.translate(reply));
          }
          return;
        }
        if (host !== this.host) return;
        if (reply.t === 'metrics') {
          this.counters = reply.device;
          this.onMetrics(reply);
        } else if (reply.t === 'error') {
          if (reply.code === 'MIXER_COMMAND') {
            this.logger.warn('mixer command rejected by the audio host', { message: reply.message });
          } else {
            this.fail(new DeviceOpenError(`${this.direction} device failed: ${reply.message}`));
          }
        }
      });
      host.on('exit', (code, signal) => {
        this.pendingHosts.delete(host);
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          reject(new AudioHostError(`the audio host exited while opening (code ${code}, signal ${signal})`));
          return;
        }
        if (host === this.host) {
          this.fail(new AudioHostError(`the audio host exited unexpectedly (code ${code}, signal ${signal})`));
        }
      });
      this.pendingHosts.add(host);
      const timeoutMs = this.options.openTimeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        host.kill();
        reject(new AudioHostError(`opening the ${this.direction} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      host.send(this.openRequest(device));
    });
  }

  private translate(reply: Extract<HostReply, { t: 'error' }>): DeviceIoError {
    switch (reply.code) {
      case 'DEVICE_NOT_FOUND':
        return new DeviceNotFoundError(reply.requested ?? '?', reply.direction ?? this.direction, reply.devices ?? []);
      case 'WAV_FORMAT':
        return new WavFormatError(reply.message);
      case 'DEVICE_OPEN_FAILED':
      case 'RUNTIME':
      case 'MIXER_COMMAND':
        return new DeviceOpenError(`could not open the ${this.direction}: ${reply.message}`);
    }
  }

  private startWatchdog(): void {
    const stallMs = this.options.stallTimeoutMs ?? 2000;
    this.watchdog = setInterval(() => {
      if (this.state !== 'running') return;
      const idle = performance.now() - this.lastProgressAt;
      if (idle > stallMs) {
        this.fail(new DeviceStalledError(`no audio from the ${this.direction} for ${Math.round(idle)} ms; reopening`));
      }
    }, Math.min(250, stallMs / 4));
    this.watchdog.unref();
  }

  /** Reports a failure and, unless disabled, reopens until it works again. */
  protected fail(err: DeviceIoError): void {
    if (this.state !== 'running') return;
    this.lastErrorMessage = err.message;
    this.state = 'reopening';
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    const dead = this.host;
    this.host = undefined;
    this.detach();
    dead?.kill();
    if (this.handlerEvents.listenerCount('error') > 0) this.handlerEvents.emit('error', err);
    else this.logger.error('audio device failed', { direction: this.direction, error: err.message });
    if (this.options.reopen === false) {
      this.state = 'idle';
      return;
    }
    this.scheduleReopen(250);
  }

  /** The fallback device, if one is configured and differs from the chosen device. */
  private fallbackDevice(): number | string | undefined {
    const chosen = this.chosenDevice();
    const fallback = this.options.fallbackDevice;
    if (chosen === undefined || fallback === undefined) return undefined;
    const same = typeof chosen === 'string' && typeof fallback === 'string' ? chosen.toLowerCase() === fallback.toLowerCase() : chosen === fallback;
    return same ? undefined : fallback;
  }

  private describeError(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
  }

  private scheduleReopen(delayMs: number): void {
    const generation = this.generation;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      if (generation !== this.generation || this.state !== 'reopening') return;
      void this.reopenOnce(generation).then((opened) => {
        if (generation !== this.generation) return;
        if (!opened) this.scheduleReopen(Math.min(2000, delayMs * 2));
      });
    }, delayMs);
  }

  /** One reopen round: the chosen device, then the fallback if there is one. */
  private async reopenOnce(generation: number): Promise<boolean> {
    const wanted = (): boolean => generation === this.generation && this.state === 'reopening';
    try {
      await this.open(undefined, wanted);
      this.becomeRunning(false);
      return true;
    } catch (err) {
      if (generation !== this.generation) return false;
      this.logger.warn('reopening the audio device failed; retrying', { direction: this.direction, error: this.describeError(err) });
    }
    const fallback = this.fallbackDevice();
    if (fallback === undefined || !wanted()) return false;
    try {
      await this.open(fallback, wanted);
      this.becomeRunning(true);
      return true;
    } catch (err) {
      if (generation === this.generation) {
        this.logger.warn('the fallback audio device failed too', { direction: this.direction, fallback, error: this.describeError(err) });
      }
      return false;
    }
  }

  private becomeRunning(onFallback: boolean): void {
    this.state = 'running';
    this.reopenCount++;
    const wasOnFallback = this.onFallback;
    this.onFallback = onFallback;
    this.handlerEvents.emit('reopened');
    if (onFallback) {
      if (!wasOnFallback) {
        this.logger.warn(`the ${this.direction} device is unavailable; using the fallback until it is back`, {
          chosen: this.chosenDevice(),
          fallback: this.options.fallbackDevice,
        });
        this.handlerEvents.emit('fallback', this.options.fallbackDevice);
      }
      this.scheduleProbe(this.options.fallbackProbeMs ?? 2000);
    } else if (wasOnFallback) {
      this.restored();
    }
  }

  private restored(): void {
    this.logger.info(`the chosen ${this.direction} device is back`, { chosen: this.chosenDevice() });
    this.handlerEvents.emit('restored');
  }

  /** While on the fallback: try the chosen device now and then; switch back when it opens. */
  private scheduleProbe(delayMs: number): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    const generation = this.generation;
    const wanted = (): boolean => generation === this.generation && this.state === 'running' && this.onFallback;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      if (!wanted()) return;
      this.open(undefined, wanted).then(
        () => {
          this.onFallback = false;
          this.restored();
        },
        () => {
          if (wanted()) this.scheduleProbe(delayMs);
        },
      );
    }, delayMs);
    this.probeTimer.unref();
  }
}
