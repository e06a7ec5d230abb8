import { describe, expect, it } from 'vitest';
import { AppError, errorBody, errorResponse, errorTypeFor, fromUpstreamError, isRecord } from './index';

describe('errorTypeFor', () => {
  it('maps statuses to OpenAI error types', () => {
    expect(errorTypeFor(400)).toBe('invalid_request_error');
    expect(errorTypeFor(401)).toBe('authentication_error');
    expect(errorTypeFor(402)).toBe('insufficient_quota');
    expect(errorTypeFor(403)).toBe('permission_error');
    expect(errorTypeFor(404)).toBe('not_found_error');
    expect(errorTypeFor(408)).toBe('timeout_error');
    expect(errorTypeFor(413)).toBe('request_too_large');
    expect(errorTypeFor(422)).toBe('invalid_request_error');
    expect(errorTypeFor(429)).toBe('rate_limit_error');
    expect(errorTypeFor(500)).toBe('server_error');
    expect(errorTypeFor(502)).toBe('server_error');
    expect(errorTypeFor(503)).toBe('service_unavailable');
    expect(errorTypeFor(524)).toBe('timeout_error');
  });
});

describe('errorBody / errorResponse', () => {
  it('builds the contract shape: error.message and error.type are strings', () => {
    const body = errorBody(new AppError(404, 'No route for GET /x', 'route_not_found'));
    expect(body).toEqual({
      error: { message: 'No route for GET /x', type: 'not_found_error', code: 'route_not_found' },
    });
  });

  it('does not let extra fields override message or type', () => {
    const err = new AppError(
      400,
      'real message',
      'c',
      undefined,
      {},
      { message: 'fake', type: 'fake', param: 'model' },
    );
    expect(errorBody(err).error).toMatchObject({
      message: 'real message',
      type: 'invalid_request_error',
      param: 'model',
    });
  });

  it('answers the status, a JSON content type and the error headers', async () => {
    const err = new AppError(429, 'Too many requests', 'rate_limited', undefined, { 'retry-after': '7' });
    const res = errorResponse(err, { 'x-cloudrouter-attempts': '0' });
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('x-cloudrouter-attempts')).toBe('0');
    const json = (await res.json()) as { error: { message: unknown; type: unknown } };
    expect(json.error.message).toBe('Too many requests');
    expect(json.error.type).toBe('rate_limit_error');
  });
});

describe('fromUpstreamError', () => {
  it('keeps OpenRouter code, message and metadata, with the upstream status', () => {
    const metadata = { provider_name: 'OpenAI', raw: 'upstream said no' };
    const err = fromUpstreamError(403, { error: { code: 403, message: 'Flagged by moderation', metadata } });
    expect(err.status).toBe(403);
    expect(errorBody(err)).toEqual({
      error: { message: 'Flagged by moderation', type: 'permission_error', code: 403, metadata },
    });
  });

  it('keeps an upstream type and param', () => {
    const err = fromUpstreamError(400, {
      error: { message: 'bad', type: 'invalid_request_error', param: 'messages', code: 'x' },
    });
    expect(errorBody(err).error).toEqual({
      message: 'bad',
      type: 'invalid_request_error',
      code: 'x',
      param: 'messages',
    });
  });

  it('still has a message and a type when upstream gave no error body', () => {
    for (const body of [
      null,
      'Bad Gateway',
      { detail: 'x' },
      { error: 'oops' },
      { error: { message: '' } },
      [],
    ]) {
      const err = errorBody(fromUpstreamError(502, body)).error;
      expect(err.message).toBe('Upstream answered 502 without an error message');
      expect(err.type).toBe('server_error');
      expect(err.code).toBe(502);
    }
  });
});

describe('isRecord', () => {
  it('is true only for plain objects', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord('x')).toBe(false);
  });
});
