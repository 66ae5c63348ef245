import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses the text of a `.env` file strictly: `KEY=value` per line, optional `export ` prefix,
 * blank lines and `#` comments, values bare (trailing ` # comment` dropped), in single quotes
 * (literal) or in double quotes (`\n`, `\t`, `\"`, `\\` escapes). Anything else is an error naming
 * the file and the line, because a silently skipped line means a credential silently missing.
 * @param text the file's content
 * @param fileName shown in error messages
 * @returns the variables in file order (a later duplicate wins)
 * @throws {UsageError} on the first malformed line
 */
export function parseDotenv(text: string, fileName: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fail = (what: string): never => {
      throw new UsageError(`${fileName}:${i + 1}: ${what}; fix or remove that line`);
    };
    const body = line.startsWith('export ') ? line.slice(7).trimStart() : line;
    const eq = body.indexOf('=');
    if (eq < 0) fail('expected KEY=value');
    const key = body.slice(0, eq).trim();
    if (!KEY.test(key)) fail(`invalid variable name '${printable(key)}'`);
    out[key] = parseValue(body.slice(eq + 1).trim(), fail);
  }
  return out;
}

function parseValue(rest: string, fail: (what: string) => never): string {
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    let value = '';
    let i = 1;
    for (; i < rest.length; i++) {
      const ch = rest[i];
      if (ch === quote) break;
      if (ch === '\\' && quote === '"') {
        const next = rest[++i];
        if (next === 'n') value += '\n';
        else if (next === 't') value += '\t';
        else if (next === 'r') value += '\r';
        else if (next === '"' || next === '\\') value += next;
        else fail(`unknown escape '\\${next ?? ''}' in a double-quoted value`);
      } else {
        value += ch;
      }
    }
    if (i >= rest.length) fail(`unterminated ${quote} quote`);
    const after = rest.slice(i + 1).trim();
    if (after !== '' && !after.startsWith('#')) fail('unexpected text after the closing quote');
    return value;
  }
  const hash = rest.search(/\s#/);
  const value = (hash >= 0 ? rest.slice(0, hash) : rest).trim();
  if (value.includes('"') || value.includes("'")) fail('stray quote in an unquoted value');
  return value;
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
}

/**
 * Reads and parses a `.env` file.
 * @param path the file to read
 * @param required when false, a missing file yields `{}` (the implicit `./.env`); when true
 *   (an explicit `--dotenv`), it is a usage error
 * @throws {UsageError} when the file is required and unreadable, or malformed
 */
export function loadDotenv(path: string, required: boolean): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (!required && code === 'ENOENT') return {};
    throw new UsageError(`cannot read env file ${path} (${String(code ?? cause)}); check --dotenv`, { cause });
  }
  return parseDotenv(text, path);
}
