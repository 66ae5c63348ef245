/** What the test agent's stand-ins do, for the tests that check Alto against them. */

/** Frequency of the stand-in TTS's voice: a pure tone the tests look for in Alto's recording. */
export const REPLY_TONE_HZ = 660;
/** Time the stand-in LLM waits before its first token. */
export const LLM_FIRST_TOKEN_DELAY_MS = 300;
/** Time the stand-in TTS waits before its first audio frame. */
export const TTS_FIRST_FRAME_DELAY_MS = 150;
/** The sentence the LLM answers a spoken turn with; the tests parse the number back. */
export function replyToSpeech(seconds: string): string {
  return `You spoke for ${seconds} seconds.`;
}

/** The sentence the LLM answers a typed message with. */
export function replyToText(text: string): string {
  return `You wrote ${text.trim().split(/\s+/).length} words.`;
}
