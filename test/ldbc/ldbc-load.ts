/**
 * Loads the LDBC SNB Interactive v1 test data (shared/datasets/ldbc-snb-interactive-v1-test)
 * into an embedded Database with nothing but Cypher: the schema of the reference
 * implementation's indices.cypher, then one LOAD CSV statement per CSV file, mapping columns to
 * the labels, types and properties that the reference loader (neo4j-admin import with
 * headers.txt) produces. Used by test/ldbc/ and bench/ldbc.ts.
 */
import { resolve } from 'node:path';
import { Database } from '../../src/db/database.js';
import { SHARED_DIR } from '../shared-dir.js';

export const LDBC_DIR = resolve(SHARED_DIR, 'datasets/ldbc-snb-interactive-v1-test');

/**
 * The reference implementation's indices.cypher. Place.id and TagClass.id are extra: the
 * relationship files name places and tag classes by id, and without them each of those rows
 * would scan every Place. No LDBC query looks them up, so they change no plan of the workload.
 */
const LDBC_SCHEMA: readonly string[] = [
  ...['City', 'Comment', 'Country', 'Forum', 'Message', 'Organisation', 'Person', 'Post', 'Tag']
    .map((label) => `CREATE CONSTRAINT FOR (n:${label}) REQUIRE n.id IS UNIQUE`),
  ...[['Country', 'name'], ['Message', 'creationDate'], ['Person', 'firstName'],
    ['Post', 'creationDate'], ['Tag', 'name'], ['TagClass', 'name'], ['Place', 'id'],
    ['TagClass', 'id']].map(([label, key]) => `CREATE INDEX FOR (n:${label}) ON (n.${key})`),
];

/** `LOAD CSV WITH HEADERS` over one `|`-separated file, rows as maps named `r`. */
const withHeaders = (file: string): string =>
  `LOAD CSV WITH HEADERS FROM 'file:///${file}_0_0.csv' AS r FIELDTERMINATOR '|' `;

/** Each node file, with the `type` column of places and organisations made a label. */
function nodeStatements(): string[] {
  const named = '{id: toInteger(r.id), name: r.name, url: r.url}';
  const typed = (file: string, base: string, types: readonly string[]): string[] =>
    types.map((t) => `${withHeaders(file)}WITH r WHERE r.type = '${t.toLowerCase()}' ` +
      `CREATE (:${base}:${t} ${named})`);
  return [
    ...typed('static/place', 'Place', ['City', 'Country', 'Continent']),
    ...typed('static/organisation', 'Organisation', ['University', 'Company']),
    `${withHeaders('static/tagclass')}CREATE (:TagClass ${named})`,
    `${withHeaders('static/tag')}CREATE (:Tag ${named})`,
    `${withHeaders('dynamic/person')}CREATE (:Person {id: toInteger(r.id), ` +
      'firstName: r.firstName, lastName: r.lastName, gender: r.gender, ' +
      'birthday: toInteger(r.birthday), creationDate: toInteger(r.creationDate), ' +
      'locationIP: r.locationIP, browserUsed: r.browserUsed, ' +
      "speaks: split(r.language, ';'), email: split(r.email, ';')})",
    `${withHeaders('dynamic/forum')}CREATE (:Forum {id: toInteger(r.id), title: r.title, ` +
      'creationDate: toInteger(r.creationDate)})',
    `${withHeaders('dynamic/post')}CREATE (:Post:Message {id: toInteger(r.id), ` +
      'imageFile: r.imageFile, creationDate: toInteger(r.creationDate), ' +
      'locationIP: r.locationIP, browserUsed: r.browserUsed, language: r.language, ' +
      'content: r.content, length: toInteger(r.length)})',
    `${withHeaders('dynamic/comment')}CREATE (:Comment:Message {id: toInteger(r.id), ` +
      'creationDate: toInteger(r.creationDate), locationIP: r.locationIP, ' +
      'browserUsed: r.browserUsed, content: r.content, length: toInteger(r.length)})',
  ];
}

interface RelFile {
  readonly file: string;
  readonly type: string;
  readonly from: string;
  readonly to: string;
  /** The third column's property, and whether it holds an integer. */
  readonly property?: string;
}

