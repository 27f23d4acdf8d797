import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Each source file's relative imports and re-exports (types included), as source paths. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(src, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(src, file), 'utf8');
    const imports = [...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gms)].map((m) =>
      path.join(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')),
    );
    graph.set(file, imports);
  }
  return graph;
}

describe('the source tree', () => {
  it('has no import cycles (a type import counts: a core must not import from its stream wrapper)', () => {
    const graph = importGraph();
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, stack: string[]) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next, stack);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, []);
    expect(graph.size).toBeGreaterThan(50);
    expect(cycles).toEqual([]);
  });

  // Layers, lowest first: foundations (events, dead letters, temp files, logger, the user-facing
  // error, kafka/ behind its port) → stage cores (pure, no node:stream) → stream stages (stages/,
  // sources/, sinks/) → composition (run-pipeline, streaming/) → entry points (index, api/, cli/,
  // pipe.ts).
  const layers: [string, RegExp][] = [
    ['stages/', /^(stages\/|events\.ts|dead-letter\/|temp\/|logger\.ts|user-facing-error\.ts)/],
    ['sources/', /^(sources\/|stages\/|events\.ts|dead-letter\/|kafka\/|temp\/|logger\.ts|user-facing-error\.ts)/],
    ['sinks/', /^(sinks\/|stages\/|events\.ts|dead-letter\/|kafka\/|logger\.ts|user-facing-error\.ts)/],
    ['kafka/', /^(kafka\/|logger\.ts|user-facing-error\.ts)/],
    ['dead-letter/', /^(dead-letter\/|events\.ts|kafka\/|logger\.ts|user-facing-error\.ts)/],
    ['streaming/', /^(streaming\/|stages\/|sinks\/|sources\/|events\.ts|dead-letter\/|kafka\/|temp\/|logger\.ts|user-facing-error\.ts)/],
    ['run-pipeline.ts', /^(sources\/|sinks\/|stages\/|events\.ts|dead-letter\/|temp\/|logger\.ts|user-facing-error\.ts)/],
  ];

  it.each(layers)('%s imports only from the layers below it', (layer, allowed) => {
    const wrong: string[] = [];
    for (const [file, imports] of importGraph()) {
      if (!file.startsWith(layer)) continue;
      for (const target of imports) if (!allowed.test(target)) wrong.push(`${file} → ${target}`);
    }
    expect(wrong).toEqual([]);
  });

  it('only the CLI and its entry scripts (pipe.ts, verify.ts) import the CLI', () => {
    const wrong = [...importGraph()].flatMap(([file, imports]) =>
      file.startsWith('cli/') || file === 'pipe.ts' || file === 'verify.ts' ? [] : imports.filter((t) => t.startsWith('cli/')).map((t) => `${file} → ${t}`),
    );
    expect(wrong).toEqual([]);
  });

  it('a stage core (no node:stream) never imports a stream stage', () => {
    const usesStreams = (file: string) => /from 'node:stream(\/promises)?'/.test(readFileSync(path.join(src, file), 'utf8'));
    const wrong: string[] = [];
    for (const [file, imports] of importGraph()) {
      if (!file.startsWith('stages/') || usesStreams(file)) continue;
      for (const target of imports) if (target.startsWith('stages/') && usesStreams(target)) wrong.push(`${file} → ${target}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every runtime dependency is imported (or, for a pino transport, resolved; for an optional native module, required) by src/', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const text = readdirSync(src, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(src, f), 'utf8'))
      .join('\n');
    const unused = Object.keys(pkg.dependencies).filter((dep) => !new RegExp(`(from |import\\(|resolve\\(|require\\()'${dep}(/[^']*)?'`).test(text));
    expect(unused).toEqual([]);
  });
});
