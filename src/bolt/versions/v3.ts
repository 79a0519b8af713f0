import { boltVersion } from '../bolt-version.js';
import { Signature } from '../messages.js';
import { REQUESTS, versionTable, type RequestEntries } from './version-table.js';

/** Bolt 3: HELLO carries auth, transactions arrive, PULL_ALL/DISCARD_ALL have no fields. */
export const V3_REQUESTS: RequestEntries = {
  [Signature.Hello]: REQUESTS.helloWithAuth,
  [Signature.Goodbye]: REQUESTS.goodbye,
  [Signature.Reset]: REQUESTS.reset,
  [Signature.Run]: REQUESTS.run,
  [Signature.Begin]: REQUESTS.begin,
  [Signature.Commit]: REQUESTS.commit,
  [Signature.Rollback]: REQUESTS.rollback,
  [Signature.Discard]: REQUESTS.discardAll,
  [Signature.Pull]: REQUESTS.pullAll,
};

export const V3 = versionTable(boltVersion(3, 0), {
  elementIds: false, dateTime: 'legacy', streamIds: false, hints: false, statuses: false,
  gqlErrors: false, homeDatabase: false,
}, V3_REQUESTS);
