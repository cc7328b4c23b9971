// The two routes every target serves, so the targets differ only in how the
// work is spread over processes:
//   GET /hello       I/O-light: almost all the cost is HTTP itself
//   GET /cpu?ms=N    N ms of CPU-bound work per request (0 to 1000)

/** Keeps this thread busy for `ms` milliseconds: the stand-in for real CPU work. */
export function burnCpu(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

export interface Answer {
  status: number;
  body: string;
}

/** Route a request (method and path with query) to its answer. */
export function route(method: string, url: string, who: string): Answer {
  const { pathname, searchParams } = new URL(url, 'http://bench');
  if (method !== 'GET') return { status: 405, body: 'method not allowed: use GET\n' };
  if (pathname === '/hello') return { status: 200, body: `hello from ${who}\n` };
  if (pathname === '/cpu') {
    const raw = searchParams.get('ms') ?? '10';
    if (!/^\d{1,4}$/.test(raw) || Number(raw) > 1000) {
      return { status: 400, body: 'ms must be an integer from 0 to 1000\n' };
    }
    burnCpu(Number(raw));
    return { status: 200, body: `${who} worked ${raw} ms\n` };
  }
  return { status: 404, body: 'not found: try /hello or /cpu?ms=10\n' };
}
