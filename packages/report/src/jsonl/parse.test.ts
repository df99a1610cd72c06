import { InputError } from '@hypertrack/core';
import { parseMetricsLog } from './metrics-log';
import { parseJsonLines } from './parse';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseJsonLines', () => {
  test('one object per non-blank line, with its 1-based line number; CRLF and a missing final newline are fine', () => {
    const rows = parseJsonLines('{"a":1}\r\n\n  \n{"a":2}', 'x.jsonl');
    expect(rows).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { a: 2 } },
    ]);
    expect(parseJsonLines('', 'x.jsonl')).toEqual([]);
  });

  test('a malformed line names the file and line and quotes the line', () => {
    expect(messageOf(() => parseJsonLines('{"iteration":1}\n{"iteration":2, "loss": }\n', 'run/metrics.jsonl'))).toBe(
      'run/metrics.jsonl:2: not valid JSON: "{\\"iteration\\":2, \\"loss\\": }"',
    );
  });

  test('long lines are cut to 40 characters in the message', () => {
    const line = `{"iteration": 1, "loss": 0.25, "lr": 0.001, "phase": "train"`;
    expect(messageOf(() => parseJsonLines(line, 'm.jsonl'))).toBe('m.jsonl:1: not valid JSON: "{\\"iteration\\": 1, \\"loss\\": 0.25, \\"lr\\": 0.0..."');
  });

  test('a line that is JSON but not an object', () => {
    expect(messageOf(() => parseJsonLines('{"a":1}\n[1,2]', 'm.jsonl'))).toBe('m.jsonl:2: expected a JSON object, got an array');
    expect(messageOf(() => parseJsonLines('3', 'm.jsonl'))).toBe('m.jsonl:1: expected a JSON object, got a number (3)');
    expect(messageOf(() => parseJsonLines('null', 'm.jsonl'))).toBe('m.jsonl:1: expected a JSON object, got null');
  });

  test('the error carries file and line', () => {
    try {
      parseJsonLines('\n\nnope', 'f.jsonl');
    } catch (error) {
      expect(error).toMatchObject({ file: 'f.jsonl', line: 3 });
      return;
    }
    throw new Error('expected an InputError');
  });
});

describe('parseMetricsLog', () => {
  test('records keep every key', () => {
    expect(parseMetricsLog('{"iteration":1,"loss":0.7,"lr":0.001,"phase":"train"}\n', 'metrics.jsonl')).toEqual([{ iteration: 1, loss: 0.7, lr: 0.001, phase: 'train' }]);
  });

  test('iteration must be a finite number', () => {
    expect(messageOf(() => parseMetricsLog('{"iteration":1}\n{"loss":0.7}', 'metrics.jsonl'))).toBe("metrics.jsonl:2: column 'iteration': expected a finite number, got nothing");
    expect(messageOf(() => parseMetricsLog('{"iteration":"3"}', 'metrics.jsonl'))).toBe('metrics.jsonl:1: column \'iteration\': expected a finite number, got a string ("3")');
    expect(messageOf(() => parseMetricsLog('{"iteration":null}', 'metrics.jsonl'))).toBe("metrics.jsonl:1: column 'iteration': expected a finite number, got null");
  });

  test('phase must be a string and values must be scalars', () => {
    expect(messageOf(() => parseMetricsLog('{"iteration":1,"phase":2}', 'm.jsonl'))).toBe("m.jsonl:1: column 'phase': expected a string, got a number (2)");
    expect(messageOf(() => parseMetricsLog('{"iteration":1,"loss":[1,2]}', 'm.jsonl'))).toBe("m.jsonl:1: column 'loss': expected a number, string, boolean or null, got an array");
  });
});
