/**
 * A write and a read through the official driver that carry bookmarks, as the replica tests
 * chain them: write in a managed transaction and return its bookmarks; count a label, waiting
 * on the given bookmarks first.
 */
import neo4j, { type Driver } from 'neo4j-driver';

export async function writeForBookmarks(driver: Driver, query: string,
  params: Record<string, unknown> = {}): Promise<string[]> {
  const session = driver.session();
  try {
    await session.executeWrite((tx) => tx.run(query, params));
    return session.lastBookmarks();
  } finally {
    await session.close();
  }
}

export async function countLabel(driver: Driver, label: string, bookmarks: string[] = []):
  Promise<number> {
  const session = driver.session({ bookmarks, defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.run(`MATCH (n:${label}) RETURN count(n) AS n`);
    return (result.records[0]?.get('n') as { toNumber(): number }).toNumber();
  } finally {
    await session.close();
  }
}
