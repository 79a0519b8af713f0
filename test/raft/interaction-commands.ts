/**
 * The commands of transcript scripts (test/raft/scripts/*.txt), each run against a RaftEnv and
 * answered with the lines the env narrated. See scripts/README.md for the format.
 */
import { asLogIndex, asMemberId } from '../../src/raft/types.js';
import type { MemberId, ProposalResult, RequestResult } from '../../src/raft/types.js';
import type { MembershipChange } from '../../src/raft/raft-node.js';
import type { RaftEnv } from './raft-env.js';
import { formatEntries } from './format.js';

type Handler = (env: RaftEnv, args: string[]) => string[] | void;

const encoder = new TextEncoder();

function id(arg: string | undefined): MemberId {
  if (arg === undefined) throw new Error('missing member id');
  return asMemberId(arg);
}

function ids(env: RaftEnv, args: string[]): MemberId[] {
  return args.length === 0 ? env.ids() : args.map(id);
}

function result(outcome: ProposalResult | RequestResult): string[] {
  if (!outcome.ok) return [`dropped ${outcome.reason}`];
  return 'index' in outcome ? [`ok ${outcome.term}/${outcome.index}`] : ['ok'];
}

function statusLine(env: RaftEnv, member: MemberId): string {
  const node = env.member(member).node;
  if (node === null) return `${member}: down`;
  const s = node.status();
  return (
    `${member}: role=${s.soft.role} term=${s.hard.term} leader=${s.soft.leader ?? '-'} ` +
    `commit=${s.hard.commit} applied=${s.applied} first=${s.firstIndex} last=${s.lastIndex} ` +
    `voters=${s.membership.voters.join(',')} learners=${s.membership.learners.join(',')}`
  );
}

function logLine(env: RaftEnv, member: MemberId): string {
  const node = env.node(member);
  const s = node.status();
  const entries = [];
  for (let i: number = s.firstIndex; i <= s.lastIndex; i += 1) {
    const entry = node.entryAt(asLogIndex(i));
    if (entry !== undefined) entries.push(entry);
  }
  return `${member}: ${formatEntries(entries)}`;
}

function keyValues(args: string[]): Map<string, string> {
  const pairs = args.filter((a) => a.includes('=')).map((a) => a.split('=', 2) as [string, string]);
  return new Map(pairs);
}

/** `add-voter <leader> <member>` and friends. */
function change(env: RaftEnv, args: string[], type: MembershipChange['type']): string[] {
  return result(env.node(id(args[0])).proposeMembershipChange({ type, member: id(args[1]) }));
}

export const COMMANDS: Record<string, Handler> = {
  bootstrap: (env, args) => env.bootstrapAll(args),
  'bootstrap-one': (env, args) => {
    const voters = keyValues(args).get('voters')?.split(',') ?? [];
    env.bootstrapOne(id(args[0]), voters);
  },
  join: (env, args) => env.join(id(args[0])),
  campaign: (env, args) => env.node(id(args[0])).campaign(),
  propose: (env, args) => result(env.node(id(args[0])).propose(encoder.encode(args[1] ?? ''))),
  'add-voter': (env, args) => change(env, args, 'addVoter'),
  'add-learner': (env, args) => change(env, args, 'addLearner'),
  'remove-member': (env, args) => change(env, args, 'removeMember'),
  'transfer-leadership': (env, args) =>
    result(env.node(id(args[0])).transferLeadership(id(args[1]))),
  'read-index': (env, args) => result(env.node(id(args[0])).readIndex(args[1] ?? '')),
  tick: (env, args) => env.tick(id(args[0]), Number(args[1] ?? '1')),
  'process-ready': (env, args) => {
    for (const member of ids(env, args)) env.processReady(member);
  },
  deliver: (env, args) => {
    const options = keyValues(args);
    const to = options.get('to');
    env.deliver({ ...(to === undefined ? {} : { to: id(to) }), drop: args.includes('drop') });
  },
  stabilize: (env) => env.stabilize(),
  partition: (env, args) => {
    const groups = args.join(' ').split('/').map((g) => g.trim().split(/\s+/));
    env.partition(groups);
  },
  heal: (env) => env.heal(),
  crash: (env, args) => env.crash(id(args[0])),
  'peer-down': (env, args) => env.node(id(args[0])).reportPeerDown(id(args[1])),
  restart: (env, args) => env.restart(id(args[0])),
  compact: (env, args) => env.compact(id(args[0]), Number(args[1])),
  status: (env, args) => ids(env, args).map((m) => statusLine(env, m)),
  log: (env, args) => ids(env, args).map((m) => logLine(env, m)),
};

/** Run one command line; returns the lines to print after it. */
export function runCommand(env: RaftEnv, line: string): string[] {
  const [name, ...args] = line.trim().split(/\s+/);
  const handler = name === undefined ? undefined : COMMANDS[name];
  if (handler === undefined) throw new Error(`unknown command: ${line}`);
  const start = env.lines.length;
  const answer = handler(env, args) ?? [];
  const narrated = env.lines.splice(start);
  return [...narrated, ...answer];
}
