// The HTTP server of the single, cluster and reuseport targets: one process
// serving the two routes, saying who it is.
import http from 'node:http';
import { route } from './routes.ts';

export function createBenchServer(id: number): http.Server {
  const who = id === 0 ? `the single process (pid ${process.pid})` : `worker ${id} (pid ${process.pid})`;
  return http.createServer((req, res) => {
    const answer = route(req.method ?? 'GET', req.url ?? '/', who);
    res.writeHead(answer.status, {
      'content-type': 'text/plain; charset=utf-8',
      'x-worker-id': String(id),
      'x-worker-pid': String(process.pid),
    });
    res.end(answer.body);
  });
}
