import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  isAudioProcessorPlugin,
  type AudioProcessorContext,
  type AudioProcessorPlugin,
  type AudioProcessorPluginFactory,
} from '@alto/mixer-core';
import { OrchestratorError } from './errors.js';

/**
 * Loads a user's processor module (`alto --plugin <module>`): a file path (relative to `cwd`)
 * or a package name, whose default export is an {@link AudioProcessorPluginFactory}. Throws an
 * `OrchestratorError('PLUGIN_LOAD_FAILED')` with a one-line reason when the module cannot be
 * found or exports something else.
 */
export async function loadPluginModule(specifier: string, cwd = process.cwd()): Promise<AudioProcessorPluginFactory> {
  const looksLikePath = specifier.startsWith('.') || isAbsolute(specifier) || /\.[cm]?[jt]s$/.test(specifier);
  const target = looksLikePath ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  let mod: { default?: unknown };
  try {
    mod = (await import(target)) as { default?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new OrchestratorError('PLUGIN_LOAD_FAILED', `cannot load plugin '${specifier}': ${reason}`, { cause: error });
  }
  const factory = mod.default;
  if (typeof factory !== 'function') {
    throw new OrchestratorError(
      'PLUGIN_LOAD_FAILED',
      `plugin '${specifier}' must default-export a function (context) => { name, process(block, channels, sampleRate) }`,
    );
  }
  return factory as AudioProcessorPluginFactory;
}

/** Runs a factory and checks that what it built is a processor. */
export async function instantiatePlugin(
  factory: AudioProcessorPluginFactory,
  context: AudioProcessorContext,
): Promise<AudioProcessorPlugin> {
  let plugin: unknown;
  try {
    plugin = await factory(context);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OrchestratorError('PLUGIN_LOAD_FAILED', `a plugin factory threw: ${reason}`, { cause: error });
  }
  if (!isAudioProcessorPlugin(plugin)) {
    throw new OrchestratorError(
      'PLUGIN_LOAD_FAILED',
      'a plugin factory returned no processor: expected { name: string, process(block, channels, sampleRate) }',
    );
  }
  return plugin;
}
