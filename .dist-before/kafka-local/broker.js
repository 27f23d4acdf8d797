import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { isAlive, markOwner, sweepStaleDirs } from '../temp/stale-dirs.js';
import { DEFAULT_KAFKA_VERSION, resolveKafkaClasspath } from './classpath.js';
import { javaExecutable } from './prerequisites.js';
const MAIN_CLASS = 'kafka.Kafka';
export async function startKafkaBroker(options = {}) {
    const version = options.version ?? process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
    const classpath = await resolveKafkaClasspath({ version });
    // A broker killed outright (its directory is owned by its pid) leaves a directory to sweep.
    sweepStaleDirs();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bin-packer-kafka-'));
    markOwner(dir);
    let child;
    let watchdog;
    try {
        const [brokerPort, controllerPort] = await freePorts(2);
        const brokers = `127.0.0.1:${brokerPort}`;
        const config = writeConfig(dir, brokerPort, controllerPort, options.logLevel ?? 'WARN');
        const jvm = jvmArgs(dir, options.heapMb ?? 512, classpath);
        const format = spawnSync(javaExecutable(), [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', config, '--ignore-formatted'], {
            encoding: 'utf8',
            timeout: 120_000,
        });
        if (format.status !== 0) {
            throw new Error(`formatting KRaft storage failed (exit ${format.status}): ${(format.stderr || format.stdout || String(format.error)).trim()}`);
        }
        const launch = async () => {
            const logFd = openSync(path.join(dir, 'broker.log'), 'a', 0o600);
            child = spawn(javaExecutable(), [...jvm, MAIN_CLASS, config], {
                detached: options.detached ?? false,
                stdio: ['ignore', logFd, logFd],
            });
            closeSync(logFd);
            const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
            if (!child.pid)
                throw new Error('could not start java for the Kafka broker');
            // A detached broker outlives this process; otherwise this process owns the directory too,
            // so that it is not swept while restart() has the broker down.
            markOwner(dir, options.detached ? [child.pid] : [process.pid, child.pid]);
            if (options.detached)
                child.unref();
            else
                watchdog = startWatchdog(process.pid, child.pid, dir);
            await waitUntilReady(brokers, exited, dir, options.startTimeoutMs ?? 120_000);
            return child.pid;
        };
        let pid = await launch();
        let stopped;
        return {
            brokers,
            get pid() {
                return pid;
            },
            dir,
            version,
            stop: () => (stopped ??= stopProcess(pid, dir).then(() => void watchdog?.kill('SIGKILL'))),
            restart: async ({ downMs = 0 } = {}) => {
                // The watchdog removes the directory when the broker exits: retire it first.
                watchdog?.kill('SIGKILL');
                await stopProcess(pid, null);
                await sleep(downMs);
                pid = await launch();
            },
        };
    }
    catch (error) {
        if (child?.pid)
            await stopProcess(child.pid, dir);
        else
            rmSync(dir, { recursive: true, force: true });
        watchdog?.kill('SIGKILL');
        throw error;
    }
}
/** Stops a broker started earlier (maybe by another process) and removes its directory (unless null). */
export async function stopProcess(pid, dir, graceMs = 30_000) {
    if (isAlive(pid)) {
        signal(pid, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        while (isAlive(pid) && Date.now() < deadline)
            await sleep(100);
        if (isAlive(pid)) {
            signal(pid, 'SIGKILL');
            while (isAlive(pid))
                await sleep(50);
        }
    }
    if (dir !== null)
        rmSync(dir, { recursive: true, force: true });
}
/** True while `pid` runs a Kafka broker, so a recycled pid is never signalled. */
export function isKafkaBrokerProcess(pid) {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(MAIN_CLASS);
    }
    catch {
        return isAlive(pid);
    }
}
function signal(pid, name) {
    try {
        process.kill(pid, name);
    }
    catch {
        /* already gone */
    }
}
function jvmArgs(dir, heapMb, classpath) {
    const tmp = path.join(dir, 'tmp');
    mkdirSync(tmp, { mode: 0o700 });
    return [
        `-Xmx${heapMb}m`,
        `-Xms${Math.min(128, heapMb)}m`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExitOnOutOfMemoryError',
        // No /tmp/hsperfdata_* files, and native libraries (zstd, snappy) unpack inside the run directory.
        '-XX:-UsePerfData',
        `-Djava.io.tmpdir=${tmp}`,
        '-Djava.awt.headless=true',
        `-Dkafka.logs.dir=${path.join(dir, 'logs')}`,
        `-Dlog4j.configuration=file:${path.join(dir, 'log4j.properties')}`,
        `-Dlog4j2.configurationFile=${path.join(dir, 'log4j2.properties')}`,
        '-cp',
        classpath,
    ];
}
function writeConfig(dir, brokerPort, controllerPort, level) {
    const config = path.join(dir, 'server.properties');
    const lines = [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        `log.dirs=${path.join(dir, 'data')}`,
        'num.partitions=1',
        // Topics are created on purpose (tests, --create-topic), as on most production clusters.
        'auto.create.topics.enable=false',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=6',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        // Client quotas measure rates over these windows; short ones make a throttled client slow
        // within seconds, which the backpressure tests rely on.
        'quota.window.num=2',
        'quota.window.size.seconds=1',
        'log.retention.hours=24',
    ];
    writeFileSync(config, lines.join('\n') + '\n', { mode: 0o600 });
    writeFileSync(path.join(dir, 'log4j.properties'), [
        `log4j.rootLogger=${level}, stdout`,
        'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
        'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
        'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    ].join('\n') + '\n', { mode: 0o600 });
    writeFileSync(path.join(dir, 'log4j2.properties'), [
        'status = warn',
        'appender.console.type = Console',
        'appender.console.name = STDOUT',
        'appender.console.layout.type = PatternLayout',
        'appender.console.layout.pattern = [%d] %p %m (%c)%n',
        `rootLogger.level = ${level.toLowerCase()}`,
        'rootLogger.appenderRef.stdout.ref = STDOUT',
    ].join('\n') + '\n', { mode: 0o600 });
    return config;
}
/** Kafka's Uuid text form: 16 random bytes, base64url, never starting with '-'. */
function clusterId() {
    for (;;) {
        const id = randomBytes(16).toString('base64url');
        if (!id.startsWith('-'))
            return id;
    }
}
async function freePorts(count) {
    const servers = await Promise.all(Array.from({ length: count }, () => new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
    })));
    const ports = servers.map((server) => server.address().port);
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    return ports;
}
async function waitUntilReady(brokers, exited, dir, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let exitCode;
    void exited.then((code) => (exitCode = code));
    const kafka = new Kafka({
        clientId: 'bin-packer-kafka-local',
        brokers: [brokers],
        connectionTimeout: 1000,
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
    });
    let lastError;
    while (Date.now() < deadline) {
        if (exitCode !== undefined) {
            throw new Error(`the Kafka broker exited during startup (code ${exitCode}); its log ends:\n${logTail(dir)}`);
        }
        const admin = kafka.admin();
        try {
            await admin.connect();
            const cluster = await admin.describeCluster();
            if (cluster.brokers.length > 0 && cluster.controller !== null)
                return;
        }
        catch (error) {
            lastError = error;
        }
        finally {
            await admin.disconnect().catch(() => undefined);
        }
        await sleep(250);
    }
    throw new Error(`the Kafka broker did not answer metadata on ${brokers} within ${timeoutMs} ms (${String(lastError)}); its log ends:\n${logTail(dir)}`);
}
function logTail(dir) {
    try {
        return readFileSync(path.join(dir, 'broker.log'), 'utf8').split('\n').slice(-30).join('\n');
    }
    catch {
        return '(no log)';
    }
}
function startWatchdog(parentPid, brokerPid, dir) {
    const script = [
        'p=$1; j=$2; d=$3',
        'while kill -0 "$p" 2>/dev/null && kill -0 "$j" 2>/dev/null; do sleep 1; done',
        'if kill -0 "$j" 2>/dev/null; then',
        '  kill -TERM "$j"; i=0',
        '  while kill -0 "$j" 2>/dev/null && [ $i -lt 60 ]; do sleep 0.5; i=$((i+1)); done',
        '  kill -KILL "$j" 2>/dev/null',
        'fi',
        'rm -rf "$d"',
    ].join('\n');
    const watchdog = spawn('sh', ['-c', script, 'kafka-watchdog', String(parentPid), String(brokerPid), dir], {
        detached: true,
        stdio: 'ignore',
    });
    watchdog.unref();
    return watchdog;
}
//# sourceMappingURL=broker.js.map