/**
 * The LDBC Interactive v1 workload as the reference driver feeds it: the query files read
 * unchanged, IC parameters from substitution_parameters/ (IC3/IC4 `endDate` computed from
 * `durationDays`), IU parameters from the update streams, typed as queries/README.md says.
 * Dates stay epoch-millisecond integers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LDBC_DIR } from './ldbc-load.js';

export type LdbcParam = number | string | readonly LdbcParam[];
export type LdbcParams = Record<string, LdbcParam>;

export interface LdbcQuery {
  /** IS1 .. IS7, IC1 .. IC14, IU1 .. IU8. */
  readonly id: string;
  readonly text: string;
}

const DAY_MS = 86_400_000;
const QUERY_FILE = { IS: 'interactive-short', IC: 'interactive-complex',
  IU: 'interactive-update' } as const;

export function ldbcQuery(id: string): LdbcQuery {
  const match = /^(IS|IC|IU)(\d+)$/.exec(id);
  if (match === null) throw new Error(`not an LDBC query id: ${id}`);
  const kind = match[1] as keyof typeof QUERY_FILE;
  const file = join(LDBC_DIR, 'queries', `${QUERY_FILE[kind]}-${match[2]}.cypher`);
  return { id, text: readFileSync(file, 'utf8') };
}

export const SHORT_IDS = ['IS1', 'IS2', 'IS3', 'IS4', 'IS5', 'IS6', 'IS7'] as const;
export const COMPLEX_IDS = Array.from({ length: 14 }, (_, i) => `IC${i + 1}`);

const STRING_COLUMNS = new Set(['firstName', 'countryXName', 'countryYName', 'tagName',
  'countryName', 'tagClassName']);

/** Rows of interactive_<n>_param.txt as the queries' parameter maps (header row skipped). */
export function complexParams(n: number): LdbcParams[] {
  const file = join(LDBC_DIR, 'substitution_parameters', `interactive_${n}_param.txt`);
  const [header, ...rows] = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  const names = (header ?? '').split('|');
  return rows.map((line) => {
    const params: Record<string, LdbcParam> = {};
    line.split('|').forEach((field, i) => {
      const name = names[i] ?? `column${i}`;
      params[name] = STRING_COLUMNS.has(name) ? field : Number(field);
    });
    if (typeof params['durationDays'] === 'number' && typeof params['startDate'] === 'number') {
      params['endDate'] = params['startDate'] + params['durationDays'] * DAY_MS;
      delete params['durationDays'];
    }
    return params;
  });
}

type FieldKind = 'int' | 'str' | 'ints' | 'strs' | 'pairs';

/** Parameter names and kinds of each update event type, from column 3 on. */
const UPDATE_FIELDS: Record<number, readonly (readonly [string, FieldKind])[]> = {
  1: [['personId', 'int'], ['personFirstName', 'str'], ['personLastName', 'str'],
    ['gender', 'str'], ['birthday', 'int'], ['creationDate', 'int'], ['locationIP', 'str'],
    ['browserUsed', 'str'], ['cityId', 'int'], ['languages', 'strs'], ['emails', 'strs'],
    ['tagIds', 'ints'], ['studyAt', 'pairs'], ['workAt', 'pairs']],
  2: [['personId', 'int'], ['postId', 'int'], ['creationDate', 'int']],
  3: [['personId', 'int'], ['commentId', 'int'], ['creationDate', 'int']],
  4: [['forumId', 'int'], ['forumTitle', 'str'], ['creationDate', 'int'],
    ['moderatorPersonId', 'int'], ['tagIds', 'ints']],
  5: [['forumId', 'int'], ['personId', 'int'], ['joinDate', 'int']],
  6: [['postId', 'int'], ['imageFile', 'str'], ['creationDate', 'int'], ['locationIP', 'str'],
    ['browserUsed', 'str'], ['language', 'str'], ['content', 'str'], ['length', 'int'],
    ['authorPersonId', 'int'], ['forumId', 'int'], ['countryId', 'int'], ['tagIds', 'ints']],
  7: [['commentId', 'int'], ['creationDate', 'int'], ['locationIP', 'str'],
    ['browserUsed', 'str'], ['content', 'str'], ['length', 'int'], ['authorPersonId', 'int'],
    ['countryId', 'int'], ['replyToPostId', 'int'], ['replyToCommentId', 'int'],
    ['tagIds', 'ints']],
  8: [['person1Id', 'int'], ['person2Id', 'int'], ['creationDate', 'int']],
};

function field(text: string, kind: FieldKind): LdbcParam {
  const items = text === '' ? [] : text.split(';');
  switch (kind) {
    case 'int': return Number(text);
    case 'str': return text;
    case 'ints': return items.map(Number);
    case 'strs': return items;
    case 'pairs': return items.map((pair) => pair.split(',').map(Number));
  }
}

export interface UpdateEvent {
  readonly scheduledMs: number;
  /** The IU number, 1..8. */
  readonly type: number;
  readonly params: LdbcParams;
}

/** Both update streams, merged in scheduled-time order (the order the driver issues them). */
export function updateEvents(): UpdateEvent[] {
  const events: UpdateEvent[] = [];
  for (const stream of ['person', 'forum']) {
    const file = join(LDBC_DIR, 'update_streams', `updateStream_0_0_${stream}.csv`);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line === '') continue;
      const columns = line.split('|');
      const type = Number(columns[2]);
      const fields = UPDATE_FIELDS[type];
      if (fields === undefined) throw new Error(`unknown update event type in ${line}`);
      const params: Record<string, LdbcParam> = {};
      fields.forEach(([name, kind], i) => { params[name] = field(columns[i + 3] ?? '', kind); });
      events.push({ scheduledMs: Number(columns[0]), type, params });
    }
  }
  return events.sort((a, b) => a.scheduledMs - b.scheduledMs);
}
