import { createWriteStream, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeadLetterFile } from '../dead-letter/dead-letter.js';
import type { KafkaClient, ProducerPort } from '../kafka/port.js';
import type { KafkaSink } from '../sinks/kafka-sink.js';
import { logFailure, logger } from './logger.js';
import { onStopSignals } from './stop-signals.js';
import { countsSoFar, startFilePipeline, type RunSummary } from '../run-pipeline.js';
import { createTempDir, removeAllTempDirs, removeTempDir } from '../temp/temp-dirs.js';
import { RUN_DIR_ENV } from './heap.js';
import { isBrokenPipe } from './args.js';
import { parsePipeArgs, runFiles, USAGE } from './pipe-args.js';
import { formatBytes, startProgressLine } from './progress.js';
import { checkRunFiles, explainOutputFailure, explainTempFailure, OutputFile } from './run-files.js';
import { serveMetrics } from './serve-metrics.js';
import type { RunCounts } from '../metrics/run-metrics.js';

/**
 * Buffer of the --output file stream: chunks of lines queue up to this and go out in one
 * writev, rather than one thread-pool round trip per chunk (sizes compared in bench/README.md).
 */
const OUTPUT_BUFFER_BYTES = 1024 * 1024;

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

export async function main(argv: string[]): Promise<number> {
  // A UsageError from here on is the caller's (runCommand) to report: one line, exit 2.
  const options = parsePipeArgs(argv);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  checkRunFiles(runFiles(options));
  // Kafka's modules load only for runs that use Kafka: a file run starts ~50 ms sooner.
  if (options.streaming) return (await import('./pipe-streaming.js')).runStreaming(options, options.streaming, options.kafka!);
  const cores = os.availableParallelism();
  if (options.workers !== undefined && options.workers > cores) {
    logger.warn({ workers: options.workers, cores }, `--workers ${options.workers} is more than this machine's ${cores} cores: using ${cores}`);
  }

  const started = process.hrtime.bigint();
  // Read at scrape time; the pipeline's counters exist once it starts.
  let countsNow = (): RunCounts => ({ read: 0, delivered: 0, deadLettered: 0, deduplicated: 0, late: 0, handedOver: 0 });
  let running = true;
  let served: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  if (options.metricsPort !== undefined) {
    served = await serveMetrics(
      options.metricsPort,
      () => countsNow(),
      () => (running ? { healthy: true } : { healthy: false, reason: 'the run has ended' }),
    );
  }
  let client: KafkaClient | undefined;
  let producer: ProducerPort | undefined;
  let kafkaSink: KafkaSink | undefined;
  if (options.kafka) {
    const [{ openKafkaOutput, sinkOptions }, { KafkaSink }] = await Promise.all([import('./kafka-output.js'), import('../sinks/kafka-sink.js')]);
    const output = await openKafkaOutput(options.kafka);
    if (!output) return 1;
    ({ client, producer } = output);
    kafkaSink = new KafkaSink({
      producer,
      topic: options.kafka.topic,
      ...sinkOptions(options.kafka, output),
      logger,
      ...(served && { observer: served.metrics.delivery }),
    });
  }
  const abort = new AbortController();
  const signals = onStopSignals({
    stop(signal) {
      logger.warn({ signal }, kafkaSink ? 'stopping: settling the delivery batch in flight, then cleaning up' : 'stopping: cleaning up');
      // Stop reading now; a batch already in flight to Kafka is settled first, so the summary
      // can say exactly which records were acknowledged.
      void (kafkaSink?.stop() ?? Promise.resolve()).then(() => abort.abort());
    },
    force(signal) {
      // A second signal: stop now, still without leaving temp files behind.
      removeAllTempDirs();
      process.exit(SIGNAL_EXIT[signal] ?? 1);
    },
  });

  // One private run directory holds every temp file of the run; a launcher may have made it.
  const runDir = process.env[RUN_DIR_ENV] ?? createTempDir(options.tempDir, 'bin-packer-run-');
  const deadLetters = new DeadLetterFile(options.deadLetter);
  const outputFile = options.output !== undefined && !kafkaSink ? new OutputFile(options.output) : undefined;
  if (outputFile) process.once('exit', () => outputFile.discard());
  const output = kafkaSink ? undefined : outputFile ? createWriteStream(outputFile.writePath, { highWaterMark: OUTPUT_BUFFER_BYTES }) : process.stdout;
  // A write the output refused (a full disk, say) is named by its file: the error is the stream's
  // own (`errored`, for a file), or the one it emitted (stdout, written synchronously).
  let outputError: unknown;
  output?.once('error', (error) => (outputError ??= error));
  const destination = output ? { output } : { sink: kafkaSink! };
  const { progress, done } = startFilePipeline({
    inputs: options.inputs,
    ...destination,
    deadLetters,
    ...(options.maxInvalidCount !== undefined && { maxInvalid: options.maxInvalidCount }),
    dedupe: options.dedupe,
    format: options.format,
    maxRowBytes: options.maxRowBytes,
    sort: { memoryBytes: options.sortMemory, tempDir: runDir },
    workers: options.workers ?? 'auto',
    bin: { maxBatchRecords: options.maxBatchRecords, maxBatchBytes: options.maxBatchBytes },
    signal: abort.signal,
  });
  countsNow = () => ({ ...countsSoFar(progress, deadLetters.count), late: 0, handedOver: 0 });
  const stopProgress = options.progress ? startProgressLine(progress, totalSize(options.inputs)) : undefined;

  let summary: RunSummary | undefined;
  let failure: unknown;
  let discardedLines: number | undefined;
  try {
    summary = await done;
  } catch (error) {
    const refusedByOutput = (error === output?.errored || error === outputError) && !isBrokenPipe(error);
    failure = refusedByOutput ? explainOutputFailure(error as Error, options.output) : explainTempFailure(error, runDir);
  } finally {
    stopProgress?.();
    signals.dispose();
    await deadLetters.close().catch((error: unknown) => (failure ??= error));
    await producer?.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the Kafka producer failed'));
    await client?.close();
    if (outputFile) {
      try {
        if (failure || signals.signalled) {
          outputFile.discard();
          discardedLines = progress.sink.delivered;
        } else {
          outputFile.commit();
        }
      } catch (error) {
        failure ??= error;
      }
    }
    removeAllTempDirs();
    removeTempDir(runDir);
    running = false;
    await served?.server.close();
  }

  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stats = {
    ...(summary ?? countsSoFar(progress, deadLetters.count)),
    // A failed run's --output is removed (the file it would replace is untouched): nothing of it was delivered.
    ...(discardedLines !== undefined && { delivered: 0, discardedLines }),
    deadLetterFile: deadLetters.count > 0 ? path.resolve(deadLetters.path) : null,
    ...(kafkaSink && {
      topic: options.kafka!.topic,
      requests: kafkaSink.stats.requests,
      resent: kafkaSink.stats.resent,
      deliverySeconds: Math.round(kafkaSink.stats.deliverySeconds * 1000) / 1000,
    }),
    wallSeconds: round(wallSeconds, 3),
    eventsPerSecond: Math.round((progress.source.rows + progress.source.rejected) / Math.max(wallSeconds, 1e-9)),
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
    sortWorkers: progress.sortWorkers,
  };

  const signalled = signals.signalled;
  if (signalled) {
    const written =
      discardedLines !== undefined
        ? `${options.output} was left as it was (the ${discardedLines} lines written before the stop were removed)`
        : `${stats.delivered} events were written before the stop`;
    logger.warn({ summary: stats, signal: signalled }, `interrupted: ${written}; temp files removed`);
    return SIGNAL_EXIT[signalled] ?? 1;
  }
  if (failure) {
    if (isBrokenPipe(failure)) {
      logger.debug('stdout closed by its reader; stopping quietly');
      return 0;
    }
    const kept = discardedLines !== undefined ? `; ${options.output} was left as it was` : '';
    logFailure(failure, `run failed: ${failure instanceof Error ? failure.message : String(failure)}${kept}`, { summary: stats });
    return 1;
  }
  logger.info({ summary: stats }, 'run complete');
  if (stats.deadLettered > 0)
    logger.warn({ deadLettered: stats.deadLettered, file: stats.deadLetterFile }, `${stats.deadLettered} invalid rows written to ${stats.deadLetterFile}`);
  if (process.stderr.isTTY) process.stderr.write(humanSummary(summary!, stats));
  if (options.maxInvalidFraction !== undefined && summary!.read > 0 && summary!.deadLettered / summary!.read > options.maxInvalidFraction) {
    logger.error(`${summary!.deadLettered} of ${summary!.read} rows are invalid, more than --max-invalid ${options.maxInvalidFraction * 100}%`);
    return 1;
  }
  return 0;
}

function humanSummary(summary: RunSummary, stats: { wallSeconds: number; eventsPerSecond: number; peakRssMiB: number; deadLetterFile: string | null }): string {
  return [
    `read          ${summary.read}`,
    `delivered     ${summary.delivered}`,
    `dead-lettered ${summary.deadLettered}${stats.deadLetterFile ? ` → ${stats.deadLetterFile}` : ''}`,
    `deduplicated  ${summary.deduplicated}`,
    `batches       ${summary.batches} (lower bound ${summary.batchLowerBound}; longest visit ${summary.longestVisit})`,
    `spill runs    ${summary.spillRuns} (${formatBytes(summary.spilledBytes)})`,
    `wall time     ${stats.wallSeconds} s, ${stats.eventsPerSecond} events/s, peak RSS ${stats.peakRssMiB} MiB`,
    '',
  ].join('\n');
}

function totalSize(inputs: string[]): number | undefined {
  let total = 0;
  for (const input of inputs) {
    if (input === '-') return undefined;
    total += statSync(input).size;
  }
  return total;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
