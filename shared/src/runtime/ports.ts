// Ports picked before whatever binds them: nginx's configuration names its
// upstreams' ports, Redis and Prometheus get theirs on the command line. Between
// the pick and the bind, two kinds of process could take such a port:
//   - any process at all, through listen(0) or an outgoing connection: the
//     kernel hands those ports out from its ephemeral range
//     (/proc/sys/net/ipv4/ip_local_port_range). So we pick below it.
//   - another lesson of this course picking at the same moment (the tests run
//     lessons side by side). So each picked port is reserved: a file named
//     after it in $TMPDIR/cluster-course-ports, created only if none exists
//     (flag 'wx'), holding our pid. Reservations whose process is gone are
//     swept at every pick. Ours go when we exit.
// A service that already listens below the range is seen by the probe: a port
// we cannot bind now is not picked.
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ownerAlive, stateRoot } from './state-dir.ts';

const LOWEST = 10_000;
const root = stateRoot('ports');
const mine = new Set<number>();

/** The first port the kernel hands out on its own (Linux; elsewhere the IANA range's 49152). */
export function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 49_152;
  }
}

/**
 * `count` distinct ports, free a moment ago and reserved for this process
 * until it exits (or releasePorts()). With `consecutive`, each pick is a run
 * of that many ports in a row (a lesson serving on PORT and PORT + 1).
 */
export async function reservePorts(count: number, { consecutive = false } = {}): Promise<number[]> {
  sweepStaleReservations();
  const runs = consecutive ? 1 : count;
  const width = consecutive ? count : 1;
  const span = Math.max(1, ephemeralLow() - LOWEST - width);
  const picked: number[] = [];
  for (let tries = 0; picked.length < runs * width; tries++) {
    if (tries === 200) {
      releasePorts(picked);
      throw new Error(`no free port between ${LOWEST} and ${ephemeralLow()} in 200 tries`);
    }
    const first = LOWEST + Math.floor(Math.random() * span);
    const run = Array.from({ length: width }, (_, i) => first + i);
    const held = run.filter(reserve);
    if (held.length === width && (await bindable(run))) picked.push(...run);
    else releasePorts(held);
  }
  return picked;
}

/**
 * Removes the reservations of processes that are gone: a lesson killed
 * outright (SIGKILL, as the tests' cleanup does) cannot give its ports back.
 */
export function sweepStaleReservations(): void {
  mkdirSync(root, { recursive: true });
  for (const name of readdirSync(root)) {
    const owner = Number(readIfThere(join(root, name)));
    if (owner > 0 && !ownerAlive(owner)) rmSync(join(root, name), { force: true });
  }
}

/** Gives reserved ports back (a lesson need not: its reservations go when it exits). */
export function releasePorts(ports: Iterable<number>): void {
  for (const port of ports) {
    if (!mine.delete(port)) continue;
    rmSync(join(root, String(port)), { force: true });
  }
}

/**
 * Claims one port's reservation file (no probe). False if it is taken; a
 * taken one whose owner is gone is removed, so a later call can claim it.
 */
export function reservePort(port: number): boolean {
  mkdirSync(root, { recursive: true });
  return reserve(port);
}

function reserve(port: number): boolean {
  const file = join(root, String(port));
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    // Taken. An empty file is one being written: its owner is alive.
    const owner = Number(readIfThere(file));
    if (owner > 0 && !ownerAlive(owner)) rmSync(file, { force: true });
    return false;
  }
  if (mine.size === 0) process.once('exit', () => releasePorts([...mine]));
  mine.add(port);
  return true;
}

function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // removed since: its owner gave it back
  }
}

/** True if every port can be bound on 127.0.0.1 right now (each probe is closed again). */
async function bindable(ports: number[]): Promise<boolean> {
  const probes = ports.map((port) => net.createServer().listen(port, '127.0.0.1'));
  const ok = await Promise.all(
    probes.map((probe) =>
      once(probe, 'listening').then(
        () => true,
        () => false,
      ),
    ),
  );
  await Promise.all(probes.filter((p) => p.listening).map((p) => new Promise((resolve) => p.close(resolve))));
  return ok.every(Boolean);
}
