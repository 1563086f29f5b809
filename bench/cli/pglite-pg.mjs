// node --import ./bench/cli/pglite-pg.mjs dist/cli.js apply ...: `pg` resolves to
// bench/cli/pglite-pool.mjs, a Pool backed by PGlite (see there).
import { register } from 'node:module';

const pool = new URL('./pglite-pool.mjs', import.meta.url).href;
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'pg') return { url: ${JSON.stringify(pool)}, shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
