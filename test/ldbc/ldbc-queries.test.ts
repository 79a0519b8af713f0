/**
 * The LDBC SNB Interactive v1 workload on its test data: the CSVs loaded with LOAD CSV into an
 * embedded database, then every query file run unchanged with its first parameter set. Short
 * reads are compared with answers computed from the CSVs by ldbc-oracle.ts; complex reads are
 * checked for their columns and shape, and IC1 and IC13 against the oracle; updates run in
 * stream order and their effects are read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { Value } from '../../src/graph/values.js';
import { openLdbcDatabase } from './ldbc-load.js';
import { LdbcOracle } from './ldbc-oracle.js';
import {
  complexParams, ldbcQuery, updateEvents, type LdbcParams, type UpdateEvent,
} from './ldbc-workload.js';

let db: Database;
let oracle: LdbcOracle;

beforeAll(async () => {
  oracle = new LdbcOracle();
  db = await openLdbcDatabase();
});

afterAll(async () => {
  await db.close();
});

/** Values as plain JS: integers as numbers (every LDBC integer is below 2^53). */
function plain(value: Value): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

async function run(id: string, params: LdbcParams): Promise<{ keys: readonly string[];
  rows: unknown[][] }> {
  const result = await db.run(ldbcQuery(id).text, params);
  return { keys: result.keys, rows: result.records.map((r) => r.map(plain)) };
}

// The persons and messages of the query files' own examples; IS7's message has two replies.
const PERSON_ID = 10995116277794;
const PERSON_WITH_REPLIES = 10995116277795;
const PHOTO_POST_ID = 206158431836;
const REPLIED_COMMENT_ID = 206158432794;

describe('LDBC Interactive short reads match answers computed from the CSVs', () => {
  it('loads every node and relationship of the data set', async () => {
    const nodes = await db.run('MATCH (n) RETURN count(n) AS c');
    const rels = await db.run('MATCH ()-[r]->() RETURN count(r) AS c');
    expect(nodes.records).toEqual([[34_735n]]);
    expect(rels.records).toEqual([[70_842n]]);
  });

  it('IS1 returns a person\'s profile and city', async () => {
    expect((await run('IS1', { personId: PERSON_ID })).rows).toEqual(oracle.is1(PERSON_ID));
  });

  it('IS2 returns a person\'s ten latest messages with their root posts', async () => {
    for (const personId of [PERSON_ID, PERSON_WITH_REPLIES]) {
      expect((await run('IS2', { personId })).rows).toEqual(oracle.is2(personId));
    }
  });

  it('IS3 returns a person\'s friends, latest friendship first', async () => {
    const { rows } = await run('IS3', { personId: PERSON_ID });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(oracle.is3(PERSON_ID));
  });

  it('IS4 and IS5 return a message\'s content and creator', async () => {
    for (const messageId of [PHOTO_POST_ID, REPLIED_COMMENT_ID]) {
      expect((await run('IS4', { messageId })).rows).toEqual(oracle.is4(messageId));
      expect((await run('IS5', { messageId })).rows).toEqual(oracle.is5(messageId));
    }
  });

  it('IS6 returns the forum of a message\'s root post and its moderator', async () => {
    for (const messageId of [PHOTO_POST_ID, REPLIED_COMMENT_ID]) {
      expect((await run('IS6', { messageId })).rows).toEqual(oracle.is6(messageId));
    }
  });

  it('IS7 returns the replies to a message with their authors', async () => {
    // A message replied to by a stranger to its author, and the query files' example.
    const stranger = [...oracle.replyOf.values()].find((m) =>
      oracle.is7(m).some((r) => r[6] === false));
    expect(stranger).toBeDefined();
    for (const messageId of [REPLIED_COMMENT_ID, stranger as number]) {
      const expected = oracle.is7(messageId);
      const { rows } = await run('IS7', { messageId });
      expect(rows.map((r) => r.slice(0, 6))).toEqual(expected.map((r) => r.slice(0, 6)));
      // `CASE r WHEN null THEN false ELSE true END`: under Neo4j 5's simple CASE, which
      // compares with `=`, `null = null` is not true, so the flag is true whether or not the
      // authors know each other (docs/decisions/0029-ldbc-workload.md).
      expect(rows.map((r) => r[6])).toEqual(expected.map(() => true));
    }
  });
});

