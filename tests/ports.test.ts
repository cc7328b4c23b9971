// Ports picked before whatever binds them (shared/src/runtime/ports.ts: lessons
// 13, 14 and 16 name them to nginx, Redis and Prometheus). Two copies of a
// lesson at once, as the tests run them, must never pick the same port, and
// a lesson killed outright must not keep its ports from the next one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { releasePorts, reservePort, reservePorts } from '@cluster-course/shared';
import { startLesson } from '@cluster-course/shared/harness';
import { ephemeralLow } from '@cluster-course/shared/runtime/ports';
import { stateRoot } from '@cluster-course/shared/runtime/state-dir';
import { expect, it } from 'vitest';

const fixtures = join(import.meta.dirname, 'fixtures');
const reservation = (port: number) => join(stateRoot('ports'), String(port));

it('distinct ports below the kernel’s ephemeral range, each reserved under our pid until given back', async () => {
  const ports = await reservePorts(6);
  expect(new Set(ports).size).toBe(6);
  for (const port of ports) {
    expect(port).toBeGreaterThanOrEqual(10_000);
    expect(port).toBeLessThan(ephemeralLow());
    expect(readFileSync(reservation(port), 'utf8')).toBe(String(process.pid));
  }
  releasePorts(ports);
  for (const port of ports) expect(existsSync(reservation(port))).toBe(false);
});

it('consecutive: one run of ports in a row (a lesson on PORT and PORT + 1)', async () => {
  const ports = await reservePorts(3, { consecutive: true });
  const [first = 0] = ports;
  expect(ports).toEqual([first, first + 1, first + 2]);
  releasePorts(ports);
});

it('a port a live process reserved is not ours; once it is SIGKILLed, the next pick sweeps its reservation and the port can be ours', async () => {
  const [port = 0] = await reservePorts(1);
  releasePorts([port]);
  const holder = await startLesson(fixtures, {
    entry: 'port-holder.ts',
    env: { PORTS: String(port) },
    waitForReady: false,
  });
  await holder.waitForLine(new RegExp(`^reserved ${port} \\(pid`));
  expect(reservePort(port)).toBe(false);
  expect(readFileSync(reservation(port), 'utf8')).toBe(String(holder.pid));
  holder.signal('SIGKILL');
  await holder.exited;
  expect(existsSync(reservation(port))).toBe(true); // nobody could give it back
  releasePorts(await reservePorts(1)); // any pick sweeps what the dead left
  expect(existsSync(reservation(port))).toBe(false);
  expect(reservePort(port)).toBe(true);
  releasePorts([port]);
});

it('a process that exits gives its reservations back', async () => {
  const holder = await startLesson(fixtures, { entry: 'port-holder.ts', waitForReady: false });
  const [, list = ''] = await holder.waitForLine(/^reserved ([\d,]+) \(pid/);
  const ports = list.split(',').map(Number);
  expect(ports).toHaveLength(3);
  for (const port of ports) expect(readFileSync(reservation(port), 'utf8')).toBe(String(holder.pid));
  expect(await holder.stop('SIGTERM')).toMatchObject({ code: 0 });
  for (const port of ports) expect(existsSync(reservation(port))).toBe(false);
});
