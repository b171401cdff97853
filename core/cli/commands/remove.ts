// `causette remove <member>`: a signed removal; every node then disconnects and refuses that device.
import { parseCommandArgs } from '../command-args.js'
import type { WorkspaceView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { findMember, memberPath } from '../members.js'
import { UsageError } from '../usage.js'

export const removeCommand: Command = {
  name: 'remove',
  summary: 'Remove a member from the workspace (admins only); every node then refuses it',
  usage: 'causette remove <member-name-or-peerid> [--reason R] [--json]',
  run: async (ctx) => {
    const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { reason: { type: 'string' } }, allowPositionals: true, strict: true })
    if (positionals.length !== 1) throw new UsageError('give one member, by name or PeerId')
    const client = await apiClient(ctx.home)
    const member = await findMember(client, positionals[0]!)
    const after = await client.json<WorkspaceView>('POST', memberPath(member, 'remove'), values.reason === undefined ? {} : { reason: values.reason })
    ctx.out(ctx.json ? JSON.stringify(after) : `removed ${member.name} (${member.peerId}): every node of the workspace now refuses it`)
    return 0
  }
}
