// Why the inviting computer could not be reached, as far as the dial's error tells it, and whether
// it is worth waiting for (join.ts). A computer that accepted a connection of this join is there: an
// admin's node admitting a whole office at once holds back connections it accepted (it closes them,
// or leaves them unanswered while its admissions take turns), so joining waits for it. One that never
// accepted any is reported at once, with the reason: nothing listens there, no route to its network,
// or no answer at all (off or asleep, a firewall dropping the connection, another network). One
// whose answering program is not causette is reported at once too.
import type { WorkspaceErrorCode } from '../errors.js'

export type UnreachedCode = Extract<WorkspaceErrorCode, 'JOIN_NOT_RUNNING' | 'JOIN_NO_ROUTE' | 'JOIN_NO_ANSWER'>

/** Node's names of the socket errors of a connection never accepted (libuv gives Windows's WSA errors the same names). */
const BY_SOCKET_ERROR: Record<string, UnreachedCode> = {
  // The computer answered with a reset: nothing listens on that port.
  ECONNREFUSED: 'JOIN_NOT_RUNNING',
  // This computer has no way to that network (no route, or its own network is down).
  ENETUNREACH: 'JOIN_NO_ROUTE',
  ENETDOWN: 'JOIN_NO_ROUTE',
  // On its own network, no computer answered for that address; elsewhere a router said none is there.
  EHOSTUNREACH: 'JOIN_NO_ANSWER',
  EHOSTDOWN: 'JOIN_NO_ANSWER',
  ETIMEDOUT: 'JOIN_NO_ANSWER'
}

/**
 * Why a dial to the inviting computer failed, or undefined when it may only be busy: it accepted a
 * connection of this join (`answered`), or the error says nothing of the network (tried again, as before).
 * A dial that ran out of time before any connection was accepted got no answer at all.
 */
export function unreachedBecause (error: unknown, answered: boolean): UnreachedCode | undefined {
  if (answered) return undefined
  const socketError = (error as { code?: unknown }).code
  if (typeof socketError === 'string' && Object.hasOwn(BY_SOCKET_ERROR, socketError)) return BY_SOCKET_ERROR[socketError]
  const name = (error as { name?: unknown }).name
  return name === 'AbortError' || name === 'TimeoutError' ? 'JOIN_NO_ANSWER' : undefined
}

/**
 * Whether a request's error says the computer that accepted the connection runs another program than
 * causette (a libp2p service without causette's invite protocol): every running causette node answers
 * it, so there is nothing to wait for.
 */
export function answeredByAnotherProgram (error: unknown): boolean {
  return (error as { name?: unknown }).name === 'UnsupportedProtocolError'
}

/** Whether a dial's progress event says the inviting computer accepted the connection (libp2p starts upgrading it). */
export function acceptedBy (event: { type: string }): boolean {
  return event.type.startsWith('upgrader:')
}
