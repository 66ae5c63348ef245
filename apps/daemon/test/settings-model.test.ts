import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configKeyOf,
  defaultTextOf,
  envName,
  flagHelp,
  hasFlagIn,
  rangeTextOf,
  settingExamples,
  settingsOf,
  type SettingDefinition,
} from '@alto/orchestrator';
import { describe, expect, it } from 'vitest';
import { USAGE } from '../src/cli-args.js';
import { parseConfigFile } from '../src/config.js';
import { runAltod } from '../src/run.js';
import { fakeFactory } from './fake-client.js';

const BASE_ENV = { LIVEKIT_URL: 'ws://127.0.0.1:1', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' };
const dir = mkdtempSync(join(tmpdir(), 'altod-settings-'));

/** Runs altod's real entry (`runAltod`, what bin/altod.js runs) with `--print-settings`. */
async function altod(
  argv: string[],
  env: Record<string, string>,
  file?: Record<string, unknown>,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const exits: number[] = [];
  const configArgs: string[] = [];
  if (file !== undefined) {
    const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(file));
    configArgs.push('--config', path);
  }
  await runAltod(
    { createClient: fakeFactory().create, listDevices: () => Promise.resolve([]) },
    {
      argv: [...configArgs, ...argv, '--print-settings'],
      env: { ...BASE_ENV, ...env },
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      exit: (c) => exits.push(c),
    },
  );
  return { code: exits[0] ?? -1, out: out.join(''), err: err.join('') };
}

/** Settings that need company to be accepted (a key for an agent, a room unless --no-join…). */
function companions(def: SettingDefinition): { argv: string[]; env: Record<string, string> } {
  if (def.key === 'room') return { argv: [], env: {} };
  if (def.key === 'join') return { argv: ['--room-name', 'r'], env: {} };
  if (def.key === 'token')
    return { argv: ['--room-name', 'r'], env: { LIVEKIT_API_KEY: '', LIVEKIT_API_SECRET: '' } };
  return { argv: ['--room-name', 'r'], env: {} };
}

function flagArgs(def: SettingDefinition, text: string, value: unknown): string[] | undefined {
  if (!hasFlagIn(def, 'altod')) return undefined;
  if (def.flag) return [`--${def.flag.name}`, text];
  const sw = def.switches?.find((s) => s.value === value);
  return sw ? [`--${sw.flag}`] : undefined;
}

/**
 * The model's examples of a setting; a key file is read at start, so its valid examples become
 * real key files (mode 600, a long enough passphrase).
 */
function examplesOf(def: SettingDefinition): ReturnType<typeof settingExamples> {
  const ex = settingExamples(def);
  if (def.key !== 'e2eeKeyFile') return ex;
  const valid = ex.valid.map(({ text }) => {
    const path = join(dir, text);
    writeFileSync(path, 'a passphrase everyone in the call shares\n', { mode: 0o600 });
    return { text: path, value: path };
  });
  return { ...ex, valid };
}

const printed = (run: { out: string }, key: string): unknown =>
  (JSON.parse(run.out) as Record<string, unknown>)[key];
// Credentials and the URL have their own precedence tests (config.test.ts): the base environment here carries them.
const SETTINGS = settingsOf('altod').filter(
  (def) => !['url', 'apiKey', 'apiSecret', 'token'].includes(def.key),
);

