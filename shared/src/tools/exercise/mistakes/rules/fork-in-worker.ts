// Only the primary forks: cluster.fork() in code a worker runs (or at the
// top of main.ts, outside \`if (cluster.isPrimary)\`), directly or through a
// function that forks.
import { type CallExpression, isCallExpression, type Node } from 'typescript/unstable/ast';
import { type Checker, SymbolFlags } from 'typescript/unstable/sync';
import { is, nodeApiOf } from '../node-api.ts';
import { type Finding, type RuleContext, scopeOf } from '../rule-kit.ts';

/**
 * Does this call fork workers: cluster.fork() itself, or a function of the
 * course that calls it, a few calls deep (lesson 02's runPrimary)?
 */
function forks(checker: Checker, call: CallExpression, depth = 3, seen = new Set<string>()): boolean {
  if (is(nodeApiOf(checker, call.expression), 'cluster', 'fork')) return true;
  let symbol = depth > 0 ? checker.getSymbolAtLocation(call.expression) : undefined;
  if (symbol && symbol.flags & SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.declarations[0];
  if (!declaration || declaration.path.includes('/node_modules/')) return false;
  const key = `${declaration.path}#${declaration.index}`;
  if (seen.has(key)) return false;
  seen.add(key);
  let found = false;
  const visit = (node: Node): void => {
    if (found) return;
    if (isCallExpression(node) && forks(checker, node, depth - 1, seen)) found = true;
    else node.forEachChild(visit);
  };
  declaration.resolve()?.forEachChild(visit);
  return found;
}

/** Only the primary forks. */
export function forkInWorker({ file, calls, roles, checker }: RuleContext): Finding[] {
  return calls.flatMap(({ call, api }): Finding[] => {
    const role = roles.of(call);
    const topLevel = scopeOf(call) === call.getSourceFile();
    if (role !== 'worker' && !(role === 'both' && topLevel)) return [];
    if (!forks(checker, call)) return [];
    const what = is(api, 'cluster', 'fork')
      ? 'cluster.fork()'
      : `${call.expression.getText()}() forks workers (it calls cluster.fork()), and`;
    if (role === 'worker') {
      const say =
        `${what} here runs in a worker: src/main.ts runs ${file} when cluster.isPrimary is false. ` +
        'Only the primary forks (a worker’s cluster module has no fork(), so the call throws): fork from the primary’s code.';
      return [{ rule: 'fork-in-worker', node: call, say }];
    }
    const say =
      `${what} here runs in every process that runs main.ts, the workers too: ` +
      'put it under `if (cluster.isPrimary) { ... }`, where only the primary goes.';
    return [{ rule: 'fork-in-worker', node: call, say }];
  });
}
