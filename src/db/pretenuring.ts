/**
 * Turns off V8's allocation-site pretenuring for the process, once. A bulk load keeps the objects
 * of each 10k-row statement alive across several young-generation collections, so V8 marks
 * their allocation sites "tenure"; the same sites then serve every later query, whose
 * short-lived objects go straight to the old generation. There they pile up until a full
 * collection: on the medium benchmark graph the heap grew by hundreds of MiB while point
 * lookups ran, at half their speed. V8 reverts the decision only after a full collection
 * that frees nine tenths of the old generation, which a large live graph never gives
 * (decision 0043). The flag is read when V8 processes pretenuring feedback, so setting it at
 * run time takes effect.
 */
import { setFlagsFromString } from 'node:v8';

let done = false;

export function turnOffPretenuring(): void {
  if (done) return;
  done = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}
