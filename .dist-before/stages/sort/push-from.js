/**
 * Pushes values from a synchronous iterator until the stream's buffer is full (the next _read
 * resumes) or the iterator ends (then ends the stream). A throw destroys the stream.
 */
export function pushFrom(stream, iterator) {
    try {
        for (;;) {
            const next = iterator.next();
            if (next.done) {
                stream.push(null);
                return;
            }
            if (!stream.push(next.value))
                return;
        }
    }
    catch (error) {
        stream.destroy(error);
    }
}
//# sourceMappingURL=push-from.js.map