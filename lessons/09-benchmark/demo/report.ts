// Turning measurements into a table, a bar chart and a markdown report.

export interface Row {
  target: string;
  route: string;
  /** Requests per second over the measured duration. */
  rps: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Socket errors, timeouts and non-2xx answers. */
  errors: number;
  /** req/s over single's on the same route (null without a single run). */
  ratio: number | null;
}

const header = ['target', 'route', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs single'];

function cells(row: Row): string[] {
  return [
    row.target,
    row.route,
    String(Math.round(row.rps)),
    String(row.p50),
    String(row.p99),
    String(row.errors),
    row.ratio === null ? '-' : `${row.ratio.toFixed(2)}x`,
  ];
}

export function table(rows: Row[]): string[] {
  const all = [header, ...rows.map(cells)];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    `  ${r.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}`;
  return [line(header), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...rows.map((r) => line(cells(r)))];
}

/** req/s as bars, one group per route, scaled to the route's best. */
export function barChart(rows: Row[], width = 40): string[] {
  const out: string[] = [];
  for (const route of [...new Set(rows.map((r) => r.route))]) {
    const group = rows.filter((r) => r.route === route);
    const max = Math.max(...group.map((r) => r.rps), 1);
    out.push(`  ${route} req/s`);
    for (const r of group) {
      out.push(
        `    ${r.target.padEnd(9)} ${'█'.repeat(Math.max(1, Math.round((r.rps / max) * width)))} ${Math.round(r.rps)}`,
      );
    }
  }
  return out;
}

export function markdown(report: {
  date: string;
  machine: { cores: number; cpu: string; node: string; platform: string };
  options: { duration: number; warmup: number; connections: number; workers: number; cpuMs: number };
  rows: Row[];
}): string {
  const { machine: m, options: o } = report;
  const lines = [
    `# Benchmark results (${report.date})`,
    '',
    `${m.cores} cores (${m.cpu}), Node.js ${m.node}, ${m.platform}. ${o.workers} workers, ` +
      `${o.connections} keep-alive connections, ${o.duration} s after a ${o.warmup} s warm-up, /cpu = ${o.cpuMs} ms.`,
    'The load generator ran on the same machine.',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...report.rows.map((r) => `| ${cells(r).join(' | ')} |`),
    '',
  ];
  return lines.join('\n');
}