/** Column names each complex read returns, in order. */
const COLUMNS: Record<string, readonly string[]> = {
  IC1: ['friendId', 'friendLastName', 'distanceFromPerson', 'friendBirthday',
    'friendCreationDate', 'friendGender', 'friendBrowserUsed', 'friendLocationIp',
    'friendEmails', 'friendLanguages', 'friendCityName', 'friendUniversities', 'friendCompanies'],
  IC2: ['personId', 'personFirstName', 'personLastName', 'postOrCommentId',
    'postOrCommentContent', 'postOrCommentCreationDate'],
  IC3: ['friendId', 'friendFirstName', 'friendLastName', 'xCount', 'yCount', 'xyCount'],
  IC4: ['tagName', 'postCount'],
  IC5: ['forumName', 'postCount'],
  IC6: ['tagName', 'postCount'],
  IC7: ['personId', 'personFirstName', 'personLastName', 'likeCreationDate', 'commentOrPostId',
    'commentOrPostContent', 'minutesLatency', 'isNew'],
  IC8: ['personId', 'personFirstName', 'personLastName', 'commentCreationDate', 'commentId',
    'commentContent'],
  IC9: ['personId', 'personFirstName', 'personLastName', 'commentOrPostId',
    'commentOrPostContent', 'commentOrPostCreationDate'],
  IC10: ['personId', 'personFirstName', 'personLastName', 'commonInterestScore', 'personGender',
    'personCityName'],
  IC11: ['personId', 'personFirstName', 'personLastName', 'organizationName',
    'organizationWorkFromYear'],
  IC12: ['personId', 'personFirstName', 'personLastName', 'tagNames', 'replyCount'],
  IC13: ['shortestPathLength'],
  IC14: ['personIdsInPath', 'pathWeight'],
};
const LIMITS: Record<string, number> = { IC1: 20, IC2: 20, IC3: 20, IC4: 10, IC5: 20, IC6: 10,
  IC7: 20, IC8: 20, IC9: 20, IC10: 10, IC11: 10, IC12: 20 };

describe('LDBC Interactive complex reads run with their first parameter set', () => {
  it.each(Object.keys(COLUMNS))('%s returns its columns and at most its limit of rows',
    async (id) => {
      const { keys, rows } = await run(id, complexParams(Number(id.slice(2)))[0] ?? {});
      expect(keys).toEqual(COLUMNS[id]);
      // No friend of IC3's first person qualifies on this data (see the IC3 test below).
      if (id !== 'IC3') expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThanOrEqual(LIMITS[id] ?? Infinity);
    });

  it('IC3 finds the friends who posted in both countries, as the CSVs say', async () => {
    for (const params of complexParams(3)) {
      const { rows } = await run('IC3', params);
      const expected = oracle.ic3(params as Parameters<LdbcOracle['ic3']>[0]);
      expect(rows).toEqual(expected.map(([f, x, y]) => [f, oracle.persons.get(f)?.firstName,
        oracle.persons.get(f)?.lastName, x, y, x + y]));
    }
  });

  it('IC1 finds the persons of that first name within three hops, nearest first', async () => {
    const params = complexParams(1)[0] as { personId: number; firstName: string };
    const { rows } = await run('IC1', params);
    expect(rows.map((r) => [r[0], r[2]])).toEqual(oracle.ic1(params.personId, params.firstName));
  });

  it('IC13 gives the shortest KNOWS path length of every parameter row', async () => {
    for (const params of complexParams(13)) {
      const { person1Id, person2Id } = params as { person1Id: number; person2Id: number };
      const { rows } = await run('IC13', params);
      // Persons that do not exist give no row, which the LDBC driver reports as -1.
      const expected = oracle.persons.has(person1Id) && oracle.persons.has(person2Id)
        ? [[oracle.ic13(person1Id, person2Id)]] : [];
      expect(rows).toEqual(expected);
    }
  });

  it('IC6 joins its three patterns through the selective one, not through a scan', async () => {
    // Matching `(post)-[:HAS_TAG]->(tag:Tag)` first, from every node, took 66 million db hits;
    // through the tag seek and the friend's posts it takes about a hundred thousand.
    const text = ldbcQuery('IC6').text.replace(/^\/\/.*$/m, '');
    const profiled = await db.run(`PROFILE ${text}`, complexParams(6)[0] ?? {});
    const hits = (plan: unknown): number => {
      const p = plan as { dbHits?: number; children?: unknown[] };
      return (p.dbHits ?? 0) + (p.children ?? []).reduce((sum: number, c) => sum + hits(c), 0);
    };
    expect(hits(profiled.summary.plan)).toBeLessThan(1_000_000);
  });

  it('IC14 returns shortest paths between the two persons, heaviest first', async () => {
    const params = complexParams(14)[0] as { person1Id: number; person2Id: number };
    const { rows } = await run('IC14', params);
    const hops = oracle.ic13(params.person1Id, params.person2Id);
    for (const [path, weight] of rows as [number[], number][]) {
      expect(path.length).toBe(hops + 1);
      expect(path[0]).toBe(params.person1Id);
      expect(path[path.length - 1]).toBe(params.person2Id);
      expect(weight).toBeGreaterThanOrEqual(0);
    }
    const weights = rows.map((r) => r[1] as number);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
  });
});

