// `pnpm exercise NN` reads the learner's files before it runs anything, and
// says what a mentor would spot in them (rules.ts), with the line.
import type { Lesson } from '../../../harness/lessons.ts';
import { callsIn, lineOf } from './node-api.ts';
import { openLearnerProgram } from './program.ts';
import { type Role, readRoles } from './roles.ts';
import { rules } from './rules.ts';

export interface Mistake {
  rule: string;
  /** `exercise/primary.ts:42` */
  where: string;
  say: string;
}

/** What the rules find in `files` (exercise file name -> its text), in file and line order; `roles`: see readRoles. */
export function findMistakes(lesson: Lesson, files: Map<string, string>, roles: Record<string, Role> = {}): Mistake[] {
  const program = openLearnerProgram(lesson, files);
  try {
    const roleOf = readRoles(program, roles);
    return [...files.keys()].sort().flatMap((file) => {
      const source = program.project.program.getSourceFile(program.srcPath(file));
      if (!source) return [];
      const context = { file, checker: program.checker, calls: callsIn(program.checker, source), roles: roleOf };
      return rules
        .flatMap((rule) => rule(context))
        .map((found) => ({ line: lineOf(found.node), found }))
        .sort((a, b) => a.line - b.line)
        .map(({ line, found }) => ({ rule: found.rule, where: `exercise/${file}:${line}`, say: found.say }));
    });
  } finally {
    program.close();
  }
}
