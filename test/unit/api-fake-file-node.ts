// The fake node with files in memory, for the file routes alone: staged files, attachments in
// given states, their bytes. Integration tests (test/integration/files-api.test.ts) use real nodes.
import { createHash } from 'node:crypto'
import type { AttachmentView, FilesUsage, MessageView, StagedFileView } from '../../core/api/schema.js'
import type { FileUpload, SendOptions } from '../../core/api/node-api.js'
import { CausetteError } from '../../core/errors.js'
import { safeFileName } from '../../core/files/file-name.js'
import { FakeNode } from './api-fake-node.js'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

export class FakeFileNode extends FakeNode {
  readonly staged = new Map<string, StagedFileView>()
  readonly held = new Map<string, { view: AttachmentView, bytes: Uint8Array }>()
  readonly sendOptions: SendOptions[] = []
  /** How many content streams were opened and closed again (a refused inline image must close its own). */
  contentOpened = 0
  contentClosed = 0

  override async stageFile (upload: FileUpload): Promise<StagedFileView> {
    const pieces: Uint8Array[] = []
    for await (const piece of upload.content) pieces.push(piece)
    const bytes = Buffer.concat(pieces)
    const view = { id: `staged-${sha256(bytes).slice(0, 16)}`, name: safeFileName(upload.name), size: bytes.byteLength, type: upload.type, sha256: sha256(bytes) }
    this.staged.set(view.id, view)
    return view
  }

  override async dropStagedFile (id: string): Promise<void> {
    if (!this.staged.delete(id)) throw new CausetteError('NOT_FOUND', `no staged file ${id}`)
  }

  /** An attachment as if received, in a given state. */
  receive (name: string, type: string, bytes: Uint8Array, state: AttachmentView['state'] = 'held'): AttachmentView {
    const view: AttachmentView = { id: sha256(Buffer.concat([Buffer.from('id'), bytes])), name, size: bytes.byteLength, type, sha256: sha256(bytes), state, received: state === 'held' ? bytes.byteLength : 0 }
    this.held.set(view.id, { view, bytes })
    return view
  }

  override async attachment (id: string): Promise<AttachmentView> {
    const found = this.held.get(id)
    if (found === undefined) throw new CausetteError('NOT_FOUND', `no attachment ${id}`)
    return found.view
  }

  override async attachmentContent (id: string): Promise<{ attachment: AttachmentView, content: AsyncIterable<Uint8Array> }> {
    const attachment = await this.attachment(id)
    if (attachment.state !== 'held') throw new CausetteError('FILE_NOT_HELD', `attachment ${id} is ${attachment.state}`)
    const bytes = this.held.get(id)!.bytes
    this.contentOpened++
    const closed = (): void => { this.contentClosed++ }
    async function * content (): AsyncGenerator<Uint8Array> {
      try {
        for (let start = 0; start < bytes.byteLength; start += 4) yield bytes.subarray(start, start + 4)
      } finally { closed() }
    }
    return { attachment, content: content() }
  }

  override async cancelAttachment (id: string): Promise<AttachmentView> { return this.setState(id, 'cancelled') }
  override async retryAttachment (id: string): Promise<AttachmentView> { return this.setState(id, 'fetching') }

  private async setState (id: string, state: AttachmentView['state']): Promise<AttachmentView> {
    const found = this.held.get(id)
    if (found === undefined) throw new CausetteError('NOT_FOUND', `no attachment ${id}`)
    found.view = { ...found.view, state }
    return found.view
  }

  override async filesUsage (): Promise<FilesUsage> {
    const mineBytes = [...this.held.values()].reduce((sum, { view }) => sum + view.size, 0)
    return { limitBytes: 5 * 1024 ** 3, mineBytes, carriedBytes: 0, mineFiles: this.held.size, carriedFiles: 0 }
  }

  override async send (to: string, text: string, options: SendOptions = {}): Promise<MessageView> {
    this.sendOptions.push(options)
    return await super.send(to, text)
  }
}
