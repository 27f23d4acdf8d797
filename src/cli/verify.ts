import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { createKafkaClient, saslFromEnv } from '../kafka/client.js';
import { CLIENT_NAMES } from '../kafka/port.js';
import { logger } from './logger.js';
import { RowSplitter } from '../stages/parse/row-splitter.js';
import { toVisitEvent } from '../stages/validate/validate-row.js';
import { digest, OrderChecker, type DeliveredRecord, type VerifyReport } from '../verify/order-checker.js';
import { readTopicToEnd } from '../verify/read-topic.js';
import { reachKafka } from '../kafka/open-output.js';
import { requireTopic } from '../kafka/topic.js';
import { parseChoice, UsageError } from './args.js';
import { isEntryPoint, runMain } from './run-main.js';
import { checkRunFiles } from './run-files.js';

export const USAGE = `Usage: bin-packer verify (--brokers B --topic T [--isolation I] | --file F) [--expect INPUT] [--dedupe] [--json]

Reads what the pipeline delivered and checks the pattern's promises: per visit, event time
never goes back and delivery_batch strictly increases; no batch holds a visit twice; a visit
stays on one partition; the key is the visit_id. Exit 0 only when all hold. Records with a
header late=true (streaming mode's late events) may go back in time; they are counted.

  --brokers B      Kafka brokers (default KAFKA_BROKERS); SASL from KAFKA_SASL_* variables
  --topic T        read T from the beginning up to the end offsets taken at start
  --ssl            TLS to the brokers
  --client C       platformatic (default) or kafkajs
  --isolation I    read_committed (default: records of aborted transactions are skipped,
                   and counted) or read_uncommitted (every record written)
  --file F         read the NDJSON delivery lines of the stdout sink instead (- for stdin)
  --expect INPUT   also check that every valid event of INPUT (NDJSON or JSON array; - for
                   stdin) was delivered exactly once, and nothing else
  --dedupe         with --expect: the run used --dedupe, so each distinct event is expected once
  --json           print the report as JSON
  -h, --help       this text
`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      brokers: { type: 'string' },
      topic: { type: 'string' },
      ssl: { type: 'boolean' },
      client: { type: 'string' },
      isolation: { type: 'string' },
      file: { type: 'string' },
      expect: { type: 'string' },
      dedupe: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if ((values.topic === undefined) === (values.file === undefined)) throw new UsageError('give either --topic (with --brokers) or --file');
  const brokers = values.brokers ?? process.env.KAFKA_BROKERS;
  if (values.topic !== undefined && !brokers) throw new UsageError('--topic needs --brokers or KAFKA_BROKERS');

  // Unreadable files: one line naming them, before anything is read.
  checkRunFiles({ inputs: [values.file, values.expect].filter((file) => file !== undefined), outputs: [] });
  const expected = values.expect === undefined ? undefined : await expectedEvents(values.expect, values.dedupe ?? false);
  const checker = new OrderChecker(expected);
  const isolation = parseChoice('isolation', values.isolation, ISOLATIONS, 'read_committed');
  if (values.file !== undefined && values.isolation !== undefined) throw new UsageError('--isolation reads a topic: give it with --topic');
  if (values.file === '-' && values.expect === '-') throw new UsageError('--file - and --expect - cannot both read stdin');
  let abortedRecords: number | undefined;
  if (values.file !== undefined) {
    await readDeliveryFile(values.file, (record) => checker.add(record));
  } else {
    const sasl = saslFromEnv();
    const client = await createKafkaClient(
      { brokers: brokers!, clientId: 'bin-packer-verify', ...(values.ssl && { ssl: true }), ...(sasl && { sasl }) },
      logger,
      parseChoice('client', values.client, CLIENT_NAMES, 'platformatic'),
    );
    // Unreachable brokers or a missing topic: one clear line, as pipe.js says it.
    await reachKafka(client, brokers!, () => requireTopic(client, values.topic!, { brokers: brokers! }));
    try {
      ({ abortedRecords } = await readTopicToEnd(client, values.topic!, (record) => checker.add(record), { isolation }));
    } finally {
      await client.close();
    }
  }
  const report = { ...checker.report(), ...(values.topic !== undefined && { isolation, abortedRecords: abortedRecords ?? null }) };
  process.stdout.write(values.json ? JSON.stringify(report) + '\n' : humanReport(report, values.topic ?? (values.file === '-' ? 'stdin' : values.file!)));
  return report.ok ? 0 : 1;
}

