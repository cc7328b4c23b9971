// The script PM2 starts in each instance (see ecosystem.config.cjs): plain
// JavaScript, so PM2 accepts it on any Node.js; tsx (from node_args) loads the
// TypeScript app it imports.
import './app.ts';
