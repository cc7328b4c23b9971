// Which process runs a piece of code: the primary, the workers, or both.
// Read from the lesson's src/main.ts the way the lessons write it:
//
//   if (cluster.isPrimary) await runPrimary();   // primary.ts: the primary's
//   else runWorker();                             // worker.ts: the workers'
//
// A function called in a branch has that branch's role, and so has its file
// and every file that file imports (lesson 08's worker.ts imports drain.ts);
// a file reached from both branches (config.ts, or lesson 10's
// cluster-mode.ts, which holds both runClusterPrimary and runClusterWorker)
// runs in both, but each function called from a branch keeps that branch's
// role. Code in main.ts itself has the role of the branch it sits in, and
// outside any branch runs in every process.
import { dirname, join } from 'node:path';
import {
  type Expression,
  type IfStatement,
  isCallExpression,
  isIfStatement,
  isImportDeclaration,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isStringLiteral,
  type Node,
  SyntaxKind,
} from 'typescript/unstable/ast';
import { SymbolFlags } from 'typescript/unstable/sync';
import { is, nodeApiOf } from './node-api.ts';
import type { LearnerProgram } from './program.ts';

export type Role = 'primary' | 'worker' | 'both';

export interface Roles {
  /** The role of the code at `node`; undefined where main.ts does not say (a forked child, a thread). */
  of(node: Node): Role | undefined;
}

const merge = (a: Role | undefined, b: Role): Role => (a === undefined || a === b ? b : 'both');

/** `cluster.isPrimary` -> the then-branch is the primary's; `!cluster.isPrimary`, `cluster.isWorker` -> the workers'. */
function thenRole(program: LearnerProgram, condition: Expression): 'primary' | 'worker' | undefined {
  if (isPrefixUnaryExpression(condition) && condition.operator === SyntaxKind.ExclamationToken) {
    const inner = thenRole(program, condition.operand);
    return inner && (inner === 'primary' ? 'worker' : 'primary');
  }
  if (!isPropertyAccessExpression(condition)) return undefined;
  const api = nodeApiOf(program.checker, condition);
  if (is(api, 'cluster', 'isPrimary') || is(api, 'cluster', 'isMaster')) return 'primary';
  if (is(api, 'cluster', 'isWorker')) return 'worker';
  return undefined;
}

/** The branch of a role `if` that `node` sits in, nearest first. */
function branchRole(program: LearnerProgram, node: Node): Role | undefined {
  for (let child = node, at = node.parent; at; child = at, at = at.parent) {
    if (!isIfStatement(at) || child === at.expression) continue;
    const then = thenRole(program, (at as IfStatement).expression);
    if (!then) continue;
    return child === at.thenStatement ? then : then === 'primary' ? 'worker' : 'primary';
  }
  return undefined;
}

/**
 * `declared`: roles main.ts cannot show, by src/ file name, from the lesson's
 * mentor.ts (lesson 11: PM2 runs app.ts in each of its cluster workers).
 */
export function readRoles(program: LearnerProgram, declared: Record<string, Role> = {}): Roles {
  const main = program.srcPath('main.ts');
  const srcDir = dirname(main);
  const files = new Map<string, Role>();
  const functions: { path: string; pos: number; end: number; role: Role }[] = [];
  const give = (path: string, role: Role) => {
    if (!path.startsWith(srcDir) || path === main || files.get(path) === merge(files.get(path), role)) return;
    files.set(path, merge(files.get(path), role));
    // What this file imports runs where it runs.
    const file = program.project.program.getSourceFile(path);
    for (const statement of file?.statements ?? []) {
      if (isImportDeclaration(statement) && isStringLiteral(statement.moduleSpecifier)) {
        const name = statement.moduleSpecifier.text;
        if (name.startsWith('.')) give(join(dirname(path), name), files.get(path) ?? role);
      }
    }
  };
  const mainFile = program.project.program.getSourceFile(main);
  const visit = (node: Node): void => {
    const role = branchRole(program, node);
    if (role && isCallExpression(node)) {
      // A function called here (runWorker from './worker.ts'), or a module imported here (import('./app.ts')).
      const [first] = node.arguments;
      if (node.expression.kind === SyntaxKind.ImportKeyword && first && isStringLiteral(first)) {
        give(join(srcDir, first.text), role);
      } else {
        let symbol = program.checker.getSymbolAtLocation(node.expression);
        if (symbol && symbol.flags & SymbolFlags.Alias) symbol = program.checker.getAliasedSymbol(symbol);
        const declaration = symbol?.declarations[0];
        if (declaration) give(declaration.path, role);
        const body = declaration?.path.startsWith(srcDir) ? declaration.resolve() : undefined;
        if (declaration && body) functions.push({ path: declaration.path, pos: body.pos, end: body.end, role });
      }
    }
    node.forEachChild(visit);
  };
  if (mainFile) visit(mainFile);
  for (const [file, role] of Object.entries(declared)) give(program.srcPath(file), role);
  return {
    of(node) {
      const path = node.getSourceFile().fileName;
      if (path === main) return branchRole(program, node) ?? 'both';
      // The innermost function called from a branch that holds this code.
      const holders = functions.filter((f) => f.path === path && f.pos <= node.pos && node.end <= f.end);
      const innermost = holders.sort((a, b) => a.end - a.pos - (b.end - b.pos))[0];
      return innermost?.role ?? files.get(path);
    },
  };
}
