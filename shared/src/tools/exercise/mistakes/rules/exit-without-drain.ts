// A worker told to stop closes its server before it leaves: process.exit()
// straight from its stop handler cuts off what it is answering.
import {
  isAwaitExpression,
  isCallExpression,
  isPropertyAccessExpression,
  isStringLiteral,
  type Node,
} from 'typescript/unstable/ast';
import { is } from '../node-api.ts';
import { type Finding, isFunction, type RuleContext, scopeOf } from '../rule-kit.ts';

// Where a worker is told to stop: a signal, or the primary's message (lesson
// 08's STOP). Not 'disconnect': a cluster worker is disconnected after its
// servers have closed (its own cluster.worker.disconnect() closes them first,
// and so does the primary's worker.disconnect()), so leaving then is right.
const STOP_EVENTS = new Set(['SIGTERM', 'SIGINT', 'message']);

/** A worker told to stop closes its server before it leaves. */
export function exitWithoutDrain({ calls, roles }: RuleContext): Finding[] {
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
