// `footfall site add` prints the site's own snippet (issue 12, item 1), with the server's
// public URL as `footfall serve` would use it: FOOTFALL_PUBLIC_URL, else localhost and the port.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { removeDir, runCli, tempDir } from '../helpers/server.js';

test("site add prints that site's snippet, pointing at the public URL", async () => {
  const data = tempDir();
  try {
    const plain = await runCli(['site', 'add', 'shop.example', '--data', data], {
      env: { FOOTFALL_PUBLIC_URL: '', PORT: '' },
    });
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(
      plain.stdout.includes(
        '<script defer data-domain="shop.example" src="http://localhost:8000/script.js"></script>',
      ),
      plain.stdout,
    );
    const public_ = await runCli(['site', 'add', 'blog.example', '--data', data], {
      env: { FOOTFALL_PUBLIC_URL: 'https://stats.example.org' },
    });
    assert.equal(public_.code, 0, public_.stderr);
    assert.ok(
      public_.stdout.includes(
        '<script defer data-domain="blog.example" src="https://stats.example.org/script.js"></script>',
      ),
      public_.stdout,
    );
  } finally {
    removeDir(data);
  }
});
