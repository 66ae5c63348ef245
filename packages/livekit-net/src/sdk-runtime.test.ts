import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureSdkLogging } from './sdk-runtime.js';

interface SdkLog {
  level: string;
  debug(msg: string): void;
  warn(msg: string): void;
}

function sdkLog(): SdkLog {
  const require = createRequire(import.meta.url);
  return (require(join(dirname(require.resolve('@livekit/rtc-node')), 'log.cjs')) as { log: SdkLog }).log;
}

describe('configureSdkLogging', () => {
  it('silences the SDK logger by default (it logs debug lines to stdout otherwise)', () => {
    expect(configureSdkLogging()).toBe(true);
    expect(sdkLog().level).toBe('silent');
  });

  it('forwards SDK log lines at or above the level to our logger instead of stdout', () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, f?: Record<string, unknown>) => lines.push(`debug ${m} ${String(f?.['sdk'])}`),
      info: (m: string, f?: Record<string, unknown>) => lines.push(`info ${m} ${String(f?.['sdk'])}`),
      warn: (m: string, f?: Record<string, unknown>) => lines.push(`warn ${m} ${String(f?.['sdk'])}`),
      error: (m: string, f?: Record<string, unknown>) => lines.push(`error ${m} ${String(f?.['sdk'])}`),
    };
    expect(configureSdkLogging({ level: 'warn', logger })).toBe(true);
    sdkLog().debug('Connect callback received');
    sdkLog().warn('something odd');
    expect(lines).toEqual(['warn livekit sdk something odd']);
    configureSdkLogging();
  });
});
