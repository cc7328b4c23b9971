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

export async function resolve(specifier, context, next) {
  if (!src || !exercise) return next(specifier, context);
  // An exercise file importing a package, or a sibling the exercise does not
  // have: resolve it as the same file in src/ would (the exercise folder may
  // be a copy outside the lesson, with no node_modules above it).
  let parentURL = context.parentURL;
  if (parentURL?.startsWith(exercise)) {
    const relative = specifier.startsWith('.');
    if (!relative || !exists(new URL(specifier, parentURL).href)) parentURL = src + parentURL.slice(exercise.length);
  }
  const result = await next(specifier, { ...context, parentURL });
  if (result.url.startsWith(src)) {
    const mine = exercise + result.url.slice(src.length);
    if (exists(mine)) return { ...result, url: mine };
  }
  return result;
}
