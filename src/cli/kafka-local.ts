#!/usr/bin/env node
/**
 * `npm run kafka:start` / `npm run kafka:stop`: a real single-node KRaft broker on 127.0.0.1
 * for users without Docker. start prints `KAFKA_BROKERS=host:port` as its last stdout line.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isKafkaBrokerProcess, startKafkaBroker, stopProcess } from '../kafka-local/broker.js';
import { logger } from './logger.js';
import { isEntryPoint, runMain } from './run-main.js';
import { checkRunFiles } from './run-files.js';

interface BrokerState {
  pid: number;
  dir: string;
  brokers: string;
  version: string;
  /** Where this record was written: a copy found elsewhere (a copied checkout) is someone else's. */
  stateFile: string;
}

export const USAGE = `Usage: bin-packer kafka <start|stop|status> [--state FILE]   (in a checkout: npm run kafka:start ...)

  start   resolve Apache Kafka's jars with Maven, start one KRaft broker+controller on a free
          127.0.0.1 port and print KAFKA_BROKERS=host:port (last stdout line)
  stop    stop that broker and remove its temp directory
  status  print KAFKA_BROKERS=... if the recorded broker runs, exit 1 otherwise

Environment: KAFKA_VERSION (default 3.9.2), JAVA_HOME, MAVEN_CMD, LOG_LEVEL.
--state FILE  where the running broker is recorded (default ./.kafka-local.json, or KAFKA_LOCAL_STATE)
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { state: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const stateFile = path.resolve(values.state ?? process.env.KAFKA_LOCAL_STATE ?? '.kafka-local.json');
  const existing = readState(stateFile);
  switch (positionals[0]) {
    case 'start': {
      if (existing && isKafkaBrokerProcess(existing.pid)) {
        logger.info({ brokerPid: existing.pid, brokers: existing.brokers }, 'a local broker is already running');
        process.stdout.write(`KAFKA_BROKERS=${existing.brokers}\n`);
        return 0;
      }
      // Before a broker runs: one that could not be recorded could not be stopped either.
      checkRunFiles({ inputs: [], outputs: [{ option: '--state', path: stateFile }] });
      // A broker killed outright left its directory: remove it with the record.
      if (existing) rmSync(existing.dir, { recursive: true, force: true });
      const broker = await startKafkaBroker({ detached: true });
      const state: BrokerState = { pid: broker.pid, dir: broker.dir, brokers: broker.brokers, version: broker.version, stateFile };
      try {
        writeFileSync(stateFile, JSON.stringify(state) + '\n', { mode: 0o600 });
      } catch (error) {
        await stopProcess(broker.pid, broker.dir);
        throw error;
      }
      logger.info(
        { brokerPid: state.pid, dir: state.dir, brokers: state.brokers, version: state.version, stateFile },
        'Kafka broker started; stop it with npm run kafka:stop',
      );
      process.stdout.write(`KAFKA_BROKERS=${broker.brokers}\n`);
      return 0;
    }
    case 'stop': {
      if (!existing) {
        logger.info({ stateFile }, 'no local broker recorded; nothing to stop');
        return 0;
      }
      if (isKafkaBrokerProcess(existing.pid)) await stopProcess(existing.pid, existing.dir);
      else rmSync(existing.dir, { recursive: true, force: true });
      rmSync(stateFile, { force: true });
      logger.info({ brokerPid: existing.pid }, 'Kafka broker stopped and its directory removed');
      return 0;
    }
    case 'status': {
      if (existing && isKafkaBrokerProcess(existing.pid)) {
        process.stdout.write(`KAFKA_BROKERS=${existing.brokers}\n`);
        return 0;
      }
      process.stderr.write('no local Kafka broker is running\n');
      return 1;
    }
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

function readState(file: string): BrokerState | null {
  if (!existsSync(file)) return null;
  let state: BrokerState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as BrokerState;
  } catch {
    return null;
  }
  if (state.stateFile !== file) {
    // Copied along with a checkout: that broker belongs to the checkout that started it.
    logger.warn({ stateFile: file, recordedAt: state.stateFile }, 'ignoring a broker record copied from elsewhere');
    return null;
  }
  return state;
}

// `node dist/cli/kafka-local.js` (the npm scripts) as well as `bin-packer kafka`.
if (isEntryPoint(import.meta.url)) runMain(() => main(process.argv.slice(2)));
