import { describe, expect, it } from 'vitest';
import { mavenError } from '../../src/kafka-local/classpath.js';

describe('mavenError', () => {
  it("keeps the first error line of Maven's output, without colours, prefix or help link", () => {
    const output = [
      '\u001b[0m\u001b[0m[ERROR] Failed to execute goal on project kafka-local: Could not resolve dependencies: org.apache.kafka:kafka_2.13:jar:0.0.1 was not found -> [Help 1]',
      '[ERROR] ',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
      '\u001b[0m\u001b[0m',
    ].join('\n');
    expect(mavenError(output)).toBe(
      'Failed to execute goal on project kafka-local: Could not resolve dependencies: org.apache.kafka:kafka_2.13:jar:0.0.1 was not found',
    );
  });

  it('falls back to the end of the output when there is no error line', () => {
    expect(mavenError('\u001b[1mconnection reset\u001b[0m\n')).toBe('connection reset');
  });
});
