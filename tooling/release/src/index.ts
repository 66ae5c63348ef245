export { PUBLISHABLE, workspaceManifest, type PackageJson, type PublishablePackage } from './packages.js';
export { packAll } from './pack.js';
export { NATIVE_BUILDS, npmEnv, npmInstall, type NpmRun } from './npm.js';
export { tarballFiles, tarballManifest } from './tarball.js';
export type { ProvidedPacked } from './provided-context.js';
export { runCommand, startCommand, type RunningCommand } from './command.js';
export { secondsOfTone, wavSamples } from './audio-checks.js';
