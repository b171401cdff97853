// `causette invite`: a single-use code for one new device (and the link that opens its app on the
// join screen); `causette invite list` every invite and its state; `causette invite revoke <id>`.
import { parseCommandArgs } from '../command-args.js'
import type { InviteList, InviteListItem, InviteView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command, CommandContext } from '../command.js'
import { ROLES } from '../members.js'
import { UsageError } from '../usage.js'

const utc = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')

export const inviteCommand: Command = {
  name: 'invite',
  summary: 'Invite a new device (admins only): a short code and a link; list and revoke invites',
  usage: `causette invite [--role member|admin] [--expires 24h] [--address IP[:PORT]] [--json]
causette invite list [--json]            every invite: who made it, when, expiry, role, state
causette invite revoke <id> [--json]     an open invite (its id from the list; the first 6+ characters suffice)

  --role     the role the new device gets (default member)
  --expires  how long the code is valid: minutes, hours or days, as 30m, 24h or 7d (default 24h, at most 30d)
  --address  the IPv4 address (and port) the new device dials, when this computer's first one is not
             the one its network reaches (several networks, a VPN, a forwarding router)`,
  run: async (ctx) => {
    const [first, ...rest] = ctx.argv
    if (first === 'list') return await list({ ...ctx, argv: rest })
    if (first === 'revoke') return await revoke({ ...ctx, argv: rest })
    return await create(ctx)
  }
}

async function create (ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs({ args: ctx.argv, options: { role: { type: 'string' }, expires: { type: 'string' }, address: { type: 'string' } }, strict: true })
  const role = values.role ?? 'member'
  if (!ROLES.includes(role)) throw new UsageError(`--role must be member or admin, not "${values.role}"`)
  const expiresMs = values.expires === undefined ? undefined : await parseExpiry(values.expires)
  const invite = await (await apiClient(ctx.home)).json<InviteView>('POST', '/api/v1/invites', { role, ...(expiresMs === undefined ? {} : { expiresMs }), ...(values.address === undefined ? {} : { address: values.address }) })
  if (ctx.json) {
    ctx.out(JSON.stringify(invite))
    return 0
  }
  ctx.out(`invite code for one new ${invite.role} (single use, valid until ${utc(invite.expiresAt)} UTC):`)
  ctx.out('')
  ctx.out(`  ${invite.code}`)
  ctx.out('')
  ctx.out('on the new device, with causette running there, open this link (it opens the join screen):')
  ctx.out('')
  ctx.out(`  ${invite.link}`)
  ctx.out('')
  ctx.out('or run there, while causette runs:')
  ctx.out('')
  ctx.out(`  causette workspace join ${invite.code}`)
  ctx.out('')
  ctx.out('or, if it is not running, start it with:')
  ctx.out('')
  ctx.out(`  causette start --join ${invite.code}`)
  ctx.out('')
  ctx.out(`(revoke it with: causette invite revoke ${invite.id.slice(0, 8)})`)
  return 0
}

function describe (invite: InviteListItem): string {
  const state = invite.status === 'used' && invite.usedBy !== undefined
    ? `used by ${invite.usedBy.name}`
    : invite.status === 'revoked' && invite.revokedBy !== undefined ? `revoked by ${invite.revokedBy.name}` : invite.status
  return `${invite.id.slice(0, 8)}  ${invite.role.padEnd(6)}  by ${invite.inviter.name}, ${utc(invite.issuedAt)}, expires ${utc(invite.expiresAt)}  ${state}`
}

async function list (ctx: CommandContext): Promise<number> {
  parseCommandArgs({ args: ctx.argv, options: {}, strict: true })
  const { invites } = await (await apiClient(ctx.home)).json<InviteList>('GET', '/api/v1/invites')
  if (ctx.json) {
    ctx.out(JSON.stringify(invites))
    return 0
  }
  if (invites.length === 0) ctx.out('no invites yet: causette invite')
  for (const invite of invites) ctx.out(describe(invite))
  return 0
}

async function revoke (ctx: CommandContext): Promise<number> {
  const { positionals } = parseCommandArgs({ args: ctx.argv, options: {}, strict: true, allowPositionals: true })
  if (positionals.length !== 1) throw new UsageError('give the id of one invite: causette invite revoke <id> (ids in causette invite list)')
  const invite = await (await apiClient(ctx.home)).json<InviteListItem>('DELETE', `/api/v1/invites/${encodeURIComponent(positionals[0]!)}`, {})
  ctx.out(ctx.json ? JSON.stringify(invite) : `revoked: ${describe(invite)}`)
  return 0
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
