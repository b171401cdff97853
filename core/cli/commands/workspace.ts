// `causette workspace`: show this node's workspace and its members; `causette workspace create
// <name>`: make this node the root and first admin of a new one; `causette workspace join <code>`:
// join one with an invite code while the node runs (`start --join` does it at start).
import { parseCommandArgs } from '../command-args.js'
import type { WorkspaceView } from '../../api/schema.js'
import { apiClient, type ApiClient } from '../client.js'
import type { Command, CommandContext } from '../command.js'
import { table } from '../format.js'
import { UsageError } from '../usage.js'
import { ADMISSION_USAGE, isAdmissionSubcommand, runAdmission } from './workspace-admission.js'

const USAGE = `causette workspace [--json]                 show the workspace and its members
causette workspace create <name> [--json]   create one: this node becomes its first admin
causette workspace join <code> [--json]     join one with an invite code (or link), while causette runs

${ADMISSION_USAGE}

Once in a workspace, a node talks to its members only: a desk on the same network that is not in it
shows up as wanting to join (\`causette workspace requests\`); elsewhere, invite with \`causette invite\`.`

export const workspaceCommand: Command = {
  name: 'workspace',
  summary: 'Show the workspace and its members, create one, or join one',
  usage: USAGE,
  run: async (ctx) => {
    if (isAdmissionSubcommand(ctx.argv[0])) return await runAdmission(ctx)
    const { positionals } = parseCommandArgs({ args: ctx.argv, options: {}, allowPositionals: true, strict: true })
    const [sub, ...rest] = positionals
    const client = await apiClient(ctx.home)
    if (sub === undefined) return show(ctx, await client.json<WorkspaceView | null>('GET', '/api/v1/workspace'))
    if (sub === 'join') return await join(ctx, client, rest)
    if (sub !== 'create') throw new UsageError(`unknown subcommand "${sub}"`)
    if (rest.length === 0) throw new UsageError('give the workspace a name')
    const created = await client.json<WorkspaceView>('POST', '/api/v1/workspace', { name: rest.join(' ') })
    if (!ctx.json) ctx.out(`created workspace "${created.name}": this node is its first admin and talks to members only; desks connected now are asked whether they want to join (\`causette workspace requests\`, then \`causette workspace admit <desk>\`)\n`)
    return show(ctx, created)
  }
}

async function join (ctx: CommandContext, client: ApiClient, args: string[]): Promise<number> {
  if (args.length !== 1) throw new UsageError('give the invite code (or the link) an admin gave you')
  await sayWhomWeAsk(ctx, args[0]!)
  const joined = await client.json<WorkspaceView>('POST', '/api/v1/workspace/join', { code: args[0] })
  if (!ctx.json) ctx.out(`joined workspace "${joined.name}": from now on only its members can connect to this node\n`)
  return show(ctx, joined)
}

/** Joining may wait for a busy inviter: say whom it asks, and how to stop (the node stops when this command does). */
async function sayWhomWeAsk (ctx: CommandContext, code: string): Promise<void> {
  const { decodeInviteCode, inviteHostPort } = await import('../../workspace/invite-code.js')
  try {
    ctx.err(`asking the computer that made this invite, at ${inviteHostPort(decodeInviteCode(code).address)} (Ctrl+C stops)…`)
  } catch {
    // A mistyped code: the node says what is wrong with it.
  }
}

function show (ctx: CommandContext, workspace: WorkspaceView | null): number {
  if (ctx.json) {
    ctx.out(JSON.stringify(workspace))
    return 0
  }
  if (workspace === null) {
    ctx.out('this node belongs to no workspace yet: create one with `causette workspace create <name>`, or join one with `causette workspace join <code>`')
    return 0
  }
  ctx.out(`workspace  ${workspace.name}`)
  ctx.out(`id         ${workspace.id}`)
  ctx.out(`you        ${workspace.role}`)
  ctx.out('')
  for (const line of table(['NAME', 'ROLE', 'PEER ID'], workspace.members.map(m => [m.self ? `${m.name} (you)` : m.name, m.role, m.peerId]))) ctx.out(line)
  for (const fork of workspace.forks ?? []) {
    ctx.out(`\nfork at entry ${fork.seq} (${new Date(fork.time).toISOString()}): kept ${fork.kept}, dropped ${fork.dropped}${fork.switched ? ' (ours: its changes were signed again on the kept branch)' : ''}`)
  }
  return 0
}
