/**
 * The instant of an event_time, in epoch milliseconds, or a reason it has none.
 * Accepts ISO-8601 with an explicit offset (any offset, or Z), compared as instants:
 * `05:00+02:00` is before `04:00+00:00`; or a number of epoch milliseconds. A local time
 * without offset names no instant, so it is rejected rather than guessed.
 */
export declare function eventInstant(value: unknown): number | string;
/**
 * The instant of the layout nearly every event uses, YYYY-MM-DDThh:mm:ss followed by Z or
 * ±hh:mm, read digit by digit; NaN for anything else, valid or not, which the full parser then
 * reads and explains. The regular expression cost ~250 ms per million events.
 */
export declare function commonIsoInstant(s: string): number;
