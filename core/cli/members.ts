// Finding a workspace member from the command line: by PeerId, or by the name it joined with.
import type { Role, WorkspaceMember, WorkspaceView } from '../api/schema.js'
import { CausetteError } from '../errors.js'
import type { ApiClient } from './client.js'

/** The roles a command line may name. */
export const ROLES: readonly string[] = ['member', 'admin'] satisfies Role[]

/** The workspace's member `wanted` (a PeerId, else a name that exactly one member has, any case). */
export async function findMember (client: ApiClient, wanted: string): Promise<WorkspaceMember> {
  const workspace = await client.json<WorkspaceView | null>('GET', '/api/v1/workspace')
  if (workspace === null) throw new CausetteError('WORKSPACE_NONE', 'this node belongs to no workspace yet')
  const exact = workspace.members.find(m => m.peerId === wanted)
  if (exact !== undefined) return exact
  const named = workspace.members.filter(m => m.name.toLowerCase() === wanted.trim().toLowerCase())
  if (named.length === 1) return named[0]!
  if (named.length > 1) throw new CausetteError('AMBIGUOUS_PEER', `${named.length} members are named "${wanted}": use a PeerId (\`causette workspace\` lists them)`)
  throw new CausetteError('MEMBERSHIP_NOT_MEMBER', `no member "${wanted}" in this workspace (\`causette workspace\` lists them)`)
}

/** The path of a member action of the API. */
export const memberPath = (member: WorkspaceMember, action: 'remove' | 'role'): string =>
  `/api/v1/members/${encodeURIComponent(member.peerId)}/${action}`
