import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_KAFKA_VERSION } from '../../src/kafka-local/classpath.js';
import { DIST, runCli } from '../helpers/cli.js';

// No Docker engine runs here, so check what can be checked: the compose file calls our CLIs
// with flags they know, and uses the broker version the local broker defaults to.
const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = parse(readFileSync(root + 'docker/compose.yaml', 'utf8')) as {
  services: Record<string, { image?: string; build?: { dockerfile: string }; command?: string[] | string }>;
};

describe('docker/compose.yaml', () => {
  it('uses the same Kafka release as the local broker', () => {
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${DEFAULT_KAFKA_VERSION}`);
  });

  it('creates the visits and visits-ordered topics', () => {
    const command = String(compose.services.topics?.command);
    expect(command).toContain('for topic in visits visits-ordered');
  });

  const ours = Object.entries(compose.services).filter(([, service]) => service.image === 'bin-packer:local');
  it('runs our image for the generator and the pipeline', () => {
    expect(ours.map(([name]) => name).sort()).toEqual(['generator', 'pipeline']);
  });

  for (const [name, service] of ours) {
    it(`${name}: calls a built CLI with flags its --help documents`, async () => {
      const [script, ...args] = service.command as string[];
      expect(script).toMatch(/^dist\//);
      const file = script!.slice('dist/'.length);
      expect(existsSync(DIST + file)).toBe(true);
      const help = await runCli(file, ['--help']);
      expect(help.code).toBe(0);
      for (const flag of args.filter((a) => a.startsWith('--'))) expect(help.stdout, flag).toContain(flag.replace(/^--no-/, '--'));
      for (const file of args.filter((a) => a.startsWith('fixtures/'))) expect(existsSync(root + file), file).toBe(true);
    });
  }

  it('builds from a Dockerfile whose COPY sources exist', () => {
    const dockerfile = readFileSync(root + 'docker/Dockerfile', 'utf8');
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) expect(existsSync(root + source), source).toBe(true);
  });
});
