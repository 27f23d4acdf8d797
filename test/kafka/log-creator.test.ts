import { logLevel } from 'kafkajs';
import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { kafkajsLevel, pinoLogCreator } from '../../src/kafka/log-creator.js';

function capture(level: string) {
  const lines: { level: number; msg: string; kafkajs?: string }[] = [];
  const out = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]), done()) });
  const log = pinoLogCreator(pino({ level }, out))(logLevel.INFO);
  const entry = (level: logLevel, namespace: string, message: string) => log({ namespace, level, label: '', log: { timestamp: '', message } });
  return { lines, entry };
}

describe("kafkajs' log lines", () => {
  it("go to pino as JSON, kafkajs' errors at debug: the sink reports failures and re-sends itself", () => {
    const { lines, entry } = capture('debug');
    entry(logLevel.ERROR, 'Connection', 'Response Produce(key: 0, version: 7)');
    entry(logLevel.WARN, 'Cluster', 'a warning of its own');
    entry(logLevel.WARN, 'Producer', 'Limiting retries for the idempotent producer may invalidate EoS guarantees');
    expect(lines.map((line) => [line.level, line.kafkajs, line.msg])).toEqual([
      [20, 'Connection', 'Response Produce(key: 0, version: 7)'],
      [40, 'Cluster', 'a warning of its own'],
      [20, 'Producer', 'Limiting retries for the idempotent producer may invalidate EoS guarantees'],
    ]);
  });

  it('at the default level, show warnings only', () => {
    const { lines, entry } = capture('info');
    entry(logLevel.ERROR, 'Producer', 'Failed to send messages: This server does not host this topic-partition');
    entry(logLevel.WARN, 'Cluster', 'a warning of its own');
    expect(lines.map((line) => line.msg)).toEqual(['a warning of its own']);
    expect(kafkajsLevel('info')).toBe(logLevel.WARN);
    expect(kafkajsLevel('error')).toBe(logLevel.NOTHING);
    expect(kafkajsLevel('debug')).toBe(logLevel.INFO);
  });
});
