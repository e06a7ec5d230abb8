import { describe, expect, it } from 'vitest';
import { logQueryString, parseLogQuery } from './log-query';

describe('parseLogQuery', () => {
  it('reads the filters a link from the keys page carries', () => {
    expect(parseLogQuery('#/logs?key=6f3fc1fd&status=5xx')).toEqual({
      status: '5xx',
      client: '',
      model: '',
      key: '6f3fc1fd',
    });
  });

  it('reads no filter as every request, and an unknown status as all', () => {
    expect(parseLogQuery('#/logs')).toEqual({ status: 'all', client: '', model: '', key: '' });
    expect(parseLogQuery('#/logs?status=teapot').status).toBe('all');
  });
});

describe('logQueryString', () => {
  it('leaves empty fields out and encodes names with slashes', () => {
    expect(logQueryString({ status: 'all', client: '', model: '', key: '' })).toBe('');
    expect(logQueryString({ status: 'error', client: 'c1', model: 'openai/gpt-4o', key: '' })).toBe(
      'status=error&client=c1&model=openai%2Fgpt-4o',
    );
    const round = { status: '4xx', client: 'c', model: 'a/b c', key: 'k' };
    expect(parseLogQuery(`#/logs?${logQueryString(round)}`)).toEqual(round);
  });
});
