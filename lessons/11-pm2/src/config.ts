// Lesson 11's settings in one place. The lesson (main.ts) and the app PM2
// runs in each instance (app.ts) read them here; ecosystem.config.cjs, plain
// CommonJS that PM2 loads itself, writes the same two numbers out, and
// tests/11-pm2.test.ts checks that it does.

/** The lesson's port unless PORT says otherwise: 3000 + 100 × 11, like every lesson's. */
export const DEFAULT_PORT = 4100;

/** The exit code of an instance whose port is taken: ecosystem.config.cjs's stop_exit_codes lists it. */
export const PORT_IN_USE_EXIT = 78;
