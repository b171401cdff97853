// The workspace's people other than us: whom a channel can take as members.
import type { WorkspaceMember } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'

export async function colleagues (api: ApiClient): Promise<WorkspaceMember[]> {
  const workspace = await api.workspace()
  return (workspace?.members ?? []).filter(m => !m.self).sort((a, b) => a.name.localeCompare(b.name))
}

export function errorText (failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure)
}
