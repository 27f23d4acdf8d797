import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
const PREFIX = 'bin_packer_';
/**
 * A run's Prometheus metrics, all named bin_packer_*: counters read at scrape time from the
 * run's own counts, histograms of micro-batch duration and delivery-batch acknowledgement
 * latency, gauges of batches in flight, consumer lag and the last commit's age, and Node's
 * default process metrics. One registry per run, nothing global.
 */
export class RunMetrics {
    registry = new Registry();
    delivery;
    microBatchSeconds;
    constructor(counts, consumer) {
        const registers = [this.registry];
        collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
        const counter = (name, help, field) => {
            let reported = 0;
            new Counter({
                name: `${PREFIX}${name}_total`,
                help,
                registers,
                collect() {
                    const value = counts()[field];
                    if (value > reported)
                        this.inc(value - reported);
                    reported = Math.max(reported, value);
                },
            });
        };
        counter('events_read', 'Rows read from the input, valid or not.', 'read');
        counter('events_delivered', 'Events written to the output or acknowledged by Kafka.', 'delivered');
        counter('events_dead_lettered', 'Rows sent to the dead-letter output.', 'deadLettered');
        counter('events_deduplicated', 'Exact duplicates dropped (--dedupe).', 'deduplicated');
        counter('events_late', 'Events older than one already delivered for their visit (streaming).', 'late');
        counter('events_handed_over', "Records left to a partition's new owner after a rebalance (streaming).", 'handedOver');
        this.microBatchSeconds = new Histogram({
            name: `${PREFIX}micro_batch_duration_seconds`,
            help: "From a micro-batch's first record to its offsets committed (streaming).",
            buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
            registers,
        });
        const ackSeconds = new Histogram({
            name: `${PREFIX}delivery_batch_ack_seconds`,
            help: "From a delivery batch's submission to the acknowledgement of all its records (Kafka).",
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            registers,
        });
        const inFlight = new Gauge({ name: `${PREFIX}batches_in_flight`, help: 'Delivery batches submitted and not yet acknowledged (Kafka).', registers });
        this.delivery = {
            submitted: () => inFlight.inc(),
            settled: (seconds) => {
                inFlight.dec();
                ackSeconds.observe(seconds);
            },
        };
        if (consumer) {
            new Gauge({
                name: `${PREFIX}consumer_lag`,
                help: 'Records of an owned input partition past the last offset this instance delivered, up to the high watermark of the last fetch.',
                labelNames: ['partition'],
                registers,
                collect() {
                    this.reset();
                    for (const [partition, lag] of consumer().lag)
                        this.set({ partition: String(partition) }, lag);
                },
            });
            new Gauge({
                name: `${PREFIX}last_commit_age_seconds`,
                help: "Seconds since the last micro-batch's offsets were committed (absent before the first).",
                registers,
                collect() {
                    this.reset();
                    const at = consumer().lastCommitAt;
                    if (at !== undefined)
                        this.set((Date.now() - at) / 1000);
                },
            });
        }
    }
    /** A micro-batch was delivered and committed, `seconds` after its first record. */
    microBatch(seconds) {
        this.microBatchSeconds.observe(seconds);
    }
}
//# sourceMappingURL=run-metrics.js.map