/**
 * Makes the README's pictures of the console: docs/images/console-graph.png (The Matrix and
 * its people from the movie graph) and docs/images/console-cluster.png (a 3-core cluster under
 * a light write load, with its commit chart). Run after `npm run build`:
 * `npx tsx test/console/browser/readme-screenshots.ts`; it needs Chromium, as the tests do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CLUSTER_PASSWORD, CLUSTER_USER, ProcessCluster, TEST_ELECTION_TIMEOUT_MS,
  waitFor, type Member } from '../../helpers/cluster.js';
import { SHARED_DIR } from '../../shared-dir.js';
import { launchChromium, REPO_ROOT, type Chromium } from './chromium.js';
import { clusterRows, login, resultFrameOf, runInEditor, screenshot } from './console-page.js';

const IMAGES = path.join(REPO_ROOT, 'docs', 'images');
const MATRIX_QUERY = "MATCH (m:Movie {title:'The Matrix'})<-[r]-(p) RETURN *";
/** Long enough for the chart to show a shape, short enough to wait for. */
const LOAD_SECONDS = 40;

/** Through the driver, whose managed transactions retry what a busy cluster's elections abort. */
async function loadMovies(cluster: ProcessCluster, leader: Member): Promise<void> {
  const script = fs.readFileSync(path.join(SHARED_DIR, 'datasets', 'movies.cypher'), 'utf8');
  const driver = cluster.routing(leader);
  for (const statement of script.split(/;\s*\n/).filter((s) => s.trim() !== '')) {
    await driver.executeQuery(statement);
  }
}

async function graphPicture(chromium: Chromium, member: Member): Promise<void> {
  const { page } = chromium;
  await page.goto(`http://localhost:${member.ports.http}/browser/`);
  await login(page, `neo4j://${member.boltAddress}`, CLUSTER_USER, CLUSTER_PASSWORD);
  await page.waitForSelector('#workspace:not([hidden])');
  await runInEditor(page, MATRIX_QUERY);
  const frame = await resultFrameOf(page, MATRIX_QUERY);
  await frame.locator('.graph-canvas canvas').first().waitFor();
  await page.locator('#schema button', { hasText: 'Movie' }).first().waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, path.join(IMAGES, 'console-graph.png'));
}

/** Writes at a rate that rises and falls, so the chart has something to show. */
async function writeLoad(cluster: ProcessCluster, leader: Member): Promise<void> {
  const session = cluster.direct(leader).session();
  try {
    for (let second = 0; second < LOAD_SECONDS; second += 1) {
      const writes = Math.round(10 + 8 * Math.sin(second / 5));
      for (let i = 0; i < writes; i += 1) {
        await session.run('CREATE (:Tick {second: $second, i: $i})', { second, i });
      }
      await delay(1000);
    }
  } finally {
    await session.close();
  }
}

async function main(): Promise<void> {
  const chromium = await launchChromium({ width: 1280, height: 760 });
  const cluster = await ProcessCluster.start({ cores: 3,
    electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS });
  try {
    const leader = await cluster.waitForLeader();
    const follower = cluster.live().find((m) => m !== leader) ?? leader;
    await loadMovies(cluster, leader);
    await graphPicture(chromium, follower);
    await chromium.page.click('[data-view="cluster-view"]');
    await writeLoad(cluster, leader);
    // Under load a busy member can miss a round; the picture is of a round every one answered.
    await waitFor('every member healthy in the cluster view', async () =>
      ((await clusterRows(chromium.page)).every(([, , health]) => health === 'healthy')
        ? true : null), 30_000);
    await screenshot(chromium.page, path.join(IMAGES, 'console-cluster.png'));
    process.stdout.write(`wrote ${IMAGES}/console-graph.png and console-cluster.png\n`);
  } catch (thrown) {
    const failure = path.join(REPO_ROOT, 'test-output', 'console', 'readme-failure.png');
    await screenshot(chromium.page, failure).catch(() => undefined);
    process.stderr.write(`the page as it was is in ${failure}\n`);
    throw thrown;
  } finally {
    await chromium.close();
    await cluster.stopAll();
  }
}

await main();
