/**
 * The TUI's agent keys, read before the regular key bindings: a text-entry line (`t` opens it,
 * Enter sends, Esc cancels) and push-to-talk on the space bar: press-and-hold where the
 * terminal speaks the kitty keyboard protocol (it reports key releases), a toggle elsewhere.
 */

/** Asks the terminal whether it supports the kitty keyboard protocol (it answers `CSI ? flags u`). */
export const KITTY_QUERY = '\x1b[?u';
/** Pushes flags 1 (disambiguate) + 2 (report press, repeat and release events). */
export const KITTY_PUSH = '\x1b[>3u';
/** Pops what we pushed, restoring the terminal's keyboard mode. */
export const KITTY_POP = '\x1b[<u';

/** The key that opens the text-entry line. */
export const TEXT_ENTRY_KEY = 't';
/** The push-to-talk key. */
export const TALK_KEY = ' ';

/** What the keys do. */
export interface AgentInputActions {
  sendChat(text: string): void;
  startTurn(): void;
  endTurn(): void;
  /** Whether the user holds the turn now. */
  talking(): boolean;
}

/** Longest line the entry accepts (the framework's chat input is for a sentence). */
const MAX_ENTRY_CHARS = 500;

// A kitty keyboard protocol key: CSI code[:alternates] [; modifiers[:event]] u
// eslint-disable-next-line no-control-regex
const KITTY_KEY = /^\x1b\[(\d+)(?::[\d:]*)?(?:;(\d+)(?::(\d))?)?u/;
// eslint-disable-next-line no-control-regex
const KITTY_REPLY = /\x1b\[\?\d+u/;

/** Reads the agent keys out of raw stdin chunks; see the module comment. */
export class AgentInput {
  #entry: string | undefined;
  #holdToTalk = false;

  constructor(
    private readonly actions: AgentInputActions,
    private readonly options: { readonly pushToTalk: boolean; readonly write: (text: string) => void },
  ) {}

  /** Probes the terminal for press-and-hold support (only with push-to-talk). */
  start(): void {
    if (this.options.pushToTalk) this.options.write(KITTY_QUERY);
  }

  /** Restores the terminal's keyboard mode. */
  stop(): void {
    if (this.#holdToTalk) this.options.write(KITTY_POP);
    this.#holdToTalk = false;
  }

  /** True when space is press-and-hold (kitty protocol), false when it toggles. */
  get holdToTalk(): boolean {
    return this.#holdToTalk;
  }

  /** The entry line as typed so far, or undefined when it is closed. */
  get entry(): string | undefined {
    return this.#entry;
  }

  /** One line saying what the agent keys do now, for the status bar. */
  hint(): string {
    if (this.#entry !== undefined) return `say> ${this.#entry}█   (Enter send · Esc cancel)`;
    const talk = this.options.pushToTalk ? `space ${this.#holdToTalk ? 'hold to talk' : 'toggles talking'}${this.actions.talking() ? ' [TALKING]' : ''} · ` : '';
    return `${talk}t type to the agent`;
  }

  /**
   * Takes a raw stdin chunk and returns what is left for the regular key bindings (nothing while
   * the entry line is open: its letters must not mute or quit).
   */
  handle(chunk: string): string {
    let text = chunk;
    if (KITTY_REPLY.test(text)) {
      text = text.replace(KITTY_REPLY, '');
      if (this.options.pushToTalk && !this.#holdToTalk) {
        this.#holdToTalk = true;
        this.options.write(KITTY_PUSH);
      }
    }
    let rest = '';
    let i = 0;
    while (i < text.length) {
      const kitty = text[i] === '\x1b' ? KITTY_KEY.exec(text.slice(i)) : null;
      if (kitty) {
        i += kitty[0].length;
        rest += this.#kittyKey(Number(kitty[1]), Number(kitty[2] ?? 1), Number(kitty[3] ?? 1));
        continue;
      }
      const ch = text[i] as string;
      if (this.#entry !== undefined) {
        // An escape sequence (an arrow key) is not typed text; a lone Esc cancels.
        if (ch === '\x1b') {
          // eslint-disable-next-line no-control-regex
          const seq = /^\x1b(?:\[[0-9;?]*[ -/]*[@-~]|O.)/.exec(text.slice(i));
          if (!seq) this.#entry = undefined;
          i += seq ? seq[0].length : 1;
          continue;
        }
        this.#typed(ch);
        i++;
        continue;
      }
      if (ch === TEXT_ENTRY_KEY) this.#entry = '';
      else if (ch === TALK_KEY && this.options.pushToTalk) this.#talkKey(1);
      else rest += ch;
      i++;
    }
    return rest;
  }

  #typed(ch: string): void {
    const entry = this.#entry ?? '';
    if (ch === '\r' || ch === '\n') {
      this.#entry = undefined;
      if (entry.trim() !== '') this.actions.sendChat(entry);
    } else if (ch === '\x03') {
      this.#entry = undefined;
    } else if (ch === '\x7f' || ch === '\b') {
      this.#entry = [...entry].slice(0, -1).join('');
    } else if (ch >= ' ' && [...entry].length < MAX_ENTRY_CHARS) {
      this.#entry = entry + ch;
    }
  }

  /** A key in the kitty protocol's form, turned back into what the legacy bindings expect. */
  #kittyKey(code: number, modifiers: number, event: number): string {
    if (code === 32 && this.options.pushToTalk && this.#entry === undefined) {
      this.#talkKey(event);
      return '';
    }
    if (event === 3) return ''; // releases of other keys mean nothing here
    const ctrl = ((modifiers - 1) & 4) !== 0;
    const ch = ctrl && code >= 97 && code <= 122 ? String.fromCharCode(code - 96) : String.fromCodePoint(code);
    if (this.#entry !== undefined) {
      if (code === 27) this.#entry = undefined;
      else if (code === 13) this.#typed('\r');
      else if (code === 127) this.#typed('\x7f');
      else if (ctrl && code === 99) this.#typed('\x03');
      else this.#typed(ch);
      return '';
    }
    return code === 27 ? '\x1b' : ch;
  }

  /** Space: press (1), repeat (2) or release (3). */
  #talkKey(event: number): void {
    const talking = this.actions.talking();
    if (!this.#holdToTalk) {
      if (event === 1) {
        if (talking) this.actions.endTurn();
        else this.actions.startTurn();
      }
      return;
    }
    if (event === 1 && !talking) this.actions.startTurn();
    if (event === 3 && talking) this.actions.endTurn();
  }
}
