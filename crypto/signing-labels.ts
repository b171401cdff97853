// Every byte string we sign starts with a purpose label line, `causette/<purpose>/v1\n`, so a
// signature made for one purpose can never be replayed as another. This is the one list of purposes.
// Journal checkpoints are C2SP signed notes whose first line is their origin, causette/journal/v1/<PeerId>.
export const SIGNING_PURPOSES = ['statement', 'device-record', 'receipt', 'journal', 'membership', 'join', 'presence', 'channel', 'sender-key', 'update-pause'] as const
export type SigningPurpose = typeof SIGNING_PURPOSES[number]

export function purposeLabel (purpose: SigningPurpose): string {
  return `causette/${purpose}/v1`
}
