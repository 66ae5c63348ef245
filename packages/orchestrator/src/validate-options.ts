import { serverUrlProblem } from '@alto/livekit-net';
import { MAX_VOLUME, MIN_VOLUME } from '@alto/mixer-core';
import type { AltoClientOptions } from './client-types.js';
import { OrchestratorError } from './errors.js';

/** Checks options once, up front, so a bad value fails before anything is opened. */
export function validateClientOptions(options: AltoClientOptions): AltoClientOptions {
  const fail = (message: string): never => {
    throw new OrchestratorError('INVALID_OPTIONS', message);
  };
  for (const text of [options.url, ...(options.fallbackUrls ?? [])]) {
    if (serverUrlProblem(text) !== undefined) fail(`invalid server URL '${text}': expected ws://, wss://, http:// or https://`);
  }
  if (!options.token) {
    if (!options.apiKey || !options.apiSecret) fail('no credentials: give a token, or an API key and secret');
    if (!options.room) fail('no room name: give a room to mint a token for');
    if (!options.identity) fail('no identity: give an identity to mint a token for');
  }
  if (options.agents?.length) {
    if (options.token) fail('a ready token cannot dispatch an agent (its room configuration is fixed when minted): use an API key and secret, or a token minted with the agent in it');
    for (const name of options.agents) if (!name.trim()) fail('an agent name cannot be empty');
  }
  if (options.pushToTalk && options.input === false) fail('push-to-talk needs a microphone: it cannot be used listen-only');
  // An empty key would leave the call unencrypted while the client reports encryption on.
  if (options.e2eeKey !== undefined && options.e2eeKey.trim() === '') fail('the end-to-end encryption key is empty: give the shared passphrase, or no key');
  const rate = options.sampleRate ?? 48_000;
  if (!Number.isInteger(rate) || rate < 8000 || rate > 192_000) fail(`sample rate must be an integer from 8000 to 192000, got ${rate}`);
  const channels: number = options.channels ?? 1;
  if (channels !== 1 && channels !== 2) fail(`channels must be 1 or 2, got ${channels}`);
  const volume = options.masterVolume ?? 1;
  if (!Number.isFinite(volume) || volume < MIN_VOLUME || volume > MAX_VOLUME) fail(`volume must be between ${MIN_VOLUME} and ${MAX_VOLUME}, got ${volume}`);
  return options;
}
