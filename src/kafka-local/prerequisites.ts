import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { UserFacingError } from '../user-facing-error.js';

/** Raised when this machine lacks what a local broker needs; the message says how to get it. */
export class MissingPrerequisiteError extends UserFacingError {
  override name = 'MissingPrerequisiteError';
}

export function javaExecutable(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

export function mavenExecutable(): string {
  return process.env.MAVEN_CMD ?? 'mvn';
}

function runs(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  return result.status === 0;
}

/** Null when java (17+) and Maven are both usable, else a one-line reason. */
export function missingPrerequisite(): string | null {
  if (!runs(javaExecutable(), ['-version'])) {
    return `no Java runtime (tried "${javaExecutable()}"); install a JDK 17+ (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME`;
  }
  if (!runs(mavenExecutable(), ['--version'])) {
    return `no Maven (tried "${mavenExecutable()}"); install it (e.g. apt-get install maven) or set MAVEN_CMD`;
  }
  return null;
}
