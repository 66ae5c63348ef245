import { describe, expect, it } from 'vitest';
import { classifyConnectError, describeConnectFailure, redactTokens, serverUrlProblem, validateServerUrl } from './connect-errors.js';
import { ConnectFailedError, InvalidUrlError, ServerUnreachableError, TokenRejectedError, WrongSecretError } from './errors.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiIn0.up9O8RZZisKUcEyvSs26f5FvZiQatsX2Idx7QhJEevc';
const url = 'ws://127.0.0.1:7880';

describe('classifyConnectError (messages as livekit-ffi reports them)', () => {
  it.each([
    [`engine: signal failure: client error: 401 Unauthorized - invalid token: ${JWT}, error: token signature is invalid: signature is invalid`, WrongSecretError],
    ['engine: signal failure: client error: 401 Unauthorized - invalid API key: nokey', WrongSecretError],
    [`engine: signal failure: client error: 401 Unauthorized - invalid token: ${JWT}, error: token has invalid claims: token is expired`, TokenRejectedError],
    ['engine: signal failure: client error: 401 Unauthorized - invalid authorization token', TokenRejectedError],
    ['engine: signal failure: failed to parse the url: relative URL without a base', InvalidUrlError],
    ['engine: signal failure: transport connection error: IO error: Connection refused (os error 111)', ServerUnreachableError],
    ['something nobody expected', ConnectFailedError],
  ])('maps %s', (message, type) => {
    const error = classifyConnectError(new Error(message), url);
    expect(error).toBeInstanceOf(type);
    expect(error.message).not.toContain(JWT);
    expect(String((error.cause as Error | undefined)?.message ?? '')).not.toContain(JWT);
  });

  it('says what to do in the message', () => {
    expect(classifyConnectError(new Error('401 Unauthorized - invalid API key: k'), url).message).toMatch(/API key and secret/);
    expect(classifyConnectError(new Error('Connection refused'), url).message).toMatch(/running/);
  });
});

describe('redactTokens', () => {
  it('removes JWTs and keeps the rest', () => {
    expect(redactTokens(`bad token: ${JWT}, error: x`)).toBe('bad token: <token>, error: x');
  });
});

describe('validateServerUrl', () => {
  it('accepts ws, wss, http and https URLs', () => {
    for (const ok of ['ws://127.0.0.1:7880', 'wss://example.livekit.cloud', 'http://localhost:7880', 'https://a.b']) {
      expect(validateServerUrl(ok)).toBe(ok);
    }
  });
  it('rejects anything else with InvalidUrlError', () => {
    for (const bad of ['', 'not a url', 'localhost:7880', 'ftp://x', 'ws://']) {
      expect(() => validateServerUrl(bad), bad).toThrow(InvalidUrlError);
    }
  });
});

describe('describeConnectFailure', () => {
  it.each([
    ['engine: signal failure: transport connection error: IO error: Connection refused (os error 111)', 'unreachable'],
    ['engine: signal failure: client error: 401 Unauthorized - invalid API key: nokey', 'wrong key'],
    [`client error: 401 Unauthorized - invalid token: ${JWT}, error: token has invalid claims: token is expired`, 'token expired'],
    ['client error: 401 Unauthorized - invalid authorization token', 'token rejected'],
    ['engine: signal failure: client error: 500 - room has exceeded its max participants', 'server full'],
    ['something nobody expected', 'failed'],
  ])('puts %s in words', (message, reason) => {
    const failure = describeConnectFailure(classifyConnectError(new Error(message), url));
    expect(failure.reason).toBe(reason);
    expect(failure.message).not.toContain(JWT);
  });
});

describe('serverUrlProblem', () => {
  it.each([
    ['ws://127.0.0.1:7880', undefined],
    ['https://host', undefined],
    ['localhost', 'is not a URL'],
    ['ftp://host', 'has scheme ftp:'],
    ['ws://', 'is not a URL'],
  ])('%s → %s', (url, problem) => expect(serverUrlProblem(url)).toBe(problem));
});
