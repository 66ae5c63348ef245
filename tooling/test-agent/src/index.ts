/** The test agent for Alto's end-to-end tests: a real LiveKit Agents worker with local stand-ins. */
export { startTestAgent, type AgentRecord, type TestAgent, type TestAgentOptions } from './worker.js';
export { LLM_FIRST_TOKEN_DELAY_MS, REPLY_TONE_HZ, TTS_FIRST_FRAME_DELAY_MS, replyToSpeech, replyToText } from './constants.js';
