import { execFileSync } from 'node:child_process';
import { columnsOf } from '../src/tui/text-width.js';

/** A private tmux server with one pane, for driving the TUI as a user's terminal would. */
export class TmuxPane {
  private readonly socket: string;

  constructor(name: string) {
    this.socket = `alto-${name}-${process.pid}`;
  }

  /** Runs tmux on this server. */
  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Starts the session running `command` in a `columns` x `rows` window. */
  start(command: string, columns: number, rows: number): void {
    this.tmux('new-session', '-d', '-x', String(columns), '-y', String(rows), command);
  }

  /** The visible screen, one string per row (trailing blanks trimmed by tmux). */
  lines(): string[] {
    return this.tmux('capture-pane', '-p').replace(/\n$/, '').split('\n');
  }

  /** The visible screen with its colours and attributes as SGR sequences. */
  styled(): string {
    return this.tmux('capture-pane', '-p', '-e');
  }

  /** Types keys (tmux key names or literal text). */
  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  /** Changes the window size, as a user resizing the terminal does. */
  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-x', String(columns), '-y', String(rows));
  }

  /** The widest line on screen, in columns (CJK and emoji count two). */
  widestLine(): number {
    return Math.max(0, ...this.lines().map(columnsOf));
  }

  /** Stops the tmux server and everything in it. */
  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }

  /** Polls `probe` every 100 ms until it returns a value; the error shows the screen. */
  async until<T>(what: string, probe: (screen: string) => T | undefined, timeoutMs = 30_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.lines().join('\n');
      const value = probe(screen);
      if (value !== undefined && value !== false) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
