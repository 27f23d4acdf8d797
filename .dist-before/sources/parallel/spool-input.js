// Copying an input that cannot be read by offset (stdin, any Readable) into the run directory,
// so that the sort workers can split it like a file.
import { fstatSync, read, ReadStream, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { promisify } from 'node:util';
const SPOOL_BLOCK = 1024 * 1024;
const readAsync = promisify(read);
/** Copies a Readable to `append`; an abort destroys it, so a silent source cannot hold the run. */
export async function spoolStream(source, append, signal) {
    const abort = () => source.destroy();
    signal.addEventListener('abort', abort, { once: true });
    try {
        for await (const chunk of source) {
            const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            append(bytes, bytes.length);
        }
    }
    finally {
        signal.removeEventListener('abort', abort);
    }
    signal.throwIfAborted();
}
/**
 * Copies stdin to `append`, through one reused block where stdin allows: as a stream, each 64 KiB
 * chunk is a new Buffer, and those not yet collected when the workers start raise peak RSS
 * (bench/README.md). A pipe is read with a socket that an abort can destroy, so Ctrl-C ends the
 * run even while the writer is silent.
 */
export async function spoolStdin(append, signal) {
    const stdin = fstatSync(0);
    if (stdin.isFile()) {
        const block = Buffer.allocUnsafe(SPOOL_BLOCK);
        for (;;) {
            signal.throwIfAborted();
            const { bytesRead } = await readAsync(0, block, 0, block.length, null);
            if (bytesRead === 0)
                return;
            append(block, bytesRead);
        }
    }
    if (stdin.isFIFO() || stdin.isSocket())
        return readPipe(append, signal);
    // A terminal or another device: an abort destroys the stream, so a silent source cannot hold the run.
    return spoolStream(process.stdin, append, signal);
}
/** Reads the pipe on fd 0 to its end into one reused block, handing each read to `append`. */
function readPipe(append, signal) {
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
        // `onread` is a documented option of the Socket constructor that @types/node lists only for connect().
        const socket = new Socket({
            fd: 0,
            readable: true,
            writable: false,
            onread: {
                buffer: Buffer.allocUnsafe(SPOOL_BLOCK),
                callback: (length, block) => {
                    try {
                        append(block, length);
                    }
                    catch (error) {
                        socket.destroy(error);
                    }
                    return true;
                },
            },
        });
        const abort = () => socket.destroy(signal.reason);
        signal.addEventListener('abort', abort, { once: true });
        const settle = (error) => {
            signal.removeEventListener('abort', abort);
            if (error)
                reject(error);
            else
                resolve();
        };
        socket.once('end', () => settle());
        socket.once('error', settle);
    });
}
/**
 * The path of a file stream that has read nothing yet and covers its whole regular file: the
 * workers can read that file by offset, with no copy.
 */
export function wholeFileBehind(source) {
    if (!(source instanceof ReadStream) || typeof source.path !== 'string' || source.bytesRead > 0 || source.readableDidRead)
        return undefined;
    const range = source;
    if ((range.start ?? 0) !== 0 || (range.end !== undefined && range.end !== Infinity))
        return undefined;
    try {
        return statSync(source.path).isFile() ? source.path : undefined;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=spool-input.js.map