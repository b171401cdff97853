// The workspace's errors, with stable codes (see core/errors.ts for the convention): the log's own
// verification codes (crypto/membership-entry.ts), and those of local actions and of joining.
import { CodedError } from '../../crypto/coded-error.js'
import { MembershipError, type MembershipErrorCode } from '../../crypto/membership-entry.js'

export type WorkspaceErrorCode =
  | MembershipErrorCode
  | 'WORKSPACE_NONE' // this node belongs to no workspace yet
  | 'WORKSPACE_EXISTS' // this node already belongs to a workspace
  | 'WORKSPACE_NOT_ADMIN' // a local action that only an admin may take
  | 'WORKSPACE_BAD_REQUEST' // a local action's input out of range (an invite's expiry)
  | 'WORKSPACE_CORRUPT' // the stored log no longer verifies
  | 'INVITE_BAD_CODE' // an invite code that does not decode, or is mistyped
  | 'JOIN_UNREACHABLE' // none of the invite's addresses answered
  | 'JOIN_REFUSED' // the admin answered with something we cannot accept (a log without our admission)
  | 'MEMBERS_BAD_FRAME' // an undecodable or oversized frame on a workspace protocol
  // Admitting a desk over the network (join-requests.ts, join-offers.ts)
  | 'ADMISSION_NO_REQUEST' // no such desk waiting, no admission under way, or it is no longer connected
  | 'ADMISSION_CODE_MISMATCH' // the code typed is not the one this screen shows
  | 'ADMISSION_REFUSED' // the other desk refused or answered something unusable

export class WorkspaceError extends CodedError<WorkspaceErrorCode> {
  override name = 'WorkspaceError'
}

export function isWorkspaceError (error: unknown): error is WorkspaceError | MembershipError {
  return error instanceof WorkspaceError || error instanceof MembershipError
}

export function codeOf (error: unknown): WorkspaceErrorCode | undefined {
  return isWorkspaceError(error) ? error.code : undefined
}
