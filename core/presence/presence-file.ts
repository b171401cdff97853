// The user's chosen presence and mutes survive a restart of the daemon: `presence.json` in the
// profile. An unreadable or invalid file counts as none (available, nothing muted).
import { join } from 'node:path'
import { z } from 'zod'
import { readJsonFile, writeSecretFile } from '../profile/files.js'
import { PRESENCE_STATUSES } from './limits.js'
import type { Mute, PresenceChoice } from './local-presence.js'

const PresenceStatus = z.enum(PRESENCE_STATUSES)

const Stored = z.object({
  choice: z.object({
    status: PresenceStatus,
    text: z.string().max(140),
    until: z.number().int().nullable(),
    exceptions: z.array(z.object({ conversation: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), status: PresenceStatus })).max(32)
  }),
  mutes: z.array(z.object({ conversation: z.string(), until: z.number().int().nullable() })).max(10_000)
})

export type StoredPresence = z.infer<typeof Stored>

export async function loadPresence (home: string): Promise<{ choice: PresenceChoice, mutes: Mute[] } | undefined> {
  const parsed = Stored.safeParse(await readJsonFile(join(home, 'presence.json')).catch(() => undefined))
  return parsed.success ? parsed.data : undefined
}

export async function savePresence (home: string, stored: StoredPresence): Promise<void> {
  await writeSecretFile(join(home, 'presence.json'), JSON.stringify(stored, null, 2) + '\n')
}
