// Files and images wired into the node (docs/files.md): the attachment store under the profile's
// `files/` with the limit of the settings, the files service (staged files, attachment records, the
// fetch queue) over two sealed sub-databases, the /causette/file/1.0.0 holder (members only, under
// the per-peer limits, the store as its ChunkHolder), holders dialled as libp2p HolderLinks, holder
// faults journaled, and every change of an attachment told as an `attachment` event. Built before
// the channels and the messenger (their views show attachments); started with the other protocols.
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { AttachmentStore } from '../files/attachment-store.js'
import type { AttachmentRecord } from '../files/attachment-index.js'
import type { CarriedFilesComponents } from '../files/carried-files.js'
import type { HolderFault } from '../files/fetcher.js'
import { FileService } from '../files/file-service.js'
import type { RecordTable } from '../files/record-table.js'
import type { StagedValue } from '../files/staged-files.js'
import { fileFaultEntry, type JournalEntry } from '../journal/entry.js'
import { storedBody } from '../messaging/body.js'
import { handleFileStream } from '../protocol/file-protocol.js'
import type { HolderLink } from '../protocol/file-ports.js'
import { libp2pHolderLink } from '../protocol/file-requester.js'
import { FILE_PROTOCOL } from '../protocol/protocol-ids.js'
import type { PeerLimits } from '../protocol/peer-limits.js'
import type { HandlerLimit } from '../protocol/stream-limiter.js'
import type { Database } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import type { WorkspaceService } from '../workspace/service.js'
import type { AttachmentView } from '../api/schema.js'
import type { EventLog } from './events.js'
import { streamPacer } from './stream-pacer.js'

export interface FilesWiring {
  home: string
  db: Pick<Database, 'attachments' | 'stagedFiles'>
  host: Libp2p
  ws: WorkspaceService
  limited: HandlerLimit
  limits: Pick<PeerLimits, 'strike'>
  isMember: (peer: string) => boolean
  self: string
  limitBytes: number
  journal: (entry: JournalEntry) => Promise<void>
  events: EventLog
  log: (format: string, ...args: unknown[]) => void
  now: () => number
}

export interface WiredFiles {
  service: FileService
  /** What a carrier needs to hold the files of what it carries (core/node/carrying-wiring.ts). */
  carried: Pick<CarriedFilesComponents, 'store' | 'holderLink' | 'onHolderFault'>
  /** A message stored here (sent or received): its attachments get their records and fetches. */
  noteStored: (message: MessageRecord) => void
  /** A message's attachments as the API shows them now; undefined when it carries none. */
  attachmentsOf: (message: MessageRecord) => AttachmentView[] | undefined
  start: () => Promise<void>
  stop: () => void
}

export async function buildFiles (components: FilesWiring): Promise<WiredFiles> {
  const { host, ws, log } = components
  const store = await AttachmentStore.open(components.home, { limitBytes: components.limitBytes })
  const pace = streamPacer()
  const connectedMembers = (): string[] => [...new Set(host.getConnections().filter(c => c.status === 'open').map(c => c.remotePeer.toString()))]
    .filter(peer => peer !== components.self && components.isMember(peer))
  const holderLink = (peer: string): HolderLink => libp2pHolderLink(host, peerIdFromString(peer), { beforeDial: async () => { await pace(peer) } })
  const holderFault = (fault: HolderFault): void => {
    log('files: %s served a bad copy of %s: %s %s', fault.peer, fault.fileId, fault.code, fault.message)
    void components.journal(fileFaultEntry({ time: components.now(), peer: fault.peer, file: fault.fileId, code: fault.code }))
      .catch(error => { log('files: could not journal a holder fault: %e', error) })
  }
  const service = await FileService.load({
    store,
    records: sublevelTable<AttachmentRecord>(components.db.attachments),
    staged: sublevelTable<StagedValue>(components.db.stagedFiles),
    self: components.self,
    connectedMembers,
    holderLink,
    holderFault,
    changed: attachment => { components.events.emit({ type: 'attachment', attachment }) },
    now: components.now,
    log
  })

  const noteStored = (message: MessageRecord): void => {
    const attachments = attachmentsIn(message)
    if (attachments === undefined) return
    void service.noteMessage({ id: message.id, author: message.author }, attachments).catch(error => { log('files: could not note the attachments of %s: %e', message.id, error) })
  }

  return {
    service,
    carried: { store, holderLink, onHolderFault: holderFault },
    noteStored,
    attachmentsOf: message => {
      const attachments = attachmentsIn(message)
      if (attachments === undefined) return undefined
      // A message stored just before a crash, its attachments not noted yet: noted now.
      if (!service.knows(attachments, message.author)) noteStored(message)
      return service.shown(attachments, message.author)
    },
    start: async () => {
      await host.handle(FILE_PROTOCOL, components.limited(FILE_PROTOCOL, ws.membersOnly((stream, connection) => {
        void handleFileStream(stream, connection, store, { strike: (peer, code, message) => { components.limits.strike(peer, code, message) } })
      })))
      host.addEventListener('connection:open', event => {
        if (components.isMember(event.detail.remotePeer.toString())) service.memberConnected()
      })
      service.start()
    },
    stop: () => { service.stop() }
  }
}

/** The attachments a stored message carries (none for an amendment); cheap for a message without. */
function attachmentsIn (message: MessageRecord): NonNullable<ReturnType<typeof storedBody>['attachments']> | undefined {
  if (message.amends !== undefined || !message.text.includes('"attachments"')) return undefined
  return storedBody(message.text).attachments
}

/** A sealed sub-database as the RecordTable core/files keeps its records in. */
function sublevelTable<V> (sublevel: Database['attachments']): RecordTable<V> {
  return {
    put: async (key, value) => { await sublevel.put(key, value) },
    del: async key => { await sublevel.del(key) },
    entries: async function * () {
      for await (const [key, value] of sublevel.iterator()) yield [key, value as V]
    }
  }
}
