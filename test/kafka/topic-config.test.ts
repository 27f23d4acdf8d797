import { describe, expect, it } from 'vitest';
import { compactsKeys, topicConfigOf } from '../../src/kafka/topic.js';

describe('topicConfigOf', () => {
  it('reads max.message.bytes and cleanup.policy from DescribeConfigs entries', () => {
    expect(
      topicConfigOf([
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'max.message.bytes', value: '100000' },
      ]),
    ).toEqual({ maxMessageBytes: 100_000, cleanupPolicy: 'compact' });
  });

  it('says nothing it was not told, or told nonsense', () => {
    expect(topicConfigOf()).toEqual({ maxMessageBytes: undefined, cleanupPolicy: undefined });
    expect(topicConfigOf([{ name: 'max.message.bytes', value: null }])).toEqual({ maxMessageBytes: undefined, cleanupPolicy: undefined });
    for (const value of ['', '0', '-5', '1.5', 'lots']) expect(topicConfigOf([{ name: 'max.message.bytes', value }]).maxMessageBytes).toBeUndefined();
  });
});

describe('compactsKeys', () => {
  it('is true for any policy that compacts, alone or with delete', () => {
    expect(['compact', 'compact,delete', 'delete,compact', 'delete, compact'].map(compactsKeys)).toEqual([true, true, true, true]);
    expect(['delete', '', undefined].map(compactsKeys)).toEqual([false, false, false]);
  });
});
