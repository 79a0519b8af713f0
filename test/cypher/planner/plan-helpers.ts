/** Reading the plans Database.run returns for EXPLAIN and PROFILE. */
import type { PlanDescription } from '../../../src/cypher/index.js';
import type { Database } from '../../../src/db/database.js';

export async function planOf(db: Database, query: string,
  params: Record<string, unknown> = {}): Promise<PlanDescription> {
  const result = await db.run(query, params);
  const described = result.summary.plan;
  if (described === null || described === undefined) throw new Error('no plan');
  return described as PlanDescription;
}

export function flatten(p: PlanDescription): PlanDescription[] {
  return [p, ...p.children.flatMap(flatten)];
}

export function operators(p: PlanDescription): string[] {
  return flatten(p).map((o) => o.operatorType.replace('@neo4j', ''));
}

export function find(p: PlanDescription, operator: string): PlanDescription | undefined {
  return flatten(p).find((o) => o.operatorType === `${operator}@neo4j`);
}

export function dbHits(p: PlanDescription): number {
  return flatten(p).reduce((sum, o) => sum + (o.dbHits ?? 0), 0);
}
