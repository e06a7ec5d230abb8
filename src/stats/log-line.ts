import type { LogEntry } from './log-entry';

/** Characters a JSON string holds as they are, in ASCII. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** Room for every key hint of a large pool (a hint is about 40 bytes here). */
const QUOTED_MAX = 16_384;
/** Longest string whose quoted form is kept. */
const QUOTED_CHARS = 256;
const quoted = new Map<string, string>();

/**
 * A string as JSON, in ASCII only (`\u2026` for `…`): a log stream made of
 * one-byte strings is several times cheaper to encode than one with a single
 * key hint in it. Strings that need escaping (hints, names) repeat: they are
 * escaped once (quoting a plain one is cheaper than finding it in a Map).
 */
export function asciiJsonString(value: string | null): string {
  if (value === null) return 'null';
  if (PLAIN.test(value)) return `"${value}"`;
  let json = quoted.get(value);
  if (json === undefined) {
    const escaped = JSON.stringify(value);
    const parts: string[] = [];
    // One-byte pieces joined: a flat one-byte string (`+=` would leave a tree of pieces,
    // walked again at every line that uses it).
    for (let i = 0; i < escaped.length; i++) {
      const code = escaped.charCodeAt(i);
      parts.push(code < 0x7f ? escaped[i] : `\\u${code.toString(16).padStart(4, '0')}`);
    }
    json = parts.join('');
    if (value.length <= QUOTED_CHARS) {
      if (quoted.size >= QUOTED_MAX) quoted.clear();
      quoted.set(value, json);
    }
  }
  return json;
}

const str = asciiJsonString;
/** A number as JSON: `null` for what JSON has no number for. */
const num = (n: number | null) => (n !== null && Number.isFinite(n) ? n : null);

/**
 * A log entry as `JSON.stringify` would write it, but in ASCII and without
 * walking the object generically: the request log is the costliest line on
 * the hot path. `head` (members, each followed by a comma) goes right after
 * `time`: a logger's `level` and `msg`, so the line is made once, whole.
 */
export function logEntryJson(e: LogEntry, head = ''): string {
  let tries = '';
  for (const t of e.tries) {
    tries += `${tries ? ',' : ''}{"key_id":${str(t.key_id)},"key_hint":${str(t.key_hint)},"status":${num(t.status)},"error_class":${str(t.error_class)},"latency_ms":${num(t.latency_ms)}}`;
  }
  return `{"time":${str(e.time)},${head}"route":${str(e.route)},"client_id":${str(e.client_id)},"client_name":${str(e.client_name)},"model":${str(e.model)},"resolved_model":${str(e.resolved_model)},"key_id":${str(e.key_id)},"key_hint":${str(e.key_hint)},"status":${num(e.status)},"attempts":${num(e.attempts)},"tries":[${tries}],"latency_ms":${num(e.latency_ms)},"stream":${e.stream},"prompt_tokens":${num(e.prompt_tokens)},"completion_tokens":${num(e.completion_tokens)},"cost":${num(e.cost)},"error_class":${str(e.error_class)}}`;
}
