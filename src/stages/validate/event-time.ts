// YYYY-MM-DD[T ]hh:mm[:ss[.fraction]] followed by Z or ±hh:mm / ±hhmm / ±hh.
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The instant of an event_time, in epoch milliseconds, or a reason it has none.
 * Accepts ISO-8601 with an explicit offset (any offset, or Z), compared as instants:
 * `05:00+02:00` is before `04:00+00:00`; or a number of epoch milliseconds. A local time
 * without offset names no instant, so it is rejected rather than guessed.
 */
export function eventInstant(value: unknown): number | string {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : 'event_time is not a finite number';
  }
  if (typeof value !== 'string') {
    return value === undefined ? 'missing event_time' : `event_time must be an ISO-8601 string or epoch milliseconds, got ${value === null ? 'null' : typeof value}`;
  }
  const m = ISO_WITH_OFFSET.exec(value);
  if (!m) {
    return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
      ? `event_time has no UTC offset: "${value}"`
      : `event_time is not an ISO-8601 timestamp: "${truncate(value)}"`;
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !isLeapYear(year))) {
    return `event_time has no such date: "${value}"`;
  }
  if (hour > 23 || minute > 59 || second > 59) return `event_time has no such time of day: "${value}"`;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = m[11] === undefined ? 0 : Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return `event_time has an invalid offset: "${value}"`;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  return Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000 + fraction;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