describe('altod settings from the model', () => {
  it('documents every setting in --help with its flag or env variable, default and range, and accepts its config key', () => {
    for (const def of settingsOf('altod')) {
      const lines = USAGE.split('\n');
      const env = envName(def, 'altod');
      const flag = hasFlagIn(def, 'altod')
        ? (def.flag?.name ?? def.switches?.[0]?.flag)
        : undefined;
      const line = lines.find((l) =>
        flag !== undefined
          ? l.includes(`--${flag} `) ||
            l.trimEnd().endsWith(`--${flag}`) ||
            l.includes(`--${flag}  `)
          : l.includes(env ?? '§'),
      );
      expect(line, `${def.key} in altod --help`).toBeDefined();
      if (env !== undefined) expect(line, `${def.key} env`).toContain(`env ${env}`);
      const fallback = defaultTextOf(def);
      if (fallback !== undefined)
        expect(line, `${def.key} default`).toContain(`default ${fallback}`);
      const range = rangeTextOf(def);
      if (range !== undefined) expect(line, `${def.key} range`).toContain(range);
      const key = configKeyOf(def);
      if (key !== undefined)
        expect(() => parseConfigFile(JSON.stringify({ [key]: null }), 'f.json')).not.toThrow();
    }
    expect(flagHelp('altod').map((f) => f.name)).toContain('e2ee-key-file');
  });

  it('prints the model default of every setting nothing sets', async () => {
    const run = await altod(['--room-name', 'r'], {});
    expect(run.code).toBe(0);
    for (const def of settingsOf('altod')) {
      if (def.default !== undefined && !['room'].includes(def.key))
        expect(printed(run, def.key), def.key).toEqual(def.default);
    }
    expect(printed(run, 'e2eeKeyFile')).toBeNull();
  });

  describe.each(SETTINGS.map((def) => [def.key, def] as const))('%s', (_key, def) => {
    const ex = examplesOf(def);
    const { argv, env } = companions(def);
    const envVar = envName(def, 'altod');
    const inverted = typeof def.env === 'object' && def.env.inverted === true;

    it('takes a valid value from each source', async () => {
      const [first] = ex.valid;
      const flag = flagArgs(def, first!.text, first!.value);
      if (flag)
        expect(printed(await altod([...argv, ...flag], env), def.key)).toEqual(first!.value);
      if (envVar !== undefined) {
        const run = await altod(argv, { ...env, [envVar]: first!.text });
        expect(run.err).toBe('');
        expect(printed(run, def.key)).toEqual(inverted ? !first!.value : first!.value);
      }
      const key = configKeyOf(def);
      if (key !== undefined) {
        const fileValue =
          def.kind === 'number' || def.kind === 'boolean' ? first!.value : first!.text;
        expect(printed(await altod(argv, env, { [key]: fileValue }), def.key)).toEqual(
          fileValue === '3' && def.kind === 'input-device' ? 3 : fileValue,
        );
      }
    });

    it('refuses each kind of invalid value with one line and exit 2', async () => {
      for (const bad of ex.invalid) {
        const flag =
          def.flag && hasFlagIn(def, 'altod') ? [`--${def.flag.name}`, bad.text] : undefined;
        const runs = [
          ...(flag ? [await altod([...argv, ...flag], env)] : []),
          ...(envVar ? [await altod(argv, { ...env, [envVar]: bad.text })] : []),
        ];
        for (const run of runs) {
          expect(run.code, `${def.key} ${bad.text}`).toBe(2);
          expect(run.err).toMatch(/^altod: [^\n]+\n$/);
          expect(run.err).toMatch(bad.message);
        }
      }
      const key = configKeyOf(def);
      if (key !== undefined) {
        const wrongType = def.kind === 'text' ? 5 : def.kind.endsWith('device') ? true : 'text';
        const run = await altod(argv, env, { [key]: wrongType });
        expect(run.code).toBe(2);
        expect(run.err).toContain(`"${key}" must be`);
      }
    });

    it('takes flags over env over the config file', async () => {
      const key = configKeyOf(def);
      if (envVar === undefined || key === undefined || inverted) return;
      const [a, b, c] =
        def.kind === 'boolean' ? [ex.valid[0]!, ex.valid[1]!, ex.valid[0]!] : ex.valid;
      const fileValue = (v: { text: string; value: unknown }): unknown =>
        def.kind === 'number' || def.kind === 'boolean' ? v.value : v.text;
      const file = { [key]: fileValue(a!) };
      expect(printed(await altod(argv, env, file), def.key)).toEqual(
        a!.value === undefined ? a!.text : printedAs(def, a!),
      );
      expect(printed(await altod(argv, { ...env, [envVar]: b!.text }, file), def.key)).toEqual(
        printedAs(def, b!),
      );
      const flag = flagArgs(def, c!.text, c!.value);
      if (flag)
        expect(
          printed(await altod([...argv, ...flag], { ...env, [envVar]: b!.text }, file), def.key),
        ).toEqual(printedAs(def, c!));
    });
  });
});

function printedAs(def: SettingDefinition, v: { text: string; value: unknown }): unknown {
  if (def.kind === 'input-device' || def.kind === 'output-device')
    return /^\d+$/.test(v.text) ? Number(v.text) : v.text;
  return v.value;
}
