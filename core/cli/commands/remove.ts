// `causette remove <member>`: a signed removal; every node then disconnects and refuses that device.
import { parseArgs } from 'node:util'
import type { WorkspaceMember, WorkspaceView } from '../../api/schema.js'
import { CausetteError } from '../../errors.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { UsageError } from '../usage.js'

export const removeCommand: Command = {
  name: 'remove',
  summary: 'Remove a member from the workspace (admins only); every node then refuses it',
  usage: 'causette remove <member-name-or-peerid> [--reason R] [--json]',
  run: async (ctx) => {
    const { values, positionals } = parseArgs({ args: ctx.argv, options: { reason: { type: 'string' } }, allowPositionals: true, strict: true })
    if (positionals.length !== 1) throw new UsageError('give one member, by name or PeerId')
    const client = await apiClient(ctx.home)
    const workspace = await client.json<WorkspaceView | null>('GET', '/api/v1/workspace')
    if (workspace === null) throw new CausetteError('WORKSPACE_NONE', 'this node belongs to no workspace yet')
    const member = resolveMember(workspace.members, positionals[0]!)
    const after = await client.json<WorkspaceView>('POST', `/api/v1/members/${encodeURIComponent(member.peerId)}/remove`, values.reason === undefined ? {} : { reason: values.reason })
    ctx.out(ctx.json ? JSON.stringify(after) : `removed ${member.name} (${member.peerId}): every node of the workspace now refuses it`)
    return 0
  }
}

/** By PeerId, else by name (case-insensitive) if exactly one member has it. */
function resolveMember (members: WorkspaceMember[], wanted: string): WorkspaceMember {
  const exact = members.find(m => m.peerId === wanted)
  if (exact !== undefined) return exact
  const named = members.filter(m => m.name.toLowerCase() === wanted.trim().toLowerCase())
  if (named.length === 1) return named[0]!
  if (named.length > 1) throw new CausetteError('AMBIGUOUS_PEER', `${named.length} members are named "${wanted}": use a PeerId (\`causette workspace\` lists them)`)
  throw new CausetteError('MEMBERSHIP_NOT_MEMBER', `no member "${wanted}" in this workspace (\`causette workspace\` lists them)`)
}
