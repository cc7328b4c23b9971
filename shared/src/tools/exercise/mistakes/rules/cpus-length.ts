// os.cpus().length counts the machine's CPUs, not the ones this process may use.
import { isPropertyAccessExpression } from 'typescript/unstable/ast';
import { is } from '../node-api.ts';
import type { Finding, RuleContext } from '../rule-kit.ts';

/** os.cpus().length is not how many workers to start. */
export function cpusLength({ calls }: RuleContext): Finding[] {
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
