// What a newcomer meets in the first minutes with the CLI: the version, a typo in --data that
// does not quietly make an empty data directory, and the snippet printed by `site add`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, removeDir, runCli, tempDir } from '../helpers/server.js';

describe('footfall CLI, first hour', () => {
  it('--version and -V print package.json’s version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim(), version);
    }
  });

  it('read-only and removing commands refuse a data directory that does not exist, and leave none behind', async () => {
    const parent = tempDir();
    const typo = path.join(parent, 'typo');
    try {
      for (const args of [
        ['site', 'list'],
        ['site', 'remove', 'example.com', '--yes'],
        ['user', 'list'],
        ['key', 'list'],
        ['query', '--site', 'example.com'],
      ]) {
        const run = await runCli([...args, '--data', typo]);
        assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
        assert.match(run.stderr, /no Footfall data in .*typo.*pass --data/, args.join(' '));
        assert.equal(existsSync(typo), false, `${args.join(' ')} created ${typo}`);
      }
    } finally {
      removeDir(parent);
    }
  });

  it('query refuses flags that would be ignored together, naming both', async () => {
    for (const [args, pair] of [
      [['--json', '--csv'], /'--json' cannot be used with option '--csv'/],
      [['--realtime', '--range', '7d'], /'--realtime' cannot be used with option '--range/],
      [['--realtime', '--dimensions', 'event:page'], /'--realtime' cannot be used with option '--dimensions/],
      [['--journeys', '--compare', 'previous_period'], /'--journeys' cannot be used with option '--compare/],
    ] as const) {
      const run = await runCli(['query', '--site', 'example.com', ...args, '--data', '/nonexistent']);
      assert.notEqual(run.code, 0, args.join(' '));
      assert.match(run.stderr, pair, args.join(' '));
    }
  });

  it('site add makes the data directory and prints that site’s own snippet', async () => {
    const data = tempDir();
    try {
      const added = await runCli(['site', 'add', 'Blog.Example.org', '--data', path.join(data, 'new')], {
        env: { FOOTFALL_PUBLIC_URL: 'https://stats.example.net/', PORT: '' },
      });
      assert.equal(added.code, 0, added.stderr);
      assert.ok(
        added.stdout.includes(
          '<script defer data-domain="blog.example.org" src="https://stats.example.net/script.js"></script>',
        ),
        added.stdout,
      );

      const flag = await runCli(
        [
          'site',
          'add',
          'shop.example.org',
          '--public-url',
          'http://10.0.0.5:9000',
          '--data',
          path.join(data, 'new'),
        ],
        { env: { FOOTFALL_PUBLIC_URL: '' } },
      );
      assert.ok(
        flag.stdout.includes('data-domain="shop.example.org" src="http://10.0.0.5:9000/script.js"'),
        flag.stdout,
      );

      const byPort = await runCli(['site', 'add', 'x.example.org', '--data', path.join(data, 'new')], {
        env: { FOOTFALL_PUBLIC_URL: '', PORT: '8123' },
      });
      assert.ok(byPort.stdout.includes('src="http://localhost:8123/script.js"'), byPort.stdout);
    } finally {
      removeDir(data);
    }
  });
});
