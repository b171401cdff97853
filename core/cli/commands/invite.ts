// `causette invite`: a single-use code for one new device, and how to use it.
import { parseCommandArgs } from '../command-args.js'
import type { InviteView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { ROLES } from '../members.js'
import { UsageError } from '../usage.js'

export const inviteCommand: Command = {
  name: 'invite',
  summary: 'Print a single-use invite code for a new device (admins only)',
  usage: `causette invite [--role member|admin] [--expires 24h] [--json]

  --role     the role the new device gets (default member)
  --expires  how long the code is valid: minutes, hours or days, as 30m, 24h or 7d (default 24h, at most 30d)`,
  run: async (ctx) => {
    const { values } = parseCommandArgs({ args: ctx.argv, options: { role: { type: 'string' }, expires: { type: 'string' } }, strict: true })
    const role = values.role ?? 'member'
    if (!ROLES.includes(role)) throw new UsageError(`--role must be member or admin, not "${values.role}"`)
    const expiresMs = values.expires === undefined ? undefined : await parseExpiry(values.expires)
    const invite = await (await apiClient(ctx.home)).json<InviteView>('POST', '/api/v1/invites', { role, ...(expiresMs === undefined ? {} : { expiresMs }) })
    if (ctx.json) {
      ctx.out(JSON.stringify(invite))
      return 0
    }
    const expires = new Date(invite.expiresAt).toISOString().slice(0, 16).replace('T', ' ')
    ctx.out(`invite code for one new ${invite.role} (single use, valid until ${expires} UTC):`)
    ctx.out('')
    ctx.out(`  ${invite.code}`)
    ctx.out('')
    ctx.out('on the new device, while this node runs:')
    ctx.out('')
    ctx.out(`  causette start --join ${invite.code}`)
    return 0
  }
}

async function parseExpiry (text: string): Promise<number> {
  // Loaded here: the other commands should not pay for the invite code's dependencies.
  const { parseInviteExpiry } = await import('../../workspace/invite-code.js')
  try {
    return parseInviteExpiry(text)
  } catch (error) {
    throw new UsageError(`--expires: ${(error as Error).message}`)
  }
}
