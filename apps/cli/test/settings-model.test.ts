import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  defaultTextOf,
  envName,
  hasFlagIn,
  rangeTextOf,
  settingByKey,
  settingExamples,
  settingFacts,
  settingsOf,
  SETTINGS,
  type SettingDefinition,
} from '@alto/orchestrator';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { runCli } from './run-cli.js';

const SECRET_FILE = join(mkdtempSync(join(tmpdir(), 'alto-settings-secret-')), 'secret');
writeFileSync(SECRET_FILE, 'secret\n', { mode: 0o600 });
const BASE: readonly (readonly [string, string])[] = [
  ['--url', 'ws://localhost:7880'],
  ['--api-key', 'k'],
  ['--api-secret-file', SECRET_FILE],
  ['--room-name', 'r'],
  ['--identity', 'i'],
];

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs alto's real entry (`main`, what bin/alto.js runs) with `--print-settings`, in a directory holding `dotenv` as .env. */
async function alto(
  def: SettingDefinition,
  argv: string[],
  env: Record<string, string> = {},
  dotenv?: Record<string, string>,
): Promise<Run> {
  const cwd = mkdtempSync(join(tmpdir(), 'alto-settings-'));
  if (dotenv)
    writeFileSync(
      join(cwd, '.env'),
      Object.entries(dotenv)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
  // The setting's own flag is left out of the base arguments so the other sources can set it.
  const own = new Set(
    [def.flag?.name, ...(def.switches ?? []).map((s) => s.flag)].map((f) => `--${f}`),
  );
  const base = BASE.filter(([flag]) => !own.has(flag)).flat();
  let out = '';
  let err = '';
  const code = await main([...base, ...argv, '--print-settings'], {
    env,
    cwd,
    stdoutIsTTY: true,
    stdinIsTTY: true,
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  return { code, out, err };
}

function printed(run: Run, key: string): unknown {
  expect(run.err, `stderr of a run for ${key}`).toBe('');
  return (JSON.parse(run.out) as Record<string, unknown>)[key];
}

function flagArgs(
  def: SettingDefinition,
  example: { text: string; value: unknown },
): string[] | undefined {
  if (!hasFlagIn(def, 'alto')) return undefined;
  if (def.flag) return [`--${def.flag.name}`, example.text];
  const sw = def.switches?.find((s) => s.value === example.value);
  return sw ? [`--${sw.flag}`] : undefined;
}

function printedAs(def: SettingDefinition, example: { text: string; value: unknown }): unknown {
  if (def.kind === 'input-device' || def.kind === 'output-device')
    return /^\d+$/.test(example.text) ? Number(example.text) : example.text;
  return example.value;
}

// Credentials and the server URL have their own precedence tests (args.test.ts); the rest goes through the table.
const TABLE = settingsOf('alto').filter(
  (def) =>
    !['url', 'token', 'tokenFileLiveKit', 'apiKey', 'apiSecret', 'apiSecretFile'].includes(def.key),
);

describe('alto settings from the model', () => {
  it('both apps document every setting of the model with the same default and range, and their own env variable', async () => {
    const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const altodMain = fileURLToPath(new URL('../../daemon/src/main.ts', import.meta.url));
    const altodHelp = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--conditions=@alto/source', '--import', TSX, altodMain, '--help'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    const altoHelp = (await runCli(['--help'])).stdout;
    const tokenHelp = (await runCli(['token', '--help'])).stdout;
    const helps = { alto: altoHelp, 'alto token': tokenHelp, altod: altodHelp } as const;
    for (const def of SETTINGS) {
      for (const command of def.commands) {
        const help = helps[command];
        const flag = hasFlagIn(def, command)
          ? (def.flag?.name ?? def.switches?.[0]?.flag)
          : undefined;
        const env = envName(def, command);
        const line = help
          .split('\n')
          .find((l) =>
            flag !== undefined
              ? new RegExp(`^\\s+(-\\w, )?--${flag}( |$)`).test(l)
              : env !== undefined && l.trimStart().startsWith(env),
          );
        expect(line, `${def.key} in ${command} --help`).toBeDefined();
        // Range, default and env variable, exactly as the model states them.
        expect(line).toContain(settingFacts(def, command));
        if (env !== undefined) expect(line).toContain(`env ${env}`);
        const range = rangeTextOf(def);
        if (range !== undefined) expect(line).toContain(range);
        const fallback = defaultTextOf(def);
        if (fallback !== undefined) expect(line).toContain(`default ${fallback}`);
      }
    }
    expect(altoHelp).toContain('--e2ee-key-file PATH');
    expect(altodHelp).toContain('--e2ee-key-file PATH');
    expect(altoHelp).toContain('env ALTO_E2EE_KEY_FILE');
    expect(altodHelp).toContain('env ALTO_E2EE_KEY_FILE');
  });

  it('prints the model default of every setting nothing sets', async () => {
    const run = await alto(settingByKey('json'), []);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    for (const def of settingsOf('alto'))
      if (def.default !== undefined) expect(printed(run, def.key), def.key).toEqual(def.default);
    expect(printed(run, 'e2eeKeyFile')).toBeNull();
  });

  describe.each(TABLE.map((def) => [def.key, def] as const))('%s', (_key, def) => {
    const ex = settingExamples(def);
    const env = envName(def, 'alto');

    it('takes a valid value from a flag, the environment and .env', async () => {
      const [first] = ex.valid;
      const flag = flagArgs(def, first!);
      if (flag) expect(printed(await alto(def, flag), def.key)).toEqual(printedAs(def, first!));
      if (env !== undefined) {
        expect(printed(await alto(def, [], { [env]: first!.text }), def.key)).toEqual(
          printedAs(def, first!),
        );
        expect(printed(await alto(def, [], {}, { [env]: first!.text }), def.key)).toEqual(
          printedAs(def, first!),
        );
      }
    });

    it('refuses each kind of invalid value with one line and exit 2', async () => {
      for (const bad of ex.invalid) {
        const runs: Run[] = [];
        if (def.flag) runs.push(await alto(def, [`--${def.flag.name}`, bad.text]));
        if (env !== undefined) runs.push(await alto(def, [], { [env]: bad.text }));
        // A .env value is trimmed, so a blank one there means unset rather than empty.
        if (env !== undefined && bad.text.trim() !== '')
          runs.push(await alto(def, [], {}, { [env]: bad.text }));
        for (const run of runs) {
          expect(run.code, `${def.key} ${bad.text}`).toBe(2);
          expect(run.out).toBe('');
          expect(run.err).toMatch(/^alto: [^\n]+\n$/);
          expect(run.err).toMatch(bad.message);
        }
      }
    });

    it('takes flags over the environment over .env', async () => {
      if (env === undefined) return;
      const [a, b, c] =
        def.kind === 'boolean' ? [ex.valid[1]!, ex.valid[0]!, ex.valid[1]!] : ex.valid;
      expect(printed(await alto(def, [], { [env]: b!.text }, { [env]: a!.text }), def.key)).toEqual(
        printedAs(def, b!),
      );
      const flag = flagArgs(def, c!);
      if (flag)
        expect(
          printed(await alto(def, flag, { [env]: b!.text }, { [env]: a!.text }), def.key),
        ).toEqual(printedAs(def, c!));
    });
  });

  it('gives --master-volume -1 a range error, not an ambiguity', async () => {
    const run = await alto(settingByKey('json'), ['--master-volume', '-1']);
    expect(run.code).toBe(2);
    expect(run.err).toBe('alto: --master-volume -1 is out of range; give a value from 0 to 2\n');
  });
});
