// "7 of 9 desks on 0.3.0": every member with the version it last announced, and how many run the
// newest version anyone runs or this node holds a release of. Pure.
import type { DeskVersion } from './status.js'
import { compareVersions, isVersion } from '../runtime/version.js'

export interface DeskSummary { newest: string, onNewest: number, desks: DeskVersion[] }

export function summariseDesks (members: Array<{ peerId: string, name: string }>, self: string, versions: ReadonlyMap<string, string>, held: string | undefined): DeskSummary {
  const desks = members.map(m => ({ peerId: m.peerId, name: m.name, version: versions.get(m.peerId) ?? null, self: m.peerId === self }))
  const known = [...desks.map(d => d.version), held].filter((v): v is string => v !== undefined && v !== null && isVersion(v))
  const newest = known.reduce((a, b) => compareVersions(a, b) >= 0 ? a : b, versions.get(self) ?? '0.0.0')
  return { newest, onNewest: desks.filter(d => d.version === newest).length, desks }
}
