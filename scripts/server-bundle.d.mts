// Types of server-bundle.mjs for the TypeScript that imports it (test/helpers/server.ts).
import type { BuildOptions } from 'esbuild';

export const serverBundleOptions: BuildOptions;
