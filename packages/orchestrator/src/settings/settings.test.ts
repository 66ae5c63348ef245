import { describe, expect, it } from 'vitest';
import { ArgvError, parseArgv } from './argv.js';
import { configKeyOf, envName, hasFlagIn } from './definition.js';
import { renderOptions } from './help.js';
import { resolveSettings, SettingError } from './resolve.js';
import { SETTINGS } from './table.js';

const HINT = 'run x --help';

describe('parseArgv', () => {
  it('takes negative numbers as values, combined short flags, --flag=value and positionals after --', () => {
    const parsed = parseArgv(
      ['--master-volume', '-1', '-s44100', '-lv', '--channels=2', '--', '--not-a-flag'],
      'alto',
      HINT,
    );
    expect(Object.fromEntries(parsed.flags)).toEqual({
      'master-volume': '-1',
      'sample-rate': '44100',
      'list-devices': true,
      verbose: true,
      channels: '2',
    });
    expect(parsed.positionals).toEqual(['--not-a-flag']);
  });

  it('reads an alias under the setting name and remembers how it was spelled', () => {
    const parsed = parseArgv(['--volume', '0.5'], 'alto', HINT);
    expect(parsed.flags.get('master-volume')).toBe('0.5');
    expect(parsed.spelled.get('master-volume')).toBe('--volume');
  });

  it.each([
    [['--bogus'], /^unknown option --bogus; run x --help$/],
    [['-x'], /^unknown option -x; /],
    [['--token'], /^option --token needs a value \(JWT\); /],
    [['--token', '--url', 'ws://x'], /^option --token needs a value; /],
    [['--json', '--json'], /^option --json is given twice; keep one$/],
    [['--json=yes'], /^option --json takes no value; drop '=yes'; /],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseArgv(argv, 'alto', HINT)).toThrow(ArgvError);
    expect(() => parseArgv(argv, 'alto', HINT)).toThrow(message);
  });

  it('knows only the flags of the command', () => {
    expect(() => parseArgv(['--listen', '127.0.0.1:1'], 'alto', HINT)).toThrow(
      /unknown option --listen/,
    );
    expect(() => parseArgv(['--api-key', 'k'], 'altod', HINT)).toThrow(/unknown option --api-key/);
    expect(parseArgv(['--can-publish=false'], 'alto token', HINT).flags.get('can-publish')).toBe(
      'false',
    );
  });
});

describe('resolveSettings', () => {
  const resolve = (
    argv: string[],
    env: Record<string, string> = {},
    file?: Record<string, unknown>,
  ): Map<string, unknown> => {
    const { flags, spelled } = parseArgv(argv, 'altod', HINT);
    const resolved = resolveSettings('altod', {
      flags,
      spelled,
      env,
      ...(file ? { file: { path: 'f.json', values: file } } : {}),
    });
    return new Map([...resolved].map(([k, v]) => [k, v.value]));
  };

  it('takes flags over env over file, per setting', () => {
    const file = { masterVolume: 0.2, room: 'file-room', logLevel: 'debug' };
    const got = resolve(['--master-volume', '1.5'], { ALTOD_ROOM: 'env-room' }, file);
    expect([got.get('masterVolume'), got.get('room'), got.get('logLevel')]).toEqual([
      1.5,
      'env-room',
      'debug',
    ]);
  });

  it('names the source in every message', () => {
    expect(() => resolve(['--master-volume', '-1'])).toThrow(
      '--master-volume -1 is out of range; give a value from 0 to 2',
    );
    expect(() => resolve([], { ALTOD_MASTER_VOLUME: 'x' })).toThrow(
      "ALTOD_MASTER_VOLUME 'x' is not a number; give a value from 0 to 2",
    );
    expect(() => resolve([], {}, { masterVolume: 3 })).toThrow(
      `"masterVolume" in f.json '3' is out of range`,
    );
    expect(() => resolve([], { ALTOD_LOG_LEVEL: 'loud' })).toThrow(
      'ALTOD_LOG_LEVEL: log level "loud" is unknown; use one of trace',
    );
    expect(() => resolve(['--enable-aec', '--no-aec'])).toThrow(
      '--enable-aec and --no-aec contradict each other; keep one',
    );
    expect(() => resolve(['--input-device', 'null'])).toThrow(SettingError);
    expect(() => resolve(['--output-device', 'mp3:x.mp3'])).toThrow(
      "-o mp3:x.mp3: unknown backend 'mp3'",
    );
  });

  it('reads none as no device and anything else with device-io', () => {
    expect(resolve(['--input-device', 'none']).get('input')).toBe(false);
    expect(resolve(['-i', 'tone:440']).get('input')).toEqual({
      spec: { kind: 'tone', frequencyHz: 440 },
    });
  });
});

describe('the model', () => {
  it('gives every setting a flag or an env variable in each command, and unique flag names per command', () => {
    for (const command of ['alto', 'alto token', 'altod'] as const) {
      const names: string[] = [];
      for (const def of SETTINGS.filter((d) => d.commands.includes(command))) {
        expect(
          hasFlagIn(def, command) || envName(def, command) !== undefined,
          `${def.key} in ${command}`,
        ).toBe(true);
        if (hasFlagIn(def, command))
          names.push(
            ...(def.flag ? [def.flag.name, ...(def.flag.aliases ?? [])] : []),
            ...(def.switches ?? []).map((s) => s.flag),
          );
      }
      expect(new Set(names).size).toBe(names.length);
    }
    const keys = SETTINGS.map(configKeyOf).filter((k) => k !== undefined);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('renders help with every flag of the command', () => {
    const help = renderOptions('altod');
    for (const def of SETTINGS.filter((d) => hasFlagIn(d, 'altod')))
      expect(help).toContain(`--${def.flag?.name ?? def.switches?.[0]?.flag}`);
  });
});
