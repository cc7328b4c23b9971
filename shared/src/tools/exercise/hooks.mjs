// The module resolution hook behind `pnpm exercise NN`: the lesson runs its
// own src/main.ts, but every module of its src/ that the exercise folder also
// has is loaded from the exercise folder instead (the learner's copy). A
// module the exercise does not have (config.ts, say) still comes from src/,
// also when an exercise file imports it as './config.ts'.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

let src = '';
let exercise = '';

export function initialize(data) {
  // Both as file URLs ending in '/'.
  src = data.src ? pathToFileURL(data.src).href.replace(/\/?$/, '/') : '';
  exercise = data.exercise ? pathToFileURL(data.exercise).href.replace(/\/?$/, '/') : '';
}

const exists = (url) => existsSync(new URL(url));

// An exercise file importing a package, or a sibling the exercise does not
// have: resolve it as the same file in src/ would (the exercise folder may
// be a copy outside the lesson, with no node_modules above it).
function redirectParent(specifier, context) {
  const parentURL = context.parentURL;
  if (!parentURL?.startsWith(exercise)) return context;
  const relative = specifier.startsWith('.');
  if (relative && exists(new URL(specifier, parentURL).href)) return context;
  return { ...context, parentURL: src + parentURL.slice(exercise.length) };
}

// A module of src/ that the exercise also has: the learner's copy.
function preferExercise(result) {
  if (!result.url.startsWith(src)) return result;
  const mine = exercise + result.url.slice(src.length);
  return exists(mine) ? { ...result, url: mine } : result;
}

/** For module.register() (off-thread, asynchronous): Node.js 20. */
export async function resolve(specifier, context, next) {
  if (!src || !exercise) return next(specifier, context);
  return preferExercise(await next(specifier, redirectParent(specifier, context)));
}

/** For module.registerHooks() (in-thread, synchronous): Node.js 22.15+. */
export function resolveSync(specifier, context, next) {
  if (!src || !exercise) return next(specifier, context);
  return preferExercise(next(specifier, redirectParent(specifier, context)));
}
