// The mistakes a mentor spots by reading the learner's file, before anything
// runs. Each rule is written against what the compiler resolves (which
// Node.js API a call really is, which process runs it: roles.ts), so a
// rename or an import style does not fool it, and each stays silent on
// every solution in src/ (tests/exercise-mistakes.test.ts).
import {
  type CallExpression,
  isArrowFunction,
  isAwaitExpression,
  isCallExpression,
  isFunctionDeclaration,
  isFunctionExpression,
  isMethodDeclaration,
  isPropertyAccessExpression,
  isStringLiteral,
  type Node,
} from 'typescript/unstable/ast';
import { type Checker, SymbolFlags } from 'typescript/unstable/sync';
import { is, type NodeApi, nodeApiOf } from './node-api.ts';
import type { Roles } from './roles.ts';

export interface Call {
  call: CallExpression;
  api: NodeApi | undefined;
}

export interface RuleContext {
  checker: Checker;
  /** The learner's file, as named in exercise/ (`primary.ts`). */
  file: string;
  calls: Call[];
  roles: Roles;
}

export interface Finding {
  rule: string;
  node: Node;
  say: string;
}

const isFunction = (node: Node) =>
  isArrowFunction(node) || isFunctionExpression(node) || isFunctionDeclaration(node) || isMethodDeclaration(node);

/** The nearest function around `node` (or its file, at the top level). */
function scopeOf(node: Node): Node {
  for (let at = node.parent; at; at = at.parent) if (isFunction(at)) return at;
  return node.getSourceFile();
}
const inside = (node: Node, scope: Node) => node.pos >= scope.pos && node.end <= scope.end;

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
function forkInWorker({ file, calls, roles, checker }: RuleContext): Finding[] {
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

/** os.cpus().length is not how many workers to start. */
function cpusLength({ calls }: RuleContext): Finding[] {
  return calls
    .filter(({ api, call }) => is(api, 'os', 'cpus') && isPropertyAccessExpression(call.parent))
    .filter(({ call }) => isPropertyAccessExpression(call.parent) && call.parent.name.getText() === 'length')
    .map(({ call }) => ({
      rule: 'cpus-length',
      node: call,
      say:
        'os.cpus().length counts every CPU of the machine, also those this process may not run on ' +
        '(`taskset`, a container’s cpuset): os.availableParallelism() (Node.js 18.14+) counts the ones it may use. ' +
        'Lesson 01’s src/config.ts says why; lesson 15 shows it in a container.',
    }));
}

// Where a worker is told to stop: a signal, or the primary's message (lesson
// 08's STOP). Not 'disconnect': a cluster worker is disconnected after its
// servers have closed (its own cluster.worker.disconnect() closes them first,
// and so does the primary's worker.disconnect()), so leaving then is right.
const STOP_EVENTS = new Set(['SIGTERM', 'SIGINT', 'message']);

/** A worker told to stop closes its server before it leaves. */
function exitWithoutDrain({ calls, roles }: RuleContext): Finding[] {
  return calls
    .filter(({ api, call }) => is(api, 'process', 'exit') && roles.of(call) === 'worker')
    .flatMap(({ call }): Finding[] => {
      const handler = scopeOf(call);
      const registration = handler.parent;
      if (!isCallExpression(registration) || !isPropertyAccessExpression(registration.expression)) return [];
      if (!['on', 'once'].includes(registration.expression.name.getText())) return [];
      const [event] = registration.arguments;
      if (!event || !isStringLiteral(event) || !STOP_EVENTS.has(event.text)) return [];
      // Synchronous all the way to the exit: nothing was waited for, so
      // whatever the handler started (a close, a drain) is cut off too.
      let waited = false;
      const findAwait = (node: Node): void => {
        if (waited || node.pos >= call.pos) return;
        if (isAwaitExpression(node) && node.end <= call.pos) waited = true;
        else if (!isFunction(node)) node.forEachChild(findAwait);
      };
      handler.forEachChild(findAwait);
      if (waited) return [];
      const say =
        `process.exit() in the worker’s '${event.text}' handler ends at once every request it is still answering, ` +
        'and cuts off anything the handler started (a close is not done when close() returns): drain first, and ' +
        'exit from the drain’s callback, once the server has closed (lesson 08’s drain).';
      return [{ rule: 'exit-without-drain', node: call, say }];
    });
}

/** The primary never waits for a worker without a deadline. */
function waitWithoutDeadline({ calls, roles, checker }: RuleContext): Finding[] {
  const isDeadline = ({ api, call }: Call) =>
    api?.name === 'setTimeout' || /AbortSignal\.timeout$/.test(call.expression.getText());
  // worker.disconnect(), or once(worker, 'exit'), of a cluster Worker.
  const isWait = ({ api, call }: Call) => {
    if (is(api, 'cluster', 'disconnect', 'Worker')) return true;
    const [emitter, event] = call.arguments;
    if (!is(api, 'events', 'once') || !emitter || !event || !isStringLiteral(event) || event.text !== 'exit')
      return false;
    const type = checker.getTypeAtLocation(emitter);
    return type !== undefined && checker.typeToString(type) === 'Worker';
  };
  return calls
    .filter((call) => isWait(call) && roles.of(call.call) === 'primary')
    .filter(({ call }) => !calls.some((other) => isDeadline(other) && inside(other.call, scopeOf(call))))
    .map(({ call, api }) => ({
      rule: 'wait-without-deadline',
      node: call,
      say:
        (api?.name === 'disconnect'
          ? 'worker.disconnect() waits until the worker’s servers have closed, and a server closes only when its ' +
            'last connection ends: one slow request or an open WebSocket keeps the primary waiting for ever. '
          : "once(worker, 'exit') waits as long as the worker takes to leave: one stuck in a slow request or a " +
            'busy loop keeps the primary waiting for ever. ') +
        'Give the wait a deadline here: a setTimeout that kills the worker (worker.process.kill()), cleared when it exits.',
    }));
}

export const rules = [forkInWorker, cpusLength, exitWithoutDrain, waitWithoutDeadline];
