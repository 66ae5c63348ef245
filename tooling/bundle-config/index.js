// Shared tsup preset for the apps: one self-contained ESM file per entry, workspace packages
// inlined from their sources, native runtime dependencies left to npm.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';

/**
 * Packages an installed app loads from node_modules instead of the bundle:
 * - @livekit/rtc-node installs a prebuilt native library through a per-platform optional
 *   dependency, and Alto reaches its CommonJS internals (log.cjs, ffi_client.cjs, the FFI
 *   bindings) by path, so it must stay one real package on disk;
 * - naudiodon2 compiles PortAudio with node-gyp on install and is loaded by `require` in the
 *   audio host.
 * Everything else (livekit-server-sdk, pino, prom-client and the workspace packages) is plain
 * JavaScript and goes into the bundle.
 */
export const NATIVE_DEPENDENCIES = ['@livekit/rtc-node', 'naudiodon2'];

const conditions = ['@alto/source', 'module', 'node', 'import'];

/**
 * The device host that @alto/device-io forks, as a bundle entry. device-io looks for it at
 * `host/main.js` beside the module that forks it, so the entry is named `host/main`.
 * @param {string} appUrl `import.meta.url` of the app's tsup config
 */
function deviceHostEntry(appUrl) {
  const pkg = createRequire(appUrl).resolve('@alto/device-io/package.json');
  return join(dirname(pkg), 'src', 'host', 'main.ts');
}

/**
 * The tsup config of an app.
 * @param {object} options
 * @param {string} options.appUrl `import.meta.url` of the app's tsup config
 * @param {Record<string, string>} options.entry bundle name → source file (e.g. `{ main: 'src/main.ts' }`)
 */
export function altoAppBundle({ appUrl, entry }) {
  return defineConfig({
    entry: { ...entry, 'host/main': deviceHostEntry(appUrl) },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    clean: true,
    splitting: false,
    dts: false,
    shims: true,
    external: NATIVE_DEPENDENCIES,
    noExternal: [new RegExp(`^(?!(${NATIVE_DEPENDENCIES.join('|')})(/|$))`)],
    esbuildOptions(options) {
      options.conditions = conditions;
    },
    // Bundled CommonJS dependencies (pino, prom-client) call `require` for Node's built-ins,
    // which an ES module lacks.
    banner: {
      js: "import { createRequire as __altoCreateRequire } from 'node:module'; const require = __altoCreateRequire(import.meta.url);",
    },
  });
}
