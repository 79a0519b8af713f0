import { describe, expect, it } from 'vitest';
import { describeError } from '../../web/src/error-text.js';

describe('error messages shown at login and in frames', () => {
  it('says a wrong password plainly and keeps the status code', () => {
    expect(describeError({ code: 'Neo.ClientError.Security.Unauthorized', message: 'x' }))
      .toEqual({ code: 'Neo.ClientError.Security.Unauthorized',
        message: 'Wrong user name or password.' });
  });

  it('names the address when the server cannot be reached', () => {
    const shown = describeError({ code: 'ServiceUnavailable', message: 'WebSocket closed' },
      { url: 'bolt://db1:7687' });
    expect(shown.message).toContain('bolt://db1:7687');
    expect(shown.message).toContain('WebSocket closed');
  });

  it('says there is no leader for a write that found none', () => {
    expect(describeError({ code: 'Neo.ClientError.Cluster.NotALeader', message: 'm' }).message)
      .toMatch(/^No leader/);
  });

  it('passes any other server error through with its code', () => {
    expect(describeError({ code: 'Neo.ClientError.Statement.SyntaxError', message: 'bad' }))
      .toEqual({ code: 'Neo.ClientError.Statement.SyntaxError', message: 'bad' });
    expect(describeError(new Error('boom'))).toEqual({ code: 'Error', message: 'boom' });
  });
});
