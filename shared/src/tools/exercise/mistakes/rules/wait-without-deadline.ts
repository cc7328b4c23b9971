// The primary never waits for a worker without a deadline.
import { isStringLiteral } from 'typescript/unstable/ast';
import { is } from '../node-api.ts';
import { type Call, type Finding, inside, type RuleContext, scopeOf } from '../rule-kit.ts';

export function waitWithoutDeadline({ calls, roles, checker }: RuleContext): Finding[] {
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
