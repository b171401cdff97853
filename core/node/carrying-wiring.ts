// Store-and-forward, wired into the node (built, then started): this node carries for absent members (the Carrier behind
// /causette/carry/1.0.0, handing over when they connect, expiring what is never claimed), and gives
// what waits for an absent member to colleagues who carry it (the transport's `carriers` and `deposit`).
// With the attachment store, the files deposits name are fetched from their authors and held too.
import type { Libp2p, StreamHandler } from '@libp2p/interface'
import { CausetteError, type ErrorCode } from '../errors.js'
import { CarriedFiles, type CarriedFilesComponents } from '../files/carried-files.js'
import { Carrier } from '../messaging/carrier.js'
import type { MessageTransport } from '../messaging/delivery.js'
import type { JournalPort } from '../messaging/journal-port.js'
import { CarrySender, handleCarryStream } from '../protocol/carry-protocol.js'
import { CARRY_SWEEP_MS } from '../protocol/limits.js'
import { CARRY_PROTOCOL } from '../protocol/protocol-ids.js'
import type { Ack, Envelope } from '../protocol/frames.js'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'
import type { GroupCommit } from '../store/group-commit.js'

export interface CarryingComponents<Entry> {
  host: Libp2p
  db: Database
  commit: Pick<GroupCommit<Entry, BatchOp>, 'write'>
  journal: Pick<JournalPort<Entry>, 'carried'>
  /** A member of our workspace (or, without one, a known contact) other than ourselves. */
  isMember: (peer: string) => boolean
  isConnected: (peer: string) => boolean
  /** Sends on the message protocol (hand-over to the recipient). */
  send: (peer: string, envelope: Envelope) => Promise<Ack>
  /** Wraps the protocol handler (members only, abuse limits). */
  guard: (handler: StreamHandler) => StreamHandler
  log: (format: string, ...args: unknown[]) => void
  /** The node's attachment store: without it, deposits' files are not carried (their messages are). */
  files?: Pick<CarriedFilesComponents, 'store' | 'holderLink' | 'onHolderFault'>
}

export interface Carrying {
  carrier: Carrier<unknown>
  transport: Pick<MessageTransport, 'carriers' | 'deposit'>
  /** A member connected: hand over what we hold for it. */
  connected: (peer: string) => void
  /** Registers the carry protocol and starts sweeping what expired. */
  start: () => Promise<void>
  stop: () => Promise<void>
}

export async function buildCarrying<Entry> (components: CarryingComponents<Entry>): Promise<Carrying> {
  const files = carriedFilesOf(components)
  const carrier = await Carrier.load<Entry>({ ...components, mayCarryFor: components.isMember, files })
  const sender = new CarrySender(components.host)
  const sweep = (): void => {
    void carrier.sweep().then(async () => await files?.sweep()).catch(error => { components.log('could not drop expired carried items: %e', error) })
  }
  let timer: ReturnType<typeof setInterval> | undefined
  return {
    carrier: carrier as Carrier<unknown>,
    transport: {
      carriers: recipient => [...new Set(components.host.getConnections().filter(c => c.status === 'open').map(c => c.remotePeer.toString()))]
        .filter(peer => peer !== recipient && components.isMember(peer)),
      deposit: async (carrierPeer, recipient, sealed, files) => {
        const ack = await sender.send(carrierPeer, { recipient, sealed: sealed as Uint8Array<ArrayBuffer>, files: [...files] })
        if (ack.errorCode !== '') throw new CausetteError(ack.errorCode as ErrorCode, ack.errorMessage)
      }
    },
    connected: peer => {
      carrier.handOver(peer)
      files?.connected(peer)
    },
    start: async () => {
      await components.host.handle(CARRY_PROTOCOL, components.guard((stream, connection) => { void handleCarryStream(stream, connection, carrier) }))
      sweep()
      timer = setInterval(sweep, CARRY_SWEEP_MS)
      timer.unref()
    },
    stop: async () => {
      clearInterval(timer)
      sender.stop()
      await carrier.drain()
      await files?.drain()
    }
  }
}

function carriedFilesOf (components: CarryingComponents<unknown>): CarriedFiles | undefined {
  if (components.files === undefined) return undefined
  const { isConnected, log } = components
  return new CarriedFiles({ ...components.files, isConnected, log })
}
