import * as fc from 'fast-check';
import { SseEvent, SseEventTooLargeError, SseParser, sseMessageEvent } from '../../src/transport/sse';

function parse(chunks: readonly string[], limit = 1 << 20): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e), limit);
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe('SSE parser (upstream streams)', () => {
  test('dispatches message events with their data, event type and id', () => {
    expect(parse(['event: message\nid: 7\ndata: {"a":1}\n\n', 'data: second\n\n'])).toEqual([
      { event: 'message', data: '{"a":1}', id: '7' },
      { event: 'message', data: 'second' },
    ]);
  });

  test('joins data lines, ignores comments, retry and unknown fields, strips one leading space', () => {
    expect(parse([': keep-alive\nretry: 10\nfoo: bar\ndata:  two spaces\ndata:none\ndata\n\n'])).toEqual([
      { event: 'message', data: ' two spaces\nnone\n' },
    ]);
  });

  test('accepts CRLF, CR and LF line endings, also split between chunks', () => {
    expect(parse(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n', '\n'])).toEqual([
      { event: 'message', data: 'a' }, { event: 'message', data: 'b' }, { event: 'message', data: 'c' },
    ]);
  });

  test('skips a leading byte order mark, drops an unterminated event and events without data', () => {
    expect(parse(['\ufeffid: 1\n\n', 'event: ping\ndata: x\n\n', 'data: never finished\n'])).toEqual([{ event: 'ping', data: 'x' }]);
  });

  test('any split of a stream into chunks yields the same events', () => {
    const stream = fc.array(fc.record({
      data: fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !/[\r\n]/.test(s)), { minLength: 1, maxLength: 3 }),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
    }), { maxLength: 8 });
    fc.assert(fc.property(stream, fc.array(fc.nat(), { maxLength: 10 }), (events, cuts) => {
      const text = events.map((e) => `${e.data.map((d) => `data: ${d}`).join(e.eol)}${e.eol}${e.eol}`).join('');
      const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...points, text.length].slice(1).map((end, i, all) => text.slice(i === 0 ? 0 : all[i - 1], end));
      expect(parse(chunks)).toEqual(parse([text]));
      expect(parse([text]).map((e) => e.data)).toEqual(events.map((e) => e.data.join('\n')));
    }), { numRuns: 500 });
  });

  test('fails when one event outgrows the limit, even without a line end', () => {
    expect(() => parse(['data: ', 'x'.repeat(200)], 100)).toThrow(SseEventTooLargeError);
    expect(() => parse(['data: 1234567890\n'.repeat(20)], 100)).toThrow('server-sent event exceeds 100 characters');
    expect(parse(['data: 1234567890\n\n'.repeat(20)], 100)).toHaveLength(20);
  });

  test('the gateway writes each message as one event the parser reads back', () => {
    const json = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { data: 'line\nbreak' } });
    expect(parse([sseMessageEvent(json)])).toEqual([{ event: 'message', data: json }]);
  });
});
