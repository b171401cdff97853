// /causette/admission/1.0.0: admitting a desk over the network with a code compared aloud
// (core/workspace/join-requests.ts and join-offers.ts hold the logic). Each stream carries one request frame and one
// answer frame; a `welcome` request is followed by the whole log. Both sides answer a refusal with a
// coded frame; a stream that failed (reset, closed mid-frame, the deadline) is answered nothing. An admin reads at most MAX_ADMISSION_FRAME_BYTES per frame from a stranger.
import type { Connection, Stream } from '@libp2p/interface'
import type { SignedEntry } from '../../crypto/membership-log.js'
import { workspaceCodeOf, WorkspaceError, type WorkspaceErrorCode } from '../errors.js'
import { framedStream } from './framed-stream.js'
import { FailedStreamError, frameError, readEntries, struckFrameError, writeEntries } from './workspace-entries.js'
import { readFrame } from './read-frame.js'
import { ADMISSION_TIMEOUT_MS, MAX_ADMISSION_FRAME_BYTES } from './workspace-limits.js'
import { ADMISSION_PROTOCOL } from './protocol-ids.js'
import { AdmissionFrame } from './workspace.js'
import { ask } from './ask.js'

/** `renamed`: a desk that was asked who it is tells the admin the name its user chose since. */
export type AdmissionKind = 'solicit' | 'offer' | 'accept' | 'decline' | 'welcome' | 'renamed'
/** An answer: the fields of AdmissionFrame that apply, any of them absent. */
export interface AdmissionAnswer {
  workspace?: string
  name?: string
  root?: Uint8Array
  invite?: Uint8Array
  nonce?: Uint8Array
  commitment?: Uint8Array
  request?: Uint8Array
  requestSignature?: Uint8Array
  errorCode?: string
  errorMessage?: string
}
export interface AdmissionMessage extends AdmissionAnswer { kind: AdmissionKind }

/** What the admission logic offers this protocol: answers one request (or throws a coded error). */
export interface AdmissionResponder {
  /** The largest frame to read: a welcome's log for a desk in no workspace, a stranger's small frame for an admin. */
  frameLimit: () => number
  answer: (from: Connection, request: AdmissionMessage, entries: () => Promise<SignedEntry[]>) => Promise<AdmissionAnswer>
}

const EMPTY: AdmissionFrame = {
  kind: '', workspace: '', name: '', root: new Uint8Array(), invite: new Uint8Array(), nonce: new Uint8Array(), commitment: new Uint8Array(),
  request: new Uint8Array(), requestSignature: new Uint8Array(), errorCode: '', errorMessage: ''
}
const KINDS: readonly string[] = ['solicit', 'offer', 'accept', 'decline', 'welcome', 'renamed']

/** Listener side: reads the request, lets `responder` answer, writes the answer or the refusal. */
export async function handleAdmissionStream (stream: Stream, connection: Connection, responder: AdmissionResponder): Promise<void> {
  const signal = AbortSignal.timeout(ADMISSION_TIMEOUT_MS)
  const pb = framedStream(stream, responder.frameLimit())
  try {
    let answer: AdmissionAnswer
    try {
      const request = await readFrame(pb, AdmissionFrame, 'admission request', { signal }).catch(error => { throw struckFrameError(stream, error) })
      // Refused but not struck: a newer desk's honest request may be of a kind this version does not know.
      if (!KINDS.includes(request.kind)) throw new WorkspaceError('MEMBERS_BAD_FRAME', `unknown admission request "${request.kind.slice(0, 32)}"`)
      answer = await responder.answer(connection, request as AdmissionMessage, async () => await readEntries(pb, signal).catch(error => { throw struckFrameError(stream, error) }))
    } catch (error) {
      if (error instanceof FailedStreamError) throw error // nobody to answer
      const code = workspaceCodeOf(error) ?? 'ADMISSION_REFUSED'
      answer = { errorCode: code, errorMessage: workspaceCodeOf(error) !== undefined ? (error as Error).message : 'the other desk could not handle this request' }
    }
    await pb.write({ ...EMPTY, ...answer } as AdmissionFrame, AdmissionFrame, { signal })
    await stream.close({ signal })
  } catch (error) {
    stream.abort(error as Error)
  }
}

/** Dialer side: sends one request (and for a welcome, the log), resolves with the answer or throws its refusal. */
export async function askAdmission (connection: Connection, request: AdmissionMessage, entries?: SignedEntry[]): Promise<AdmissionFrame> {
  const answer = await ask(connection, ADMISSION_PROTOCOL, { timeoutMs: ADMISSION_TIMEOUT_MS, maxFrameBytes: MAX_ADMISSION_FRAME_BYTES }, async (pb, signal) => {
    await pb.write({ ...EMPTY, ...request } as AdmissionFrame, AdmissionFrame, { signal })
    if (entries !== undefined) await writeEntries(pb, entries, signal)
    return await pb.read(AdmissionFrame, { signal }).catch(error => { throw frameError(error) })
  })
  if (answer.errorCode !== '') throw new WorkspaceError(answer.errorCode as WorkspaceErrorCode, answer.errorMessage.slice(0, 300))
  return answer
}
