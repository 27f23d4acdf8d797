import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mavenExecutable, MissingPrerequisiteError } from './prerequisites.js';
export const DEFAULT_KAFKA_VERSION = '3.9.2';
/** kafka/pom.xml sits two levels above both src/kafka-local and dist/kafka-local. */
export const KAFKA_POM = fileURLToPath(new URL('../../kafka/pom.xml', import.meta.url));
export function kafkaMajor(version) {
    return Number.parseInt(version.split('.')[0] ?? '', 10);
}
function cacheDir() {
    const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
    return path.join(base, 'bin-packer');
}
/**
 * Resolves Kafka's jars from Maven Central (cached in ~/.m2, outside the repository) and
 * returns the Java classpath. The classpath string itself is cached per version and profile
 * set, so later starts skip Maven entirely while every jar it names still exists.
 */
export async function resolveKafkaClasspath(options = {}) {
    const version = options.version ?? DEFAULT_KAFKA_VERSION;
    if (!/^\d+\.\d+\.\d+$/.test(version)) {
        throw new Error(`KAFKA_VERSION must look like 3.9.2, got "${version}"`);
    }
    const profiles = [...(options.profiles ?? [])];
    if (kafkaMajor(version) >= 4)
        profiles.push('log4j2');
    profiles.sort();
    const dir = cacheDir();
    mkdirSync(dir, { recursive: true });
    const cacheFile = path.join(dir, `kafka-${version}${profiles.map((p) => `+${p}`).join('')}.classpath`);
    const cached = readCachedClasspath(cacheFile);
    if (cached)
        return cached;
    const tmpFile = `${cacheFile}.${process.pid}.tmp`;
    const args = ['-B', '-q', '-f', KAFKA_POM, 'dependency:build-classpath', `-Dkafka.version=${version}`, `-Dmdep.outputFile=${tmpFile}`];
    if (profiles.length > 0)
        args.push(`-P${profiles.join(',')}`);
    await runMaven(args);
    renameSync(tmpFile, cacheFile);
    const classpath = readCachedClasspath(cacheFile);
    if (!classpath)
        throw new Error(`Maven wrote no usable classpath for Kafka ${version} (${cacheFile})`);
    return classpath;
}
function readCachedClasspath(file) {
    if (!existsSync(file))
        return null;
    const classpath = readFileSync(file, 'utf8').trim();
    if (classpath === '')
        return null;
    return classpath.split(path.delimiter).every((jar) => existsSync(jar)) ? classpath : null;
}
function runMaven(args) {
    return new Promise((resolve, reject) => {
        let output = '';
        const child = spawn(mavenExecutable(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.on('data', (chunk) => (output += chunk.toString()));
        child.stderr.on('data', (chunk) => (output += chunk.toString()));
        child.on('error', (error) => {
            reject(error.code === 'ENOENT' ? new MissingPrerequisiteError(`Maven ("${mavenExecutable()}") is not installed; it fetches Kafka's jars`) : error);
        });
        child.on('close', (code) => {
            if (code === 0)
                resolve();
            else
                reject(new Error(`Maven could not resolve Kafka's jars (exit ${code}):\n${output.trim().slice(-4000)}`));
        });
    });
}
//# sourceMappingURL=classpath.js.map