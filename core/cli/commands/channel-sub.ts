// What the `causette channel` subcommands share: their shape, the API paths, and how a channel prints.
import type { ChannelView } from '../../api/schema.js'
import type { CommandContext } from '../command.js'
import { table } from '../format.js'
import { UsageError } from '../usage.js'

export interface ChannelSubcommand {
  name: string
  run: (ctx: CommandContext) => Promise<number>
}

export const channelPath = (channel: string, rest = ''): string => `/api/v1/channels/${encodeURIComponent(channel)}${rest}`

/** The positionals a subcommand needs, or a usage error naming them. */
export function need (positionals: string[], count: number, what: string): string[] {
  if (positionals.length < count) throw new UsageError(`give ${what}`)
  return positionals
}

export function printChannel (ctx: CommandContext, channel: ChannelView): number {
  if (ctx.json) {
    ctx.out(JSON.stringify(channel))
    return 0
  }
  ctx.out(`channel  ${channel.name}${channel.archived ? ' (archived)' : ''}${channel.member ? '' : ' (you are not a member)'}`)
  ctx.out(`id       ${channel.id}`)
  ctx.out(`access   ${channel.open ? 'open to the workspace' : 'invite-only'}`)
  ctx.out(`topic    ${channel.topic === '' ? '-' : channel.topic}`)
  if (channel.mutedUntil !== undefined) ctx.out(`muted    ${channel.mutedUntil === null ? 'until unmuted' : `until ${new Date(channel.mutedUntil).toLocaleString()}`}`)
  ctx.out('')
  for (const line of table(['NAME', 'ROLE', 'PEER ID'], channel.members.map(m => [m.name, m.owner ? 'owner' : 'member', m.peerId]))) ctx.out(line)
  return 0
}
