// Ports the OS says are free. Each instance keeps its port for the whole run
// (nginx's configuration names it), including across a rolling deploy. All
// probes are held open together, so the ports are distinct; they are closed
// just before the instances and nginx bind them.
import { once } from 'node:events';
import net from 'node:net';

export async function freePorts(count: number): Promise<number[]> {
  const probes = Array.from({ length: count }, () => net.createServer().listen(0, '127.0.0.1'));
  await Promise.all(probes.map((probe) => once(probe, 'listening')));
  const ports = probes.map((probe) => (probe.address() as net.AddressInfo).port);
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  return ports;
}
