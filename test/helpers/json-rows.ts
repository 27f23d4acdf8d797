import fc from 'fast-check';

// JSON rows for property tests of the row scanners: objects whose members are often visit_id
// and event_time (also escaped, repeated or mistyped), and the same rows corrupted at one place.
const key = fc.constantFrom('visit_id', 'event_time', 'visit\\u005fid', 'page', 'context', 'visit_idx', 'event_tim', '');
export const anyJson = fc.jsonValue({ maxDepth: 3 });
const member = fc.tuple(
  key,
  fc.oneof(
    anyJson,
    fc.constantFrom(
      'v1',
      '',
      'é\n"\\',
      '2024-01-01T00:00:00Z',
      '2024-03-05T10:20:30+02:00',
      '2023-02-29T00:00:00Z',
      '2024-01-01T00:00:00',
      1704067200000,
      -0.5e3,
      12.0,
    ),
  ),
);
const spacing = fc.constantFrom('', ' ', '\t', '\r\n ', '  ');
const render = ([members, a, b]: [[string, unknown][], string, string]) =>
  `${a}{${members.map(([k, v]) => `${b}"${k}"${a}:${b}${JSON.stringify(v)}`).join(`${a},`)}${b}}${a}`;
export const object = fc.tuple(fc.array(member, { maxLength: 6 }), spacing, spacing).map(render);
/** Objects that always hold a visit_id string and an event_time, among other members: the rows a scanner accepts, until corrupted. */
export const eventObject = fc
  .tuple(
    fc.array(member, { maxLength: 4 }),
    fc.string(),
    fc.constantFrom('2024-01-01T00:00:00Z', '2024-03-05T10:20:30+02:00', 1704067200000),
    fc.nat(),
    spacing,
    spacing,
  )
  .map(([members, visitId, eventTime, at, a, b]) => {
    const all: [string, unknown][] = [...members];
    all.splice(at % (all.length + 1), 0, ['visit_id', visitId || 'v'], ['event_time', eventTime]);
    return render([all, a, b]);
  });
const corrupted = (rows: fc.Arbitrary<string>) =>
  fc
    .tuple(
      rows,
      fc.nat(),
      fc.constantFrom('', '"', '\\', '{', '}', '[', ']', ',', ':', '\t', '\x01', '0', '-', '.', 'e', 'x', 'é', '\\u12', 'tru', 'null'),
      fc.boolean(),
    )
    .map(([text, at, piece, replace]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + piece + text.slice(replace ? i + 1 : i);
    });
export const corrupt = fc.oneof(corrupted(object), corrupted(eventObject));
