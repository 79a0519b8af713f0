/**
 * Answers to LDBC queries computed straight from the CSV files, in plain TypeScript with no
 * Cypher and nothing of the engine: the independent side of test/ldbc/ldbc-queries.test.ts.
 * Each answer follows the query's specification (the LDBC Interactive v1 short reads, IC1's
 * friend distances, IC13's shortest path length), not the engine's plan.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LDBC_DIR } from './ldbc-load.js';

type Fields = readonly string[];

/** Data rows of one `|`-separated CSV (header row dropped), fields as text. */
function rows(file: string): Fields[] {
  const text = readFileSync(join(LDBC_DIR, `${file}_0_0.csv`), 'utf8');
  return text.split('\n').slice(1).filter((l) => l !== '').map((l) => l.split('|'));
}

function pairs(file: string): [number, number][] {
  return rows(file).map((r) => [Number(r[0]), Number(r[1])]);
}

export interface PersonRow {
  id: number; firstName: string; lastName: string; gender: string; birthday: number;
  creationDate: number; locationIP: string; browserUsed: string;
}

export interface MessageRow {
  id: number; creationDate: number; content: string | null; imageFile: string | null;
  isPost: boolean;
}

/** The CSV data, indexed the ways the short reads need. */
export class LdbcOracle {
  readonly persons = new Map<number, PersonRow>();
  readonly messages = new Map<number, MessageRow>();
  readonly personCity = new Map<number, number>();
  readonly creator = new Map<number, number>();
  /** Comment id to the message it replies to. */
  readonly replyOf = new Map<number, number>();
  readonly forumOfPost = new Map<number, number>();
  readonly forums = new Map<number, { title: string; moderator: number }>();
  /** Each friendship once per direction, with its creation date. */
  readonly knows = new Map<number, Map<number, number>>();
  readonly placeName = new Map<number, string>();
  readonly partOf = new Map<number, number>();
  /** Message id to the country it was posted in. */
  readonly messageCountry = new Map<number, number>();

