// What a mentor says when a claim fails: each lesson with an exercise has a
// mentor.ts (lessons/NN-slug/mentor.ts) that gives, for the claims a
// learner's code can break, the sentence naming the likely cause and where
// to look, and the known-wrong solutions that prove each sentence is said
// (`pnpm exercise --self-check` makes each mistake in a copy of the solution
// and checks that pnpm exercise says it). The contract's claims, the same in
// every lesson, have their words here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lesson } from '../../harness/lessons.ts';
import type { Claim } from './check.ts';
import type { Role } from './mistakes/roles.ts';

export interface Words {
  /** The claim, as the test names it (part of its name is enough). */
  claim: string;
  /** Only when the failure's message matches this; `say` gets the match. */
  when?: RegExp;
  say: string | ((match: RegExpExecArray) => string);
}

export interface KnownWrong {
  /** The mistake, in a few words. */
  name: string;
  /** The exercise file it is made in, from src/'s solution: each edit's text (found once) replaced by the next. */
  file: string;
  edits: [string, string][];
  /**
   * When pnpm exercise says it: `read`, before anything runs, from the file
   * (mistakes/rules.ts); `check`, as the words for the first claim that fails.
   */
  when: 'read' | 'check';
  /** Part of what it must say. */
  says: string;
}

export interface Mentor {
  words: Words[];
  wrong: KnownWrong[];
  /** Which process runs a src/ file, where src/main.ts does not show it (mistakes/roles.ts). */
  roles?: Record<string, Role>;
}

export async function loadMentor(lesson: Lesson): Promise<Mentor> {
  const path = join(lesson.dir, 'mentor.ts');
  if (!existsSync(path)) return { words: [], wrong: [] };
  return ((await import(pathToFileURL(path).href)) as { mentor: Mentor }).mentor;
}

/** The words for a failed claim (the lesson's, else the contract's), and which entry said them. */
export function wordsFor(mentor: Mentor, claim: Claim): { text: string; words: Words } | undefined {
  for (const words of [...mentor.words, ...contractWords, ...harnessWords]) {
    if (!claim.name.includes(words.claim)) continue;
    const match = (words.when ?? /.*/s).exec(claim.message);
    if (!match) continue;
    return { text: typeof words.say === 'string' ? words.say : words.say(match), words };
  }
  return undefined;
}

/**
 * The claims of tests/contract.ts, which every lesson runs, that an
 * exercise's files can break (the others, a bad variable's exit 2, the
 * x-worker headers, the ready line's shape, SIGKILL of the primary, are
 * kept by code no exercise asks the learner to write). Each is said by a
 * known wrong (lesson 01's and 13's mentor.ts); --self-check proves it.
 */
export const contractWords: Words[] = [
  {
    // Whatever the claim that stopped it (lesson 01 on Node.js 22+ first
    // stops it in a claim of its own): the transcript ends with how it ended.
    claim: '',
    when: /\(the lesson ended: signal SIGTERM\)/,
    say:
      'The lesson died of SIGTERM instead of stopping: with no handler for it, the signal kills the primary at ' +
      "once (no exit code, nothing drained). The primary must handle it (process.on('SIGTERM', ...)): stop its " +
      'workers, give up waiting on any of them at a deadline, then exit 0.',
  },
  {
    claim: '',
    when: /\(the lesson ended: signal SIGINT\)/,
    say:
      'The lesson died of SIGINT (Ctrl-C) instead of stopping: with no handler for it, the signal kills the ' +
      "primary at once (no exit code, nothing drained). The primary must handle it too (process.on('SIGINT', " +
      '...)): stop its workers, give up waiting on any of them at a deadline, then exit 0.',
  },
  {
    claim: 'a port in use',
    say:
      'With the port taken, the lesson must say so in one line naming the port and exit 1, without forking ' +
      'workers that fail and are forked again: check the port before forking (exitIfPortInUse()), and never ' +
      'replace a worker that failed to listen.',
  },
  {
    claim: 'does not take the primary down',
    say:
      'The primary died because a worker ended while the primary was answering its request to listen: the ' +
      "answer met a closed pipe (write EPIPE), an 'error' event on that Worker, and an 'error' nobody listens to " +
      "throws. Listen for 'error' on every worker as it is forked: cluster.on('fork', (w) => w.on('error', ...)).",
  },
  {
    // Both of its stop races: a worker held before its code runs, and a stop before any worker listens.
    claim: 'a stop that meets a worker still starting › SIGTERM',
    say:
      'A stop that arrives while a worker is still starting must still end everything quickly: a worker not yet ' +
      'listening has no server to close, so the primary ends it (worker.process.kill()) instead of waiting for it.',
  },
];

/** What the harness says when a lesson does not start, whatever the claim. */
export const harnessWords: Words[] = [
  {
    claim: '',
    when: /no line matching \/\\bready\\b.*? within (\d+) ms/,
    say: (m) =>
      `The lesson never said it was ready (the check waited ${Number(m[1]) / 1000} s): the primary prints the ` +
      'ready line, with announceReady(), once every worker listens. Is that call reached? Its last lines are below.',
  },
  {
    claim: '',
    when: /lesson exited \((.*?)\) before printing/,
    say: (m) => `The lesson ended (${m[1]}) before the check could go on: its last lines, below, say why.`,
  },
];
