import type { DeadLetter, DeadLetterSink } from './dead-letter.js';
export declare class TooManyInvalidRowsError extends Error {
    name: string;
}
/** Passes dead letters on, and fails the run as soon as there are more than `max`. */
export declare class DeadLetterLimit implements DeadLetterSink {
    private readonly inner;
    private readonly max;
    constructor(inner: DeadLetterSink, max: number);
    write(letter: DeadLetter): void;
    writeSerialized(json: string): void;
    flush(): Promise<void>;
    private check;
    get count(): number;
}
export declare function describePosition(letter: DeadLetter): string;
