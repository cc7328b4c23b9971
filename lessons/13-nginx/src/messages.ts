// An instance's primary tells its workers to drain (src/app.ts).
export const STOP = { type: 'stop' } as const;
