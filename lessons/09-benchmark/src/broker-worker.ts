// A worker of the broker target: lesson 05's protocol, this lesson's routes.
import { isRequest, type ReplyMessage } from '@cluster-course/05-fork-broker/protocol';
import { ignoreTerminalCtrlC } from '@cluster-course/shared';
import { route } from './routes.ts';

const id = Number(process.env.BROKER_WORKER_ID ?? 0);

process.on('message', (message) => {
  if (!isRequest(message)) return;
  const answer = route(message.method, message.url, `worker ${id} (pid ${process.pid})`);
  const reply: ReplyMessage = { type: 'reply', id: message.id, contentType: 'text/plain', ...answer };
  if (process.connected) process.send?.(reply);
});
process.on('disconnect', () => process.exit(0));
ignoreTerminalCtrlC();
if (process.connected) process.send?.({ type: 'ready' });
