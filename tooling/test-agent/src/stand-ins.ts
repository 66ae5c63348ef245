/**
 * Local stand-ins for the speech services of a voice agent: no network, no model download.
 * Each one's behaviour is known to the tests, so what Alto shows can be checked exactly.
 */
import { AudioFrame } from '@livekit/rtc-node';
import { type APIConnectOptions, llm, stt, tts } from '@livekit/agents';
import type { AudioBuffer } from '@livekit/agents';
import { LLM_FIRST_TOKEN_DELAY_MS, REPLY_TONE_HZ, TTS_FIRST_FRAME_DELAY_MS, replyToSpeech, replyToText } from './constants.js';

/** Length of the tone the TTS speaks per word of text. */
const TONE_MS_PER_WORD = 120;
const TTS_SAMPLE_RATE = 48_000;
const FRAME_SAMPLES = 480;

const SPOKE = /^user spoke for ([\d.]+) seconds$/;

function frames(buffer: AudioBuffer): AudioFrame[] {
  return Array.isArray(buffer) ? buffer : [buffer];
}

/** An STT that "transcribes" a turn as how long it lasted (the VAD's speech segment). */
export class DurationStt extends stt.STT {
  label = 'alto-test.DurationStt';

  constructor() {
    super({ streaming: false, interimResults: false });
  }

  protected _recognize(buffer: AudioBuffer): Promise<stt.SpeechEvent> {
    let seconds = 0;
    for (const f of frames(buffer)) seconds += f.samplesPerChannel / f.sampleRate;
    const text = seconds > 0 ? `user spoke for ${seconds.toFixed(1)} seconds` : '';
    return Promise.resolve({
      type: stt.SpeechEventType.FINAL_TRANSCRIPT,
      alternatives: [{ language: 'en' as never, text, startTime: 0, endTime: seconds, confidence: 1 }],
    });
  }

  stream(): stt.SpeechStream {
    throw new Error('DurationStt is not streaming; the session wraps it with the VAD');
  }
}

/** An LLM that answers with a fixed sentence built from the last user message. */
export class FixedReplyLlm extends llm.LLM {
  label(): string {
    return 'alto-test.FixedReplyLlm';
  }

  chat({ chatCtx, connOptions }: { chatCtx: llm.ChatContext; connOptions?: APIConnectOptions }): llm.LLMStream {
    return new FixedReplyStream(this, chatCtx, connOptions);
  }
}

class FixedReplyStream extends llm.LLMStream {
  constructor(owner: FixedReplyLlm, chatCtx: llm.ChatContext, connOptions?: APIConnectOptions) {
    super(owner, { chatCtx, ...(connOptions ? { connOptions } : {}) } as ConstructorParameters<typeof llm.LLMStream>[1]);
  }

  protected async run(): Promise<void> {
    const last = [...this.chatCtx.items].reverse().find((i) => i.type === 'message' && i.role === 'user');
    const said = last && last.type === 'message' ? (last.textContent ?? '').trim() : '';
    const spoke = SPOKE.exec(said);
    const reply = spoke ? replyToSpeech(spoke[1] ?? '0') : replyToText(said || 'nothing');
    await new Promise((r) => setTimeout(r, LLM_FIRST_TOKEN_DELAY_MS));
    for (const word of reply.split(' ')) {
      this.queue.put({ id: 'alto-test', delta: { role: 'assistant', content: `${word} ` } });
    }
  }
}

/** A TTS whose voice is a {@link REPLY_TONE_HZ} tone, one burst per word. */
export class ToneTts extends tts.TTS {
  label = 'alto-test.ToneTts';

  constructor() {
    super(TTS_SAMPLE_RATE, 1, { streaming: false });
  }

  synthesize(text: string, connOptions?: APIConnectOptions, abortSignal?: AbortSignal): tts.ChunkedStream {
    return new ToneStream(text, this, connOptions, abortSignal);
  }

  stream(): tts.SynthesizeStream {
    throw new Error('ToneTts is not streaming; the session wraps it with a sentence tokenizer');
  }
}

class ToneStream extends tts.ChunkedStream {
  label = 'alto-test.ToneStream';
  readonly #text: string;

  constructor(text: string, owner: ToneTts, connOptions?: APIConnectOptions, abortSignal?: AbortSignal) {
    super(text, owner, connOptions, abortSignal);
    this.#text = text;
  }

  protected async run(): Promise<void> {
    await new Promise((r) => setTimeout(r, TTS_FIRST_FRAME_DELAY_MS));
    const words = Math.max(1, this.#text.trim().split(/\s+/).length);
    const total = Math.round((words * TONE_MS_PER_WORD * TTS_SAMPLE_RATE) / 1000 / FRAME_SAMPLES);
    const requestId = `tone-${Date.now()}`;
    let phase = 0;
    const step = (2 * Math.PI * REPLY_TONE_HZ) / TTS_SAMPLE_RATE;
    for (let n = 0; n < total; n++) {
      const data = new Int16Array(FRAME_SAMPLES);
      for (let i = 0; i < FRAME_SAMPLES; i++) {
        data[i] = Math.round(Math.sin(phase) * 8000);
        phase += step;
      }
      this.queue.put({
        requestId,
        segmentId: requestId,
        frame: new AudioFrame(data, TTS_SAMPLE_RATE, 1, FRAME_SAMPLES),
        final: n === total - 1,
      });
    }
  }
}
