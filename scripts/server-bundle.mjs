// The esbuild options of dist/footfall.js (the CLI and server), shared by scripts/build.mjs
// and the tests' own bundle of the current source (test/helpers/server.ts).
//
// npm packages stay outside the bundle. Those written as CommonJS are loaded with require()
// instead of an ESM import: Node reads every CommonJS file an ES module imports with its
// export scanner first (cjs-module-lexer, ~0.3 s of a command's ~0.8 s start measured with
// --cpu-prof), which require() does not. Packages written as ES modules (and Node's own)
// stay ordinary imports.
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.join(import.meta.dirname, '..');
const builtins = new Set(builtinModules);

/** Whether the package file a bare specifier resolves to is CommonJS (false when only `import` resolves it). */
function isCommonJs(specifier) {
  let file;
  try {
    file = createRequire(path.join(ROOT, 'package.json')).resolve(specifier);
  } catch {
    return false;
  }
  if (file.endsWith('.mjs')) return false;
  if (file.endsWith('.cjs')) return true;
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).type !== 'module';
    } catch {
      // no package.json here: look further up
    }
  }
  return true;
}

/** Whether `import` and `require()` of a bare specifier load different files (a package with
 * both an ES module and a CommonJS build): the two would be two copies of the package. */
function isDualPackage(specifier) {
  try {
    return (
      import.meta.resolve(specifier) !==
      pathToFileURL(createRequire(path.join(ROOT, 'package.json')).resolve(specifier)).href
    );
  } catch {
    return false;
  }
}

/**
 * The esbuild plugin that loads CommonJS packages with require() (see above). `onlyPure`
 * leaves packages that also ship an ES module build as imports: in the tests, preact's hooks
 * (an ES module importing preact) must see the same preact as the test that imports it.
 */
export function commonJsAsRequire({ onlyPure = false } = {}) {
  return {
    name: 'require-commonjs-packages',
    setup(build) {
      // Decided once per specifier (the tests' copy imports the same packages from hundreds of files).
      const asRequire = new Map();
      const decide = (specifier) => {
        const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
        return !(
          builtins.has(name) ||
          builtins.has(name.split('/')[0]) ||
          !isCommonJs(specifier) ||
          (onlyPure && isDualPackage(specifier))
        );
      };
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        // The stand-in's own require() is the real one (the banner's), at run time.
        if (args.namespace === 'commonjs-package') return { path: args.path, external: true };
        if (!asRequire.has(args.path)) asRequire.set(args.path, decide(args.path));
        if (!asRequire.get(args.path)) return { path: args.path, external: true };
        return { path: args.path, namespace: 'commonjs-package' };
      });
      // A CommonJS stand-in: esbuild gives its importers the package's exports (a default and
      // its properties), and keeps a dynamic import() of it lazy.
      build.onLoad({ filter: /.*/, namespace: 'commonjs-package' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

// The stand-ins' require(), resolved from the output file's place (the bundle in dist/ or
// dist/test/, or each file of the tests' copy).
export const requireBanner =
  "import { createRequire as footfallCreateRequire } from 'node:module';\nconst require = footfallCreateRequire(import.meta.url);";

export const serverBundleOptions = {
  entryPoints: [path.join(ROOT, 'src/cli/main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The stand-ins' require(), resolved from the bundle's place (dist/ or dist/test/).
  banner: { js: requireBanner },
  plugins: [commonJsAsRequire()],
  logLevel: 'warning',
};
