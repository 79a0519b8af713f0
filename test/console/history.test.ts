import { describe, expect, it } from 'vitest';
import { HISTORY_ENTRIES_MAX, QueryHistory } from '../../web/src/history.js';

describe('query history', () => {
  it('steps back through earlier queries and forward to an empty draft', () => {
    const history = new QueryHistory();
    history.add('RETURN 1');
    history.add('RETURN 2');
    expect(history.previous()).toBe('RETURN 2');
    expect(history.previous()).toBe('RETURN 1');
    expect(history.previous()).toBeNull();
    expect(history.next()).toBe('RETURN 2');
    expect(history.next()).toBe('');
    expect(history.next()).toBeNull();
  });

  it('folds a query run twice in a row and ignores blank runs', () => {
    const history = new QueryHistory();
    history.add('RETURN 1');
    history.add(' RETURN 1 ');
    history.add('   ');
    expect(history.list()).toEqual(['RETURN 1']);
  });

  it('keeps only the newest entries', () => {
    const history = new QueryHistory();
    for (let i = 0; i < HISTORY_ENTRIES_MAX + 5; i += 1) history.add(`RETURN ${i}`);
    expect(history.list()).toHaveLength(HISTORY_ENTRIES_MAX);
    expect(history.list()[0]).toBe('RETURN 5');
  });
});