const REL_FILES: readonly RelFile[] = [
  { file: 'static/place_isPartOf_place', type: 'IS_PART_OF', from: 'Place', to: 'Place' },
  { file: 'static/tagclass_isSubclassOf_tagclass', type: 'IS_SUBCLASS_OF', from: 'TagClass',
    to: 'TagClass' },
  { file: 'static/organisation_isLocatedIn_place', type: 'IS_LOCATED_IN', from: 'Organisation',
    to: 'Place' },
  { file: 'static/tag_hasType_tagclass', type: 'HAS_TYPE', from: 'Tag', to: 'TagClass' },
  { file: 'dynamic/comment_hasCreator_person', type: 'HAS_CREATOR', from: 'Comment',
    to: 'Person' },
  { file: 'dynamic/post_hasCreator_person', type: 'HAS_CREATOR', from: 'Post', to: 'Person' },
  { file: 'dynamic/comment_isLocatedIn_place', type: 'IS_LOCATED_IN', from: 'Comment',
    to: 'Place' },
  { file: 'dynamic/post_isLocatedIn_place', type: 'IS_LOCATED_IN', from: 'Post', to: 'Place' },
  { file: 'dynamic/person_isLocatedIn_place', type: 'IS_LOCATED_IN', from: 'Person',
    to: 'Place' },
  { file: 'dynamic/comment_replyOf_comment', type: 'REPLY_OF', from: 'Comment', to: 'Comment' },
  { file: 'dynamic/comment_replyOf_post', type: 'REPLY_OF', from: 'Comment', to: 'Post' },
  { file: 'dynamic/forum_containerOf_post', type: 'CONTAINER_OF', from: 'Forum', to: 'Post' },
  { file: 'dynamic/forum_hasMember_person', type: 'HAS_MEMBER', from: 'Forum', to: 'Person',
    property: 'joinDate' },
  { file: 'dynamic/forum_hasModerator_person', type: 'HAS_MODERATOR', from: 'Forum',
    to: 'Person' },
  { file: 'dynamic/forum_hasTag_tag', type: 'HAS_TAG', from: 'Forum', to: 'Tag' },
  { file: 'dynamic/comment_hasTag_tag', type: 'HAS_TAG', from: 'Comment', to: 'Tag' },
  { file: 'dynamic/post_hasTag_tag', type: 'HAS_TAG', from: 'Post', to: 'Tag' },
  { file: 'dynamic/person_hasInterest_tag', type: 'HAS_INTEREST', from: 'Person', to: 'Tag' },
  { file: 'dynamic/person_knows_person', type: 'KNOWS', from: 'Person', to: 'Person',
    property: 'creationDate' },
  { file: 'dynamic/person_likes_comment', type: 'LIKES', from: 'Person', to: 'Comment',
    property: 'creationDate' },
  { file: 'dynamic/person_likes_post', type: 'LIKES', from: 'Person', to: 'Post',
    property: 'creationDate' },
  { file: 'dynamic/person_studyAt_organisation', type: 'STUDY_AT', from: 'Person',
    to: 'Organisation', property: 'classYear' },
  { file: 'dynamic/person_workAt_organisation', type: 'WORK_AT', from: 'Person',
    to: 'Organisation', property: 'workFrom' },
];

/**
 * Relationship files repeat column names in their header (`Person.id|Person.id|...`), so they
 * are read as lists by position, skipping the header row.
 */
function relStatement(rel: RelFile): string {
  const props = rel.property === undefined ? '' : ` {${rel.property}: toInteger(r[2])}`;
  return `LOAD CSV FROM 'file:///${rel.file}_0_0.csv' AS r FIELDTERMINATOR '|' ` +
    'WITH r SKIP 1 WITH r, toInteger(r[0]) AS fromId, toInteger(r[1]) AS toId ' +
    `MATCH (a:${rel.from} {id: fromId}), (b:${rel.to} {id: toId}) ` +
    `CREATE (a)-[:${rel.type}${props}]->(b)`;
}

const LDBC_LOAD: readonly string[] = [...nodeStatements(), ...REL_FILES.map(relStatement)];

/** An in-memory database holding the LDBC test data, its schema created first. */
export async function openLdbcDatabase(): Promise<Database> {
  const db = await Database.open(null, { importDir: LDBC_DIR });
  for (const statement of [...LDBC_SCHEMA, ...LDBC_LOAD]) await db.run(statement);
  return db;
}
