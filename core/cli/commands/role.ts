// `causette role <member> admin|member`: a signed role change (admins only).
import { parseCommandArgs } from '../command-args.js'
import type { WorkspaceView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { findMember, memberPath, ROLES } from '../members.js'
import { UsageError } from '../usage.js'

export const roleCommand: Command = {
  name: 'role',
  summary: "Change a member's role: admin or member (admins only)",
  usage: 'causette role <member-name-or-peerid> admin|member [--json]',
  run: async (ctx) => {
    const { positionals } = parseCommandArgs({ args: ctx.argv, options: {}, allowPositionals: true, strict: true })
    const [wanted, role] = positionals
    if (wanted === undefined || role === undefined || positionals.length !== 2) throw new UsageError('give a member and a role')
    if (!ROLES.includes(role)) throw new UsageError(`the role is admin or member, not "${role}"`)
    const client = await apiClient(ctx.home)
    const member = await findMember(client, wanted)
    const after = await client.json<WorkspaceView>('POST', memberPath(member, 'role'), { role })
    ctx.out(ctx.json ? JSON.stringify(after) : `${member.name} (${member.peerId}) is now ${role === 'admin' ? 'an admin' : 'a member'}`)
    return 0
  }
}
