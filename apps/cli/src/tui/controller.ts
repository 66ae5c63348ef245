import { ALT_SCREEN_OFF, ALT_SCREEN_ON, CURSOR_HIDE, CURSOR_SHOW, RESET } from './ansi.js';
import { decodeKeys, reduceKey, type TuiAction } from './keys.js';
import { render } from './render.js';
import type { TuiState } from './state.js';

/** The parts of `process.stdin` the controller uses (a tty.ReadStream in practice). */
export interface TuiInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: 'utf8'): unknown;
  on(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** The parts of `process.stdout` the controller uses (a tty.WriteStream in practice). */
export interface TuiOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
  write(text: string): unknown;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

/** Options of {@link TuiController}. */
export interface TuiControllerOptions {
  /** Called at every redraw for the current session state (cheap: no I/O). */
  readonly getState: () => TuiState;
  /** Receives what the user asked for; `quit` means leave the room and then call `stop()`. */
  readonly onAction: (action: TuiAction) => void;
  readonly stdin?: TuiInput;
  readonly stdout?: TuiOutput;
  /** Redraws per second; at least 10, 15 by default. */
  readonly fps?: number;
  /** Sees each stdin chunk first and returns what is left for the key bindings. */
  readonly interceptInput?: (chunk: string) => string;
}

/**
 * Owns the terminal while the TUI runs: alternate screen, hidden cursor, raw-mode stdin, a
 * redraw timer. `stop()` (idempotent, also run on process exit) puts the terminal back exactly
 * as it was. Job control works as in any full-screen program: Ctrl+Z or an outside SIGTSTP
 * restores the terminal and stops the process; SIGCONT (`fg`) takes the terminal back and
 * redraws. Rendering never touches audio: the timer only reads state through `getState`.
 */
export class TuiController {
  private readonly stdin: TuiInput;
  private readonly stdout: TuiOutput;
  private readonly intervalMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastFrame = '';
  private selectedId: string | undefined;
  /** Row of the selection in the last frame: where the neighbour is when that person leaves. */
  private selectedIndex = 0;
  private showHelp = false;
  private started = false;
  private suspended = false;

  constructor(private readonly options: TuiControllerOptions) {
    this.stdin = options.stdin ?? process.stdin;
    this.stdout = options.stdout ?? process.stdout;
    this.intervalMs = Math.round(1000 / Math.max(10, options.fps ?? 15));
  }

  /** Whether the controller currently owns the terminal. */
  get running(): boolean {
    return this.started;
  }

  /** Id of the participant the user selected (for the spectrum and volume keys), if any. */
  get selected(): string | undefined {
    return this.selectedId;
  }

  /**
   * Takes over the terminal and starts redrawing.
   * @throws {Error} when stdin or stdout is not a terminal (use plain event lines instead)
   */
  start(): void {
    if (this.started) return;
    if (!this.stdout.isTTY || !this.stdin.isTTY || !this.stdin.setRawMode) {
      throw new Error('the terminal UI needs a terminal on stdin and stdout; run with --no-tui');
    }
    this.started = true;
    process.on('exit', this.restore);
    process.on('SIGTSTP', this.onSuspendSignal);
    process.on('SIGCONT', this.onContinue);
    this.stdin.setEncoding('utf8');
    this.stdin.on('data', this.onData);
    this.stdin.resume();
    this.stdout.on('resize', this.onResize);
    this.takeTerminal();
    this.timer = setInterval(this.redraw, this.intervalMs);
    // The redraw timer alone must not keep the process alive after the session ends.
    this.timer.unref();
  }

  /** Stops redrawing and restores the terminal. Safe to call more than once. */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stdin.off('data', this.onData);
    this.stdout.off('resize', this.onResize);
    process.off('exit', this.restore);
    process.off('SIGTSTP', this.onSuspendSignal);
    process.off('SIGCONT', this.onContinue);
    if (!this.suspended) this.restore();
    this.suspended = false;
    this.stdin.pause();
  }

  /** Raw mode, alternate screen, hidden cursor, and a full frame. */
  private takeTerminal(): void {
    // libuv skips setting a mode it believes is already set, but after a stop the shell may
    // have put the terminal back in line mode: leave raw mode first so the call really happens.
    this.stdin.setRawMode?.(false);
    this.stdin.setRawMode?.(true);
    this.stdout.write(ALT_SCREEN_ON + CURSOR_HIDE);
    this.lastFrame = '';
    this.redraw();
  }

  /**
   * Gives the terminal back and stops the process (Ctrl+Z, or a SIGTSTP from outside). Our
   * SIGTSTP listener is removed first so that the signal we send ourselves takes its default
   * action, stopping the process; SIGCONT puts it back.
   */
  private suspend(): void {
    if (!this.started || this.suspended) return;
    this.suspended = true;
    this.restore();
    process.off('SIGTSTP', this.onSuspendSignal);
    process.kill(process.pid, 'SIGTSTP');
  }

  private readonly onSuspendSignal = (): void => this.suspend();

  private readonly onContinue = (): void => {
    if (!this.started) return;
    if (this.suspended) {
      this.suspended = false;
      process.on('SIGTSTP', this.onSuspendSignal);
    }
    // Also after a SIGSTOP we never saw: whatever happened meanwhile, take the terminal back.
    this.takeTerminal();
  };

  /** Same as {@link stop}, for `using`. */
  [Symbol.dispose](): void {
    this.stop();
  }

  /** Draws a frame now (skipped when identical to the last one, to spare the terminal). */
  readonly redraw = (): void => {
    if (!this.started || this.suspended) return;
    const frame = render(this.currentState(), this.stdout.columns ?? 80, this.stdout.rows ?? 24);
    if (frame === this.lastFrame) return;
    this.lastFrame = frame;
    this.stdout.write(frame);
  };

  /**
   * The session's state with the UI's own parts: the selection, kept on the same person by
   * identity (across reconnects and reordering), or moved to the neighbouring row when that
   * person left; and whether the help screen is open.
   */
  private currentState(): TuiState {
    const state = this.options.getState();
    const count = state.participants.length;
    const at = this.selectedId === undefined ? -1 : state.participants.findIndex((p) => p.id === this.selectedId);
    const selected = at >= 0 ? at : Math.min(Math.max(0, count - 1), this.selectedIndex);
    this.selectedIndex = selected;
    this.selectedId = state.participants[selected]?.id ?? this.selectedId;
    return { ...state, selected, showHelp: this.showHelp };
  }

  /** Applies every key of the chunk in order, each on the state the previous one left. */
  private readonly onData = (chunk: string | Buffer): void => {
    const raw = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const text = this.options.interceptInput ? this.options.interceptInput(raw) : raw;
    let state = this.currentState();
    for (const key of decodeKeys(text)) {
      if (!this.started) return;
      if (key === 'suspend') {
        this.suspend();
        return;
      }
      const result = reduceKey(state, key);
      state = result.state;
      this.showHelp = state.showHelp === true;
      this.selectedIndex = state.selected;
      this.selectedId = state.participants[state.selected]?.id ?? this.selectedId;
      for (const action of result.actions) this.options.onAction(action);
    }
    this.redraw();
  };

  private readonly onResize = (): void => {
    this.lastFrame = '';
    this.redraw();
  };

  private readonly restore = (): void => {
    try {
      this.stdin.setRawMode?.(false);
    } catch {
      // stdin may already be closed at exit; the screen reset below still matters.
    }
    this.stdout.write(RESET + CURSOR_SHOW + ALT_SCREEN_OFF);
  };
}
