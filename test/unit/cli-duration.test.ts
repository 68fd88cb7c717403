import { describe, expect, it } from 'vitest';
import { DurationSyntaxError, formatDuration, parseDuration } from '../../client/cli/duration';

describe('CLI durations', () => {
  it.each([
    ['90', 90],
    ['0', 0],
    ['90s', 90],
    ['30m', 1800],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1h30m15s', 5415],
    ['1h15s', 3615],
    ['1d', 86_400],
    ['90m', 5400],
    [' 2H ', 7200],
  ])('reads %j as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', 'abc', '1.5h', '-5', '30m1h', '1h1h', 'h', '5 m', '10x', '1e3', '99999999999999999999'])(
    'rejects %j',
    (text) => {
      expect(() => parseDuration(text)).toThrow(DurationSyntaxError);
    },
  );

  it('says what it accepts', () => {
    expect(() => parseDuration('soon')).toThrow(/"soon" is not a duration: .*1h30m/);
  });

  it('says a negative duration must be positive', () => {
    expect(() => parseDuration('-5')).toThrow(/^must be positive, got "-5": .*1h30m/);
  });

  it.each([
    [0, '0s'],
    [45, '45s'],
    [5400, '1h30m'],
    [90_061, '1d1h1m1s'],
  ])('formats %i as %j, which reads back', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
    expect(parseDuration(text)).toBe(seconds);
  });
});
