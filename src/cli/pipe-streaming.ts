import { DeadLetterFile, type DeadLetterSink } from '../dead-letter/dead-letter.js';
import { DeadLetterTopic } from '../dead-letter/dead-letter-topic.js';
import { CREATE_TOPIC_HINT, requireTopic } from '../kafka/topic.js';
import { logFailure, logger } from './logger.js';
import { onStopSignals } from './stop-signals.js';
import { startStreamingJob, type StreamingJob, type StreamingJobOptions, type StreamingTotals } from '../streaming/streaming-job.js';
import { createTempDir, removeAllTempDirs, removeTempDir } from '../temp/temp-dirs.js';
import { RUN_DIR_ENV } from './heap.js';
import { openKafkaOutput, sinkOptions } from './kafka-output.js';
import { explainTempFailure } from './run-files.js';
import type { KafkaSinkSettings, PipeOptions, StreamingSettings } from './pipe-args.js';
import { serveMetrics } from './serve-metrics.js';
import type { HealthCheck } from '../metrics/metrics-server.js';

/**
 * `pipe.js --source kafka`: runs the streaming job until SIGTERM/SIGINT, then lets it deliver
 * and commit its current micro-batch and leave the group (exit 0), within --shutdown-timeout.
 */
export async function runStreaming(options: PipeOptions, streaming: StreamingSettings, kafkaSettings: KafkaSinkSettings): Promise<number> {
  const started = process.hrtime.bigint();
  let job: StreamingJob | undefined;
  let served: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  if (options.metricsPort !== undefined) {
    // Healthy while in the group and committing: no micro-batch open past a few trigger intervals.
    const health: HealthCheck = () => {
      const status = job?.status();
      if (!status?.inGroup) return { healthy: false, reason: 'not a member of the consumer group' };
      const open = status.openSince === undefined ? 0 : Date.now() - status.openSince;
      if (open > 3 * streaming.triggerIntervalMs)
        return { healthy: false, reason: `a micro-batch has been open for ${Math.round(open / 1000)} s without a commit` };
      return { healthy: true };
    };
    const counts = () => ({ read: 0, delivered: 0, deadLettered: 0, deduplicated: 0, late: 0, handedOver: 0, ...job?.totals });
    served = await serveMetrics(options.metricsPort, counts, health, () => job?.status() ?? { lag: new Map(), lastCommitAt: undefined });
  }
  const output = await openKafkaOutput(kafkaSettings);
  if (!output) return 1;
  const { client, producer } = output;
  const runDir = process.env[RUN_DIR_ENV] ?? createTempDir(options.tempDir, 'bin-packer-run-');
  let deadLetters: DeadLetterSink | undefined;
  let totals: StreamingTotals | undefined;
  let failure: unknown;
  let deadline: NodeJS.Timeout | undefined;
  const signals = onStopSignals({
    stop(signal) {
      logger.info({ signal }, 'stopping: delivering and committing the current micro-batch, then leaving the group');
      deadline = setTimeout(() => {
        logger.error(
          `the last micro-batch was not delivered and committed within --shutdown-timeout ${streaming.shutdownTimeoutMs / 1000} s; exiting uncommitted (it will be consumed again)`,
        );
        removeAllTempDirs();
        process.exit(1);
      }, streaming.shutdownTimeoutMs);
      deadline.unref();
      void job?.stop();
    },
    force(signal) {
      logger.warn({ signal }, 'second signal: exiting now; the current micro-batch stays uncommitted and will be consumed again');
      removeAllTempDirs();
      process.exit(1);
    },
  });
  try {
    await requireTopic(client, streaming.inputTopic, { brokers: kafkaSettings.connection.brokers });
    if (streaming.deadLetterTopic !== undefined) {
      const { partitions } = await requireTopic(client, streaming.deadLetterTopic, {
        brokers: kafkaSettings.connection.brokers,
        createPartitions: kafkaSettings.createPartitions,
        hint: CREATE_TOPIC_HINT,
      });
      const { maxMessageBytes } = await client.topicConfig(streaming.deadLetterTopic);
      deadLetters = new DeadLetterTopic(producer, streaming.deadLetterTopic, partitions, maxMessageBytes);
    } else {
      deadLetters = new DeadLetterFile(options.deadLetter, { append: true });
    }
    job = await startStreamingJob({
      client,
      producer,
      guarantee: streaming.guarantee,
      ...(streaming.transactionTimeoutMs !== undefined && { transactionTimeoutMs: streaming.transactionTimeoutMs }),
      compression: kafkaSettings.compression,
      inputTopic: streaming.inputTopic,
      outputTopic: kafkaSettings.topic,
      groupId: streaming.groupId,
      triggerIntervalMs: streaming.triggerIntervalMs,
      ...(streaming.triggerEvents !== undefined && { triggerEvents: streaming.triggerEvents }),
      startFrom: streaming.startFrom,
      sessionTimeoutMs: streaming.sessionTimeoutMs,
      deadLetters,
      late: { policy: streaming.late, maxVisits: streaming.lateStateVisits, maxAgeMs: streaming.lateStateAgeMs, changelogTopic: streaming.lateStateTopic },
      sink: { ...sinkOptions(kafkaSettings, output), ...(served && { observer: served.metrics.delivery }) },
      ...(served && { onMicroBatch: (seconds: number) => served.metrics.microBatch(seconds) }),
      dedupe: options.dedupe,
      maxRowBytes: options.maxRowBytes,
      sort: { memoryBytes: options.sortMemory, tempDir: runDir },
      bin: { maxBatchRecords: options.maxBatchRecords, maxBatchBytes: options.maxBatchBytes },
      logger,
      ...pauseForTests(),
    });
    logger.info(
      { inputTopic: streaming.inputTopic, group: streaming.groupId, outputTopic: kafkaSettings.topic, guarantee: streaming.guarantee },
      'streaming: consuming in micro-batches',
    );
    if (signals.signalled) void job.stop();
    totals = await job.done;
  } catch (error) {
    failure = explainTempFailure(error, runDir);
  } finally {
    clearTimeout(deadline);
    signals.dispose();
    if (deadLetters instanceof DeadLetterFile) await deadLetters.close().catch((error: unknown) => (failure ??= error));
    await producer.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the Kafka producer failed'));
    await client.close();
    removeAllTempDirs();
    removeTempDir(runDir);
    await served?.server.close();
  }
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = {
    ...(totals ?? job?.totals),
    deadLetters: streaming.deadLetterTopic ?? (deadLetters?.count ? options.deadLetter : null),
    wallSeconds: Math.round(wallSeconds * 1000) / 1000,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
  };
  if (failure) {
    logFailure(failure, `streaming failed: ${failure instanceof Error ? failure.message : String(failure)}`, { summary });
    return 1;
  }
  logger.info({ summary }, 'streaming stopped: every micro-batch delivered and committed');
  return 0;
}

/**
 * BIN_PACKER_TEST_PAUSE=<moment>:<micro-batch> (moment sort, delivery or commit): the process
 * stops itself (SIGSTOP) when that micro-batch reaches that moment, for tests that kill or
 * freeze an instance at a precise point of a delivery. Unset in every real run.
 */
function pauseForTests(): Pick<StreamingJobOptions, 'onMoment'> {
  const setting = process.env.BIN_PACKER_TEST_PAUSE;
  if (!setting) return {};
  const [moment, microBatch] = setting.split(':');
  return {
    onMoment: (reached, number) => {
      if (reached !== moment || number !== Number(microBatch)) return;
      logger.warn({ pausedAt: reached, microBatchNumber: number }, 'paused for a test (SIGSTOP)');
      process.kill(process.pid, 'SIGSTOP');
    },
  };
}
