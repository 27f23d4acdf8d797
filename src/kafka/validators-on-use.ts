// @platformatic/kafka compiles all of its option schemas (38, with ajv) as it is imported: about
// 150 ms of every start on this machine, before a streaming instance can read anything, for
// validators a run mostly never calls (bench/README.md). Loaded through here, each is compiled
// the first time it validates; the validators behave as before (none of the schemas refers to
// another, so compiling them in any order gives the same functions).
import { createRequire } from 'node:module';

interface Validate {
  (data: unknown): boolean;
  errors?: unknown;
}
type Compile = (this: unknown, schema: unknown, meta?: boolean) => Validate;

/**
 * Runs `load` (an import that evaluates @platformatic/kafka) with ajv's compile deferred to
 * each validator's first call, then puts compile back. A module evaluated before (an
 * embedder's own import) keeps the validators it compiled then; anything else compiling with
 * the same ajv while the import runs gets validators deferred the same way.
 */
export async function importCompilingValidatorsOnUse<T>(load: () => Promise<T>): Promise<T> {
  const ajv = ajvPrototype();
  if (!ajv) return load();
  const compile = ajv.compile;
  ajv.compile = function compileOnFirstUse(schema, meta) {
    let compiled: Validate | undefined;
    const validate: Validate = (data) => {
      compiled ??= compile.call(this, schema, meta);
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    };
    return validate;
  };
  try {
    return await load();
  } finally {
    ajv.compile = compile;
  }
}

/** The prototype of the ajv that @platformatic/kafka resolves (its core class, whatever the draft), or undefined if it cannot be found. */
function ajvPrototype(): { compile: Compile } | undefined {
  try {
    const require = createRequire(import.meta.resolve('@platformatic/kafka'));
    const core = require('ajv/dist/core') as { default?: { prototype?: { compile?: unknown } } };
    const prototype = core.default?.prototype;
    return typeof prototype?.compile === 'function' ? (prototype as { compile: Compile }) : undefined;
  } catch {
    return undefined;
  }
}
