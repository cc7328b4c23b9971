// What the demo measures, per mode, against the running lesson. Numbers from
// one run on one machine: they show a shape, not a benchmark result.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { LessonProcess } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';

async function timed(url: URL): Promise<number> {
  const started = performance.now();
  const reply = await fresh(url);
  if (reply.status !== 200) throw new Error(`${url} answered ${reply.status}`);
  return performance.now() - started;
}

/** How long a /hello takes while 4 requests of `ms` CPU work are in flight. */
export async function helloBehindCpu(lesson: LessonProcess, ms: number): Promise<number> {
  const since = lesson.lines.length;
  const load = Promise.all([0, 1, 2, 3].map(() => timed(new URL(`/cpu?ms=${ms}`, lesson.url))));
  await lesson.waitForLine(/GET \/cpu\?ms=\d+/, { since }); // the work has begun
  const hello = await timed(new URL('/hello', lesson.url));
  await load;
  return hello;
}

export interface Throughput {
  perSecond: number;
  /** The slowest of the /hello probes sent during the load. */
  worstHelloMs: number;
}

/** `count` CPU requests of `ms`, `concurrency` at a time, with a /hello probe alongside. */
export async function cpuThroughput(url: string, count: number, ms: number, concurrency: number): Promise<Throughput> {
  let next = 0;
  let finished = false;
  const lane = async () => {
    while (next < count) {
      next += 1;
      await timed(new URL(`/cpu?ms=${ms}`, url));
    }
  };
  const hellos: number[] = [];
  // Paced, one every 50 ms: a probe as fast as it can go would be a CPU load
  // of its own, on the same cores as the work it measures.
  const probe = async () => {
    while (!finished) {
      hellos.push(await timed(new URL('/hello', url)));
      await sleep(50);
    }
  };
  const started = performance.now();
  const probing = probe();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  finished = true;
  await probing;
  return { perSecond: count / seconds, worstHelloMs: Math.max(...hellos) };
}

/** Resident memory of these processes together, in MB (Linux: /proc; elsewhere NaN). */
export function rssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
    } catch {
      return Number.NaN;
    }
  }
  return kb / 1024;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Median ms from asking for a new thread (or process) until it has sent a first message. */
export async function startupMs(rounds = 5): Promise<{ thread: number; process: number }> {
  const thread: number[] = [];
  const child: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let started = performance.now();
    const worker = new Worker("require('node:worker_threads').parentPort.postMessage('up')", { eval: true });
    await once(worker, 'message');
    thread.push(performance.now() - started);
    await worker.terminate();

    started = performance.now();
    // What fork() does: a new node process with an IPC channel.
    const proc = spawn(process.execPath, ['-e', "process.send('up', () => process.disconnect())"], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    await once(proc, 'message');
    child.push(performance.now() - started);
    await once(proc, 'exit');
  }
  return { thread: median(thread), process: median(child) };
}