  constructor() {
    for (const r of rows('dynamic/person')) {
      this.persons.set(Number(r[0]), { id: Number(r[0]), firstName: r[1] ?? '',
        lastName: r[2] ?? '', gender: r[3] ?? '', birthday: Number(r[4]),
        creationDate: Number(r[5]), locationIP: r[6] ?? '', browserUsed: r[7] ?? '' });
    }
    const text = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);
    for (const r of rows('dynamic/post')) {
      this.messages.set(Number(r[0]), { id: Number(r[0]), creationDate: Number(r[2]),
        content: text(r[6]), imageFile: text(r[1]), isPost: true });
    }
    for (const r of rows('dynamic/comment')) {
      this.messages.set(Number(r[0]), { id: Number(r[0]), creationDate: Number(r[1]),
        content: text(r[4]), imageFile: null, isPost: false });
    }
    for (const [p, c] of pairs('dynamic/person_isLocatedIn_place')) this.personCity.set(p, c);
    for (const file of ['dynamic/post_hasCreator_person', 'dynamic/comment_hasCreator_person']) {
      for (const [m, p] of pairs(file)) this.creator.set(m, p);
    }
    for (const file of ['dynamic/comment_replyOf_post', 'dynamic/comment_replyOf_comment']) {
      for (const [c, m] of pairs(file)) this.replyOf.set(c, m);
    }
    for (const [f, p] of pairs('dynamic/forum_containerOf_post')) this.forumOfPost.set(p, f);
    const moderators = new Map(pairs('dynamic/forum_hasModerator_person'));
    for (const r of rows('dynamic/forum')) {
      this.forums.set(Number(r[0]), { title: r[1] ?? '',
        moderator: moderators.get(Number(r[0])) ?? -1 });
    }
    for (const r of rows('static/place')) this.placeName.set(Number(r[0]), r[1] ?? '');
    for (const [city, country] of pairs('static/place_isPartOf_place')) {
      this.partOf.set(city, country);
    }
    for (const file of ['dynamic/post_isLocatedIn_place', 'dynamic/comment_isLocatedIn_place']) {
      for (const [m, c] of pairs(file)) this.messageCountry.set(m, c);
    }
    for (const r of rows('dynamic/person_knows_person')) {
      this.addKnows(Number(r[0]), Number(r[1]), Number(r[2]));
      this.addKnows(Number(r[1]), Number(r[0]), Number(r[2]));
    }
  }

  private addKnows(a: number, b: number, date: number): void {
    let friends = this.knows.get(a);
    if (friends === undefined) this.knows.set(a, friends = new Map());
    friends.set(b, date);
  }

  private person(id: number): PersonRow {
    const p = this.persons.get(id);
    if (p === undefined) throw new Error(`no person ${id} in the CSVs`);
    return p;
  }

  /** The post at the root of a message's reply chain (the message itself if a post). */
  rootPost(id: number): number {
    let at = id;
    for (let hops = 0; !(this.messages.get(at)?.isPost ?? true); hops++) {
      if (hops > this.messages.size) throw new Error(`reply cycle at ${id}`);
      at = this.replyOf.get(at) ?? -1;
    }
    return at;
  }

  /** Persons reached from `from` over KNOWS (both ways), by hop count; `from` at 0. */
  distances(from: number): Map<number, number> {
    const seen = new Map([[from, 0]]);
    let frontier = [from];
    for (let hops = 1; frontier.length > 0; hops++) {
      const next: number[] = [];
      for (const at of frontier) {
        for (const friend of this.knows.get(at)?.keys() ?? []) {
          if (seen.has(friend)) continue;
          seen.set(friend, hops);
          next.push(friend);
        }
      }
      frontier = next;
    }
    return seen;
  }

  is1(personId: number): unknown[][] {
    const p = this.person(personId);
    return [[p.firstName, p.lastName, p.birthday, p.locationIP, p.browserUsed,
      this.personCity.get(personId), p.gender, p.creationDate]];
  }

  is2(personId: number): unknown[][] {
    const authored = [...this.creator].filter(([, p]) => p === personId)
      .map(([m]) => this.messages.get(m) as MessageRow)
      .sort((a, b) => b.creationDate - a.creationDate || a.id - b.id).slice(0, 10);
    return authored.map((m) => {
      const post = this.rootPost(m.id);
      const author = this.person(this.creator.get(post) ?? -1);
      return [m.id, m.imageFile ?? m.content, m.creationDate, post, author.id,
        author.firstName, author.lastName];
    });
  }

  is3(personId: number): unknown[][] {
    return [...this.knows.get(personId) ?? []]
      .sort(([a, da], [b, db]) => db - da || a - b)
      .map(([id, date]) => {
        const f = this.person(id);
        return [f.id, f.firstName, f.lastName, date];
      });
  }

  is4(messageId: number): unknown[][] {
    const m = this.messages.get(messageId);
    return m === undefined ? [] : [[m.creationDate, m.content ?? m.imageFile]];
  }

  is5(messageId: number): unknown[][] {
    const p = this.person(this.creator.get(messageId) ?? -1);
    return [[p.id, p.firstName, p.lastName]];
  }

  is6(messageId: number): unknown[][] {
    const forumId = this.forumOfPost.get(this.rootPost(messageId)) ?? -1;
    const forum = this.forums.get(forumId);
    if (forum === undefined) return [];
    const mod = this.person(forum.moderator);
    return [[forumId, forum.title, mod.id, mod.firstName, mod.lastName]];
  }

  is7(messageId: number): unknown[][] {
    const author = this.creator.get(messageId) ?? -1;
    const replies = [...this.replyOf].filter(([, parent]) => parent === messageId)
      .map(([c]) => this.messages.get(c) as MessageRow);
    return replies.map((c) => {
      const p = this.person(this.creator.get(c.id) ?? -1);
      return [c.id, c.content, c.creationDate, p.id, p.firstName, p.lastName,
        this.knows.get(author)?.has(p.id) ?? false];
    }).sort((a, b) => (b[2] as number) - (a[2] as number) || (a[3] as number) - (b[3] as number));
  }

  /** IC1: [friendId, distance] of persons named `firstName` within 3 hops, as IC1 orders them. */
  ic1(personId: number, firstName: string): [number, number][] {
    const found: [number, number][] = [];
    for (const [id, hops] of this.distances(personId)) {
      if (hops >= 1 && hops <= 3 && this.person(id).firstName === firstName) found.push([id, hops]);
    }
    // Cypher orders strings by code unit, as `<` does, not by locale.
    const byName = (a: number, b: number): number => {
      const [x, y] = [this.person(a).lastName, this.person(b).lastName];
      return x < y ? -1 : x > y ? 1 : 0;
    };
    return found.sort(([a, da], [b, db]) => da - db || byName(a, b) || a - b).slice(0, 20);
  }

  /** IC13: the length of a shortest KNOWS path, -1 if none. */
  ic13(person1Id: number, person2Id: number): number {
    return this.distances(person1Id).get(person2Id) ?? -1;
  }

  /**
   * IC3: [friendId, xCount, yCount] of friends within two hops living outside both countries
   * with messages posted in each of them in [startDate, endDate).
   */
  ic3(p: { personId: number; countryXName: string; countryYName: string; startDate: number;
    endDate: number }): [number, number, number][] {
    const counts = new Map<number, [number, number]>();
    for (const [friend, hops] of this.distances(p.personId)) {
      if (hops < 1 || hops > 2) continue;
      const home = this.placeName.get(this.partOf.get(this.personCity.get(friend) ?? -1) ?? -1);
      if (home === p.countryXName || home === p.countryYName) continue;
      counts.set(friend, [0, 0]);
    }
    for (const [m, author] of this.creator) {
      const count = counts.get(author);
      const date = this.messages.get(m)?.creationDate ?? -1;
      if (count === undefined || date < p.startDate || date >= p.endDate) continue;
      const country = this.placeName.get(this.messageCountry.get(m) ?? -1);
      if (country === p.countryXName) count[0]++;
      if (country === p.countryYName) count[1]++;
    }
    return [...counts].filter(([, [x, y]]) => x > 0 && y > 0).map(([f, [x, y]]) =>
      [f, x, y] as [number, number, number]).sort((a, b) => b[1] + b[2] - a[1] - a[2] ||
      a[0] - b[0]).slice(0, 20);
  }
}