/** A read that shows one update event took effect. */
function effectOf(event: UpdateEvent): { query: string; params: LdbcParams } {
  const p = event.params;
  switch (event.type) {
    case 1: return { query: 'MATCH (p:Person {id: $personId})-[:IS_LOCATED_IN]->(c:City ' +
      '{id: $cityId}) RETURN p.firstName = $personFirstName', params: p };
    case 2: return { query: 'MATCH (:Person {id: $personId})-[l:LIKES]->(:Post {id: $postId}) ' +
      'RETURN l.creationDate = $creationDate', params: p };
    case 3: return { query: 'MATCH (:Person {id: $personId})-[l:LIKES]->(:Comment ' +
      '{id: $commentId}) RETURN l.creationDate = $creationDate', params: p };
    case 4: return { query: 'MATCH (f:Forum {id: $forumId})-[:HAS_MODERATOR]->(:Person ' +
      '{id: $moderatorPersonId}) RETURN f.title = $forumTitle', params: p };
    case 5: return { query: 'MATCH (:Forum {id: $forumId})-[m:HAS_MEMBER]->(:Person ' +
      '{id: $personId}) RETURN m.joinDate = $joinDate', params: p };
    case 6: return { query: 'MATCH (:Forum {id: $forumId})-[:CONTAINER_OF]->(p:Post:Message ' +
      '{id: $postId})-[:HAS_CREATOR]->(:Person {id: $authorPersonId}) ' +
      'RETURN p.creationDate = $creationDate', params: p };
    case 7: return { query: 'MATCH (c:Comment:Message {id: $commentId})-[:REPLY_OF]->(m) ' +
      'RETURN m.id = $replyToPostId + $replyToCommentId + 1', params: p };
    default: return { query: 'MATCH (:Person {id: $person1Id})-[k:KNOWS]-(:Person ' +
      '{id: $person2Id}) RETURN k.creationDate = $creationDate', params: p };
  }
}

describe('LDBC Interactive updates', () => {
  it('IU1-IU8 run in stream order up to the first of each kind, and their effects show',
    async () => {
      const events = updateEvents();
      const lastFirst = Math.max(...[1, 2, 3, 4, 5, 6, 7, 8].map((t) =>
        events.findIndex((e) => e.type === t)));
      const firsts = new Map<number, UpdateEvent>();
      for (const event of events.slice(0, lastFirst + 1)) {
        await db.run(ldbcQuery(`IU${event.type}`).text, event.params);
        if (!firsts.has(event.type)) firsts.set(event.type, event);
      }
      expect([...firsts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      for (const event of firsts.values()) {
        const { query, params } = effectOf(event);
        expect((await db.run(query, params)).records, `IU${event.type}`).toEqual([[true]]);
      }
    });
});
