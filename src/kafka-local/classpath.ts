import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mavenExecutable, MissingPrerequisiteError } from './prerequisites.js';
import { UserFacingError } from '../user-facing-error.js';
import { userCacheDir } from '../user-cache-dir.js';

export const DEFAULT_KAFKA_VERSION = '3.9.2';

/** kafka/pom.xml sits two levels above both src/kafka-local and dist/kafka-local. */
export const KAFKA_POM = fileURLToPath(new URL('../../kafka/pom.xml', import.meta.url));

export function kafkaMajor(version: string): number {
  return Number.parseInt(version.split('.')[0] ?? '', 10);
}

export interface ClasspathOptions {
  version?: string;
  /** Maven profiles on top of the ones the version needs, e.g. `tools` for ProducerPerformance. */
  profiles?: string[];
}

/**
 * Resolves Kafka's jars from Maven Central (cached in ~/.m2, outside the repository) and
 * returns the Java classpath. The classpath string itself is cached per version and profile
 * set, so later starts skip Maven entirely while every jar it names still exists.
 */
export async function resolveKafkaClasspath(options: ClasspathOptions = {}): Promise<string> {
  const version = options.version ?? DEFAULT_KAFKA_VERSION;
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new UserFacingError(`KAFKA_VERSION must look like 3.9.2, got "${version}"`);
  }
  const profiles = [...(options.profiles ?? [])];
  if (kafkaMajor(version) >= 4) profiles.push('log4j2');
  profiles.sort();

  const dir = userCacheDir();
  mkdirSync(dir, { recursive: true });
  const cacheFile = path.join(dir, `kafka-${version}${profiles.map((p) => `+${p}`).join('')}.classpath`);
  const cached = readCachedClasspath(cacheFile);
  if (cached) return cached;

  const tmpFile = `${cacheFile}.${process.pid}.tmp`;
  const args = ['-B', '-q', '-f', KAFKA_POM, 'dependency:build-classpath', `-Dkafka.version=${version}`, `-Dmdep.outputFile=${tmpFile}`];
  if (profiles.length > 0) args.push(`-P${profiles.join(',')}`);
  await runMaven(args, version);
  renameSync(tmpFile, cacheFile);
  const classpath = readCachedClasspath(cacheFile);
  if (!classpath) throw new Error(`Maven wrote no usable classpath for Kafka ${version} (${cacheFile})`);
  return classpath;
}

function readCachedClasspath(file: string): string | null {
  if (!existsSync(file)) return null;
  const classpath = readFileSync(file, 'utf8').trim();
  if (classpath === '') return null;
  return classpath.split(path.delimiter).every((jar) => existsSync(jar)) ? classpath : null;
}

function runMaven(args: string[], version: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(mavenExecutable(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new MissingPrerequisiteError(`Maven ("${mavenExecutable()}") is not installed; it fetches Kafka's jars`) : error);
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new UserFacingError(
            `Maven could not resolve Kafka ${version}'s jars (exit ${code}): ${mavenError(output)}; check KAFKA_VERSION and that Maven Central can be reached`,
          ),
        );
    });
  });
}

/** The first error line of Maven's output, without its colours and its "[ERROR]" prefix (the whole tail when none). */
export function mavenError(output: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const line = plain.split('\n').find((text) => /^\[ERROR\] \S/.test(text));
  return line ? line.replace(/^\[ERROR\] /, '').replace(/ -> \[Help \d+\]$/, '') : plain.trim().slice(-1000);
}
