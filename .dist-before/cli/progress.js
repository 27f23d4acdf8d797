/** Which part of the job is running, from the stages' counters. */
export function phaseOf(progress) {
    if (progress.sort.phase === 'reading')
        return progress.sort.spilledRuns > 0 ? 'sorting' : 'reading';
    if (progress.sort.phase === 'done')
        return 'done';
    return progress.sink.delivered > 0 ? 'delivering' : 'merging';
}
/**
 * A one-line progress display on a TTY stderr, refreshed a few times a second:
 * phase, rows, rate and bytes read of the total.
 */
export function startProgressLine(progress, totalBytes, stream = process.stderr) {
    const started = Date.now();
    let last = { at: started, count: 0 };
    const render = () => {
        const now = Date.now();
        const phase = phaseOf(progress);
        const count = phase === 'reading' || phase === 'sorting' ? progress.source.rows + progress.source.rejected : progress.sink.delivered;
        const rate = ((count - last.count) * 1000) / Math.max(1, now - last.at);
        last = { at: now, count };
        const read = formatBytes(progress.source.bytesRead);
        const of = totalBytes ? ` of ${formatBytes(totalBytes)} (${Math.floor((100 * progress.source.bytesRead) / totalBytes)}%)` : '';
        const runs = progress.sort.spilledRuns > 0 ? `, ${progress.sort.spilledRuns} runs spilled` : '';
        stream.write(`\r\x1b[K${phase.padEnd(10)} ${count.toLocaleString('en-US')} events, ${Math.round(rate).toLocaleString('en-US')}/s, ${read}${of} read${runs}, ${progress.bin.batches} batches`);
    };
    const timer = setInterval(render, 250);
    timer.unref();
    return () => {
        clearInterval(timer);
        stream.write('\r\x1b[K');
    };
}
export function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
//# sourceMappingURL=progress.js.map