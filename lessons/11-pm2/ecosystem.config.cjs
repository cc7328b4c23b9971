// PM2's description of this lesson's app: copy it for your own. `pnpm lesson
// 11` loads it, and so would `pm2 start ecosystem.config.cjs` (with PM2_HOME
// and the environment of your choice). Each option is a lesson of this course:
// the README's table maps them.
module.exports = {
  apps: [
    {
      name: 'lesson-11',
      // PM2 7 refuses a .ts script below Node.js 22.6 (from 22.6 to 22.17 it
      // adds --experimental-strip-types; from 22.18 Node strips types itself),
      // and cluster mode ignores `interpreter`: it always forks PM2's own
      // container with node. So a plain .mjs entry imports the TypeScript app,
      // and node_args loads tsx into every instance, on every Node.js major.
      script: './src/app-entry.mjs',
      node_args: ['--import', 'tsx'],
      exec_mode: 'cluster', // node:cluster underneath: lesson 01
      instances: Number(process.env.WORKERS) || 'max', // one per core: lesson 01
      // Online means ready: the app calls process.send('ready') once it
      // listens (the ready line of every lesson), within listen_timeout.
      wait_ready: true,
      listen_timeout: 8000,
      // A stop sends SIGINT, then SIGKILL after kill_timeout: lesson 08's deadline.
      kill_timeout: 3000,
      // Crashes are restarted after 100 ms, 150, 225... (reset once the app has
      // run 30 s): lesson 02's backoff. Give up after 10 starts that die within
      // min_uptime: lesson 02's crash-loop guard.
      exp_backoff_restart_delay: 100,
      max_restarts: 10,
      min_uptime: 2000,
      // The app exits 78 when its port is taken: restarting cannot help
      // (PORT_IN_USE_EXIT in src/config.ts, as 4100 below is its DEFAULT_PORT).
      stop_exit_codes: [78],
      env: {
        PORT: process.env.PORT ?? '4100',
        HOST: process.env.HOST ?? '127.0.0.1',
      },
    },
  ],
};
