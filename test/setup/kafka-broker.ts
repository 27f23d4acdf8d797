import type { TestProject } from 'vitest/node';
import { startKafkaBroker } from '../../src/kafka-local/broker.js';
import { missingPrerequisite } from '../../src/kafka-local/prerequisites.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of a real broker, or '' when the integration tests are skipped. */
    kafkaBrokers: string;
    /** True when the broker is the one this setup started (known config), not KAFKA_BROKERS. */
    kafkaBrokerStartedHere: boolean;
  }
}

/**
 * Gives the integration tests a real Kafka broker: `KAFKA_BROKERS` when set, otherwise one
 * started here from Maven Central's jars and stopped in teardown. Under CI=true a broker is
 * mandatory; elsewhere a machine without Java or Maven skips the integration tests with one line.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const given = process.env.KAFKA_BROKERS;
  project.provide('kafkaBrokerStartedHere', false);
  if (given) {
    project.provide('kafkaBrokers', given);
    return;
  }
  const missing = missingPrerequisite();
  if (missing) {
    if (process.env.CI === 'true') throw new Error(`CI=true requires a Kafka broker, but ${missing}`);
    process.stderr.write(`integration tests SKIPPED: ${missing}. Install them, or point KAFKA_BROKERS=host:port at a broker, and rerun npm test.\n`);
    project.provide('kafkaBrokers', '');
    return;
  }
  const broker = await startKafkaBroker();
  process.stderr.write(`integration tests use Kafka ${broker.version} at ${broker.brokers} (pid ${broker.pid})\n`);
  project.provide('kafkaBrokers', broker.brokers);
  project.provide('kafkaBrokerStartedHere', true);
  return () => broker.stop();
}
