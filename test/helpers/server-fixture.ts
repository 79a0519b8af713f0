/**
 * One real server per test file, with a neo4j-driver 6 driver logged in as neo4j: started in
 * beforeAll, driver closed and server stopped (by pid) in afterAll.
 */
import neo4j, { type AuthToken, type Config, type Driver } from 'neo4j-driver';
import { afterAll, beforeAll } from 'vitest';
import { startQuiverServer, type QuiverServer, type StartOptions } from './quiver-process.js';

export interface ServerFixture {
  readonly server: QuiverServer;
  readonly auth: AuthToken;
  readonly driver: Driver;
}

/** Call at the top of a test file; the returned function gives the fixture inside tests. */
export function useQuiverServer(options: StartOptions = {}, driverConfig: Config = {}):
  () => ServerFixture {
  let fixture: ServerFixture | null = null;
  beforeAll(async () => {
    const server = await startQuiverServer(options);
    const auth = neo4j.auth.basic('neo4j', server.password);
    fixture = { server, auth, driver: neo4j.driver(server.boltUrl, auth, driverConfig) };
  });
  afterAll(async () => {
    await fixture?.driver.close();
    await fixture?.server.stop();
  });
  return () => {
    if (fixture === null) throw new Error('the server fixture is used outside of a test');
    return fixture;
  };
}
