// `causette status`: this node's identity, addresses, peers, outbox and presence;
// `causette status set <status> ...` and `causette status clear` change the presence;
// `causette status dismiss` clears the digests of what arrived while notifications were held.
import { parseCommandArgs } from '../command-args.js'
import type { DigestView, LockedStatus, NodeStatus, PresenceView, StatusAnswer } from '../../api/schema.js'
import { autostartWords } from '../../api/autostart-words.js'
import { apiClient, type ApiClient } from '../client.js'
import type { Command, CommandContext } from '../command.js'
import { clockTime, describeClock } from '../format.js'
import { UsageError } from '../usage.js'
import { describeDigests, dismissDigests } from './status-digest.js'
import { describePresence, parseStatusSet } from './status-set.js'

const USAGE = `causette status [--json]         this node and your presence
causette status set <available|focus|away|offline> [--for 30m|2h] [--until HH:MM] [--text "..."]
                    [--except <peer-or-conversation>=<status>]...
causette status clear            back to available, no text, no exceptions
causette status dismiss          dismiss the digests of what arrived while notifications were held

In focus, messages arrive silently: their notifications wait for one digest when focus ends.
A message sent with \`causette send --urgent "<reason>"\` still notifies at once.`

export const statusCommand: Command = {
  name: 'status',
  summary: "Show this node and your presence; set your presence (focus, away...)",
  usage: USAGE,
  run: async (ctx) => {
    const [sub, ...rest] = ctx.argv
    if (sub === 'set' || sub === 'clear') {
      if (sub === 'clear' && rest.length > 0) throw new UsageError('status clear takes no argument')
      const update = sub === 'set' ? parseStatusSet(rest) : { status: 'available' as const }
      const presence = await (await apiClient(ctx.home)).json<PresenceView>('PUT', '/api/v1/presence', update)
      ctx.out(ctx.json ? JSON.stringify(presence) : `presence   ${describePresence(presence)}`)
      return 0
    }
    if (sub === 'dismiss') {
      if (rest.length > 0) throw new UsageError('status dismiss takes no argument')
      const dismissed = await dismissDigests(await apiClient(ctx.home))
      ctx.out(ctx.json ? JSON.stringify({ dismissed }) : `dismissed  ${dismissed} digest${dismissed === 1 ? '' : 's'}`)
      return 0
    }
    parseCommandArgs({ args: ctx.argv, options: {}, strict: true })
    return await show(ctx, await apiClient(ctx.home))
  }
}

/** Shown only when something is wrong: writes refused, or a damaged file found at open. */
function storageLines (storage: NodeStatus['storage']): Array<[string, string]> {
  return [
    ...(storage.state === 'unwritable' ? [['storage', storage.message ?? 'writes are refused'] as [string, string]] : []),
    ...storage.damage.map((line): [string, string] => ['warning', `${line} (run 'causette doctor' with the node stopped)`])
  ]
}

async function show (ctx: CommandContext, client: ApiClient): Promise<number> {
  // A locked node answers its status alone: the rest waits for the passphrase (core/api/locked-app.ts).
  const answer = await client.json<StatusAnswer>('GET', '/api/v1/status')
  if ('locked' in answer) return showLocked(ctx, answer)
  return await showStarted(ctx, client, answer)
}

function showLocked (ctx: CommandContext, status: LockedStatus): number {
  if (ctx.json) {
    ctx.out(JSON.stringify(status))
    return 0
  }
  const lines: Array<[string, string]> = [
    ['locked', 'waiting for the passphrase: type it in the app (causette with no command opens it)'],
    ...(status.name !== null ? [['name', status.name] as [string, string]] : []),
    ['profile', status.profile],
    ['version', status.version]
  ]
  printLines(ctx, lines)
  return 0
}

function printLines (ctx: CommandContext, lines: Array<[string, string]>): void {
  for (const [label, value] of lines) ctx.out(`${label.padEnd(10)} ${value}`)
}

async function showStarted (ctx: CommandContext, client: ApiClient, status: NodeStatus): Promise<number> {
  const [presence, digests] = await Promise.all([
    client.json<PresenceView>('GET', '/api/v1/presence'),
    client.json<DigestView[]>('GET', '/api/v1/presence/digests')
  ])
  if (ctx.json) {
    ctx.out(JSON.stringify({ ...status, presence, digests }))
    return 0
  }
  const digest = describeDigests(digests, clockTime)
  const [firstAddress = '(none)', ...otherAddresses] = status.addresses
  const lines: Array<[string, string]> = [
    ['name', status.name],
    ['presence', describePresence(presence)],
    ...(digest !== undefined ? [['digest', `${digest} (causette status dismiss)`] as [string, string]] : []),
    ['peer id', status.peerId],
    ['addresses', firstAddress],
    ...otherAddresses.map((address): [string, string] => ['', address]),
    ['workspace', status.workspace === null ? 'none yet' : `${status.workspace.name} (${status.workspace.role})`],
    ['peers', `${status.peers.connected} connected of ${status.peers.known} known`],
    ['queue', `${status.queued} message${status.queued === 1 ? '' : 's'} waiting`],
    ['mdns', status.mdns ? 'on' : 'off'],
    ...status.discoveryProblems.map((problem): [string, string] => ['warning', problem.message]),
    ...(status.clock.wrong ? [['clock', describeClock(status.clock)] as [string, string]] : []),
    ['journal', `${status.journal.size} entries`],
    ['autostart', autostartWords(status.autostart)],
    ...(status.autostart.menu !== null ? [['menu', status.autostart.menu] as [string, string]] : []),
    ...storageLines(status.storage),
    ['version', status.version]
  ]
  printLines(ctx, lines)
  return 0
}