const VALUE_FIELD = Buffer.from('"value":');
/** Far above any row the pipeline accepts (--max-row-bytes) plus its key and batch. */
const MAX_DELIVERY_LINE_BYTES = 2 ** 30;

/** Digests of the valid events of an input file, with their multiplicity. */
async function expectedEvents(path: string, dedupe: boolean): Promise<Map<string, number>> {
  const expected = new Map<string, number>();
  let seq = 0;
  const splitter = new RowSplitter(
    {
      row: (row) => {
        const event = toVisitEvent(row, seq++);
        if (typeof event === 'string') return;
        const hash = digest(event.text);
        expected.set(hash, dedupe ? 1 : (expected.get(hash) ?? 0) + 1);
      },
      reject: () => undefined,
    },
    { source: path },
  );
  for await (const chunk of readFrom(path)) splitter.push(chunk as Buffer);
  splitter.end();
  return expected;
}

/**
 * The stdout sink's lines: {"delivery_batch":N,"key":"...","value":<original JSON>}. Split as
 * the pipeline splits its input (only LF ends a line; a CR is JSON whitespace or part of CRLF),
 * so a value holding a bare CR is read whole.
 */
async function readDeliveryFile(path: string, onRecord: (record: DeliveredRecord) => void): Promise<void> {
  const record = (bytes: Buffer, line: number) => {
    let parsed: { delivery_batch?: unknown; key?: unknown } = {};
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      // a broken line: no key or batch, so the checker reports it
    }
    // The value's original bytes sit between "value": and the line's closing brace.
    const start = bytes.indexOf(VALUE_FIELD);
    onRecord({
      partition: 0,
      offset: String(line),
      key: typeof parsed.key === 'string' ? parsed.key : null,
      value: start === -1 ? Buffer.alloc(0) : Buffer.from(bytes.subarray(start + VALUE_FIELD.length, bytes.length - 1)),
      batch: parsed.delivery_batch === undefined ? null : String(parsed.delivery_batch),
    });
  };
  const splitter = new RowSplitter(
    {
      row: (row) => record(row.bytes!, row.position.line!),
      reject: (letter) => record(Buffer.from(letter.raw ?? letter.rawBase64 ?? '', letter.raw !== undefined ? 'utf8' : 'base64'), letter.position.line!),
    },
    { source: path, format: 'ndjson', maxRowBytes: MAX_DELIVERY_LINE_BYTES, parse: (bytes, position) => ({ text: '', value: null, position, bytes }) },
  );
  for await (const chunk of readFrom(path)) splitter.push(chunk as Buffer);
  splitter.end();
}

const ISOLATIONS = ['read_committed', 'read_uncommitted'] as const;

function humanReport(report: VerifyReport & { isolation?: string; abortedRecords?: number | null }, source: string): string {
  const lines = [
    `${report.ok ? 'OK' : 'FAILED'}: ${source}`,
    `records     ${report.records} (${
      Object.entries(report.perPartition)
        .map(([p, n]) => `p${p}: ${n}`)
        .join(', ') || 'none'
    })`,
    `visits      ${report.visits}`,
    `batches     ${report.batches}`,
    `duplicates  ${report.duplicates}`,
    `late        ${report.late} (marked late by streaming mode: not violations)`,
    ...(report.isolation
      ? [
          `isolation   ${report.isolation}${report.isolation === 'read_committed' ? `, aborted records skipped: ${report.abortedRecords ?? 'not counted by this client'}` : ''}`,
        ]
      : []),
    ...(report.missing !== undefined ? [`missing     ${report.missing}`, `unexpected  ${report.unexpected}`] : []),
    `violations  ${report.violations}`,
    ...report.examples.map((v) => `  - [${v.kind}] ${v.message}${v.partition !== undefined ? ` (partition ${v.partition}, offset ${v.offset})` : ''}`),
    '',
  ];
  return lines.join('\n');
}

/** A file's bytes, or stdin's for `-`. */
function readFrom(path: string): NodeJS.ReadableStream {
  return path === '-' ? process.stdin : createReadStream(path);
}

// `node dist/cli/verify.js` as well as dist/verify.js and `bin-packer verify`.
if (isEntryPoint(import.meta.url)) runMain(() => main(process.argv.slice(2)));
