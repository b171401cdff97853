// The workspace API's refusals in words a colleague understands; the node's own message otherwise.
import { joinTrouble } from '../../../core/api/join-words.js'
import { ApiRequestError } from '../api/request-error.js'

const WORDS: Record<string, string> = {
  MEMBERSHIP_INVITE_USED: 'This invite code was already used. Ask an admin for a new one.',
  MEMBERSHIP_INVITE_EXPIRED: 'This invite code has expired. Ask an admin for a new one.',
  MEMBERSHIP_INVITE_REVOKED: 'This invite code was revoked by an admin. Ask an admin for a new one.',
  MEMBERSHIP_UNKNOWN_INVITE: 'The inviting computer does not know this invite code. Ask for a new one.',
  INVITE_BAD_CODE: 'This is not a valid invite code: check each character (40 letters and digits), or ask for the link.',
  JOIN_REFUSED: 'The computer that answered could not show this invite as its own: ask the admin who made it for a new code.',
  WORKSPACE_EXISTS: 'This computer already belongs to a workspace.',
  WORKSPACE_NONE: 'This computer belongs to no workspace yet.',
  WORKSPACE_NOT_ADMIN: 'Only an admin of the workspace can do this.',
  MEMBERSHIP_NOT_ADMIN: 'Only an admin of the workspace can do this.',
  MEMBERSHIP_LAST_ADMIN: 'A workspace needs an admin: make someone else admin first.',
  MEMBERSHIP_NOT_MEMBER: 'This person is no longer a member of the workspace.',
  UPDATE_BAD_SIGNATURE: 'This file is not signed by the causette release key: it was not installed.',
  UPDATE_TAMPERED: 'This release file was changed after it was signed: it was not installed.',
  UPDATE_TRUNCATED: 'This release file is incomplete (cut short): download it again.',
  UPDATE_BAD_BUNDLE: 'This is not a causette release file.',
  UPDATE_BAD_MANIFEST: 'This is not a causette release file.',
  UPDATE_NOT_NEWER: 'This release is not newer than the one this computer has: causette never goes back to an older version.',
  UPDATE_WRONG_TARGET: "This release has nothing for this computer's system."
}

export function errorText (failure: unknown): string {
  // The inviting computer out of reach: why (the join screens add what to do, JoinProblem.svelte).
  if (failure instanceof ApiRequestError) return WORDS[failure.code] ?? joinTrouble(failure.code)?.why ?? failure.message
  return failure instanceof Error ? failure.message : String(failure)
}
