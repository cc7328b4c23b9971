// The message a worker sends its primary once it listens on a socket the
// primary does not know: an exclusive listen (here), or an SO_REUSEPORT one
// (lesson 09 imports this on purpose). No 'listening' event reaches the
// primary for those, so the worker tells it the port it really got.
export interface PortReport {
  type: 'listening';
  port: number;
}

export function isPortReport(message: unknown): message is PortReport {
  const report = message as Partial<PortReport> | null | undefined;
  return report?.type === 'listening' && typeof report.port === 'number';
}
