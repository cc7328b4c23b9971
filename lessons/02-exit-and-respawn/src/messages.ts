// Worker -> primary: "kill me with worker.kill()" (POST /kill-me). Only to
// show what worker.kill() tells the primary's exit handler: that it is just
// process.kill() (nodejs/node#34312), so exitedAfterDisconnect stays false.
export const KILL_ME = { type: 'kill-me' } as const;

export function isKillMe(message: unknown): message is typeof KILL_ME {
  return (message as { type?: unknown } | null | undefined)?.type === KILL_ME.type;
}
