// The baseline: a bare node:http server that parses the query and answers the GIF —
// the ceiling any tracking server on this machine can reach.
import { createServer } from 'node:http';

const GIF = Buffer.from('R0lGODlhAQABAIAAANvf7wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const server = createServer((req, res) => {
  if (req.method === 'POST') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString());
      res.writeHead(202, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    return;
  }
  new URL(req.url, 'http://localhost').searchParams.get('url');
  res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store, no-cache, private' });
  res.end(GIF);
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
