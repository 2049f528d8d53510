// Builds the dashboard into dist/web/: index.html (the shell the server sends for every
// dashboard path) and assets/ with content-hashed names (served with a one-year cache):
// the JS bundle (Preact + uPlot + src/web), the stylesheet, the favicon and the world map.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { worldShapes } from './world-map.mjs';

function hashed(name, ext, content) {
  return `${name}-${createHash('sha256').update(content).digest('hex').slice(0, 10)}.${ext}`;
}

export async function buildWeb(outDir = 'dist/web') {
  rmSync(outDir, { recursive: true, force: true });
  const assets = path.join(outDir, 'assets');
  mkdirSync(assets, { recursive: true });
  const result = await build({
    entryPoints: { app: 'src/web/main.tsx', style: 'src/web/styles/main.css' },
    outdir: assets,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome100', 'firefox100', 'safari15.4'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.svg': 'file' },
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const url = (predicate) => {
    const found = outputs.find(([file, out]) => predicate(file, out));
    if (!found) throw new Error('web build: an expected output is missing');
    return `/assets/${path.basename(found[0])}`;
  };
  const js = url((_f, o) => o.entryPoint === 'src/web/main.tsx');
  const css = url((f) => f.endsWith('.css'));
  const favicon = url((f) => /favicon-[^/]*\.svg$/.test(f));

  const map = JSON.stringify(worldShapes());
  const mapName = hashed('world', 'json', map);
  writeFileSync(path.join(assets, mapName), map);

  const html = readFileSync('src/web/shell/index.html', 'utf8')
    .replace('%JS%', js)
    .replace('%CSS%', css)
    .replace('%FAVICON%', favicon)
    .replace('%MAP%', `/assets/${mapName}`);
  writeFileSync(path.join(outDir, 'index.html'), html);
}
