// The mistakes a mentor spots by reading the learner's file, before anything
// runs. Each rule is written against what the compiler resolves (which
// Node.js API a call really is, which process runs it: roles.ts), so a
// rename or an import style does not fool it, and each stays silent on
// every solution in src/ (tests/exercise-mistakes.test.ts).
import type { Rule } from './rule-kit.ts';
import { cpusLength } from './rules/cpus-length.ts';
import { exitWithoutDrain } from './rules/exit-without-drain.ts';
import { forkInWorker } from './rules/fork-in-worker.ts';
import { waitWithoutDeadline } from './rules/wait-without-deadline.ts';

export type { Finding, RuleContext } from './rule-kit.ts';

export const rules: Rule[] = [forkInWorker, cpusLength, exitWithoutDrain, waitWithoutDeadline];
