import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// A process of its own (dist/, as `npm test` builds it): @platformatic/kafka must not have been
// evaluated before, and ajv's compile is counted from the start.
function loadInChild(lazily: boolean): { atImport: number; afterUse: number; compileRestored: boolean; refused: string } {
  const script = `
    import { createRequire } from 'node:module';
    const ajv = createRequire(import.meta.resolve('@platformatic/kafka'))('ajv/dist/core').default.prototype;
    const compile = ajv.compile;
    let compiled = 0;
    const counting = function (...args) { compiled++; return compile.apply(this, args); };
    ajv.compile = counting;
    const { importCompilingValidatorsOnUse } = await import('./dist/kafka/validators-on-use.js');
    const load = () => import('@platformatic/kafka');
    const kafka = ${lazily ? 'await importCompilingValidatorsOnUse(load)' : 'await load()'};
    const atImport = compiled;
    let refused = '';
    try { new kafka.Producer({ clientId: 'x', bootstrapBrokers: ['127.0.0.1:9'], strict: true, acks: 'all' }); } catch (error) { refused = error.message; }
    // Valid options are taken (or the child exits with their error).
    await new kafka.Producer({ clientId: 'x', bootstrapBrokers: ['127.0.0.1:9'], strict: true, acks: -1 }).close();
    console.log(JSON.stringify({ atImport, afterUse: compiled, compileRestored: ajv.compile === counting, refused }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout);
}

describe('importCompilingValidatorsOnUse', () => {
  it("compiles @platformatic/kafka's option validators when they first validate, and they judge options as before", () => {
    const eager = loadInChild(false);
    const lazy = loadInChild(true);
    expect(eager.atImport).toBeGreaterThan(20);
    expect(lazy.atImport).toBe(0);
    // Only with `strict` does the client validate: then the base client's and the producer's
    // options, compiled on use, a few of all of them.
    expect(lazy.afterUse).toBeGreaterThan(0);
    expect(lazy.afterUse).toBeLessThan(eager.atImport / 4);
    expect(lazy.refused).toMatch(/acks/);
    expect(lazy.refused).toBe(eager.refused);
    expect(lazy.compileRestored).toBe(true);
  });
});
