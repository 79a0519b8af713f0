/**
 * One line format for messages and entries, shared by transcripts, the simulator's traces and
 * failure reports: `1->2 Append term=3 prev=3/41 commit=40 entries=[3/42]`.
 */
import { decodeConfigChange } from '../../src/raft/membership.js';
import type { Entry, Message } from '../../src/raft/types.js';

const decoder = new TextDecoder();

export function formatEntry(entry: Entry): string {
  const at = `${entry.term}/${entry.index}`;
  switch (entry.kind) {
    case 'noop':
      return `${at}:noop`;
    case 'normal':
      return `${at}=${decoder.decode(entry.data)}`;
    case 'config': {
      const change = decodeConfigChange(entry.data);
      const what = change.type === 'bootstrap' ? change.voters.join(',') : change.member;
      return `${at}:${change.type}(${what})`;
    }
  }
}

export function formatEntries(entries: readonly Entry[]): string {
  return `[${entries.map(formatEntry).join(' ')}]`;
}

function details(message: Message): string {
  switch (message.type) {
    case 'PreVote':
    case 'Vote':
      return `last=${message.lastTerm}/${message.lastIndex}${message.transfer ? ' transfer' : ''}`;
    case 'PreVoteResp':
    case 'VoteResp':
      return message.reject ? 'reject' : 'grant';
    case 'Append':
      return (
        `prev=${message.prevTerm}/${message.prevIndex} commit=${message.commit} ` +
        `entries=${formatEntries(message.entries)}`
      );
    case 'AppendResp':
      return message.reject
        ? `reject index=${message.index} hint=${message.hintTerm}/${message.hintIndex}`
        : `index=${message.index}`;
    case 'Heartbeat':
      return `commit=${message.commit}${message.ctx === null ? '' : ` ctx=${message.ctx}`}`;
    case 'HeartbeatResp':
      return message.ctx === null ? '' : `ctx=${message.ctx}`;
    case 'Snapshot':
      return `snapshot=${message.snapshot.meta.term}/${message.snapshot.meta.index}`;
    case 'TimeoutNow':
      return '';
    case 'ReadIndex':
      return `ctx=${message.ctx}`;
    case 'ReadIndexResp':
      return `ctx=${message.ctx} index=${message.index}`;
  }
}

export function formatMessage(message: Message): string {
  const text = details(message);
  const head = `${message.from}->${message.to} ${message.type} term=${message.term}`;
  return text === '' ? head : `${head} ${text}`;
}
