// The update service: keeps the newest signed release this node knows, takes one from an admin
// (apply), learns of one from colleagues' announces, fetches this node's own file from any
// colleague that holds it, serves the files it holds, honours the workspace's pause, and hands a
// verified file for its own target to the ReleaseInstaller. Every release is checked here with the
// release key alone: whoever hands it over (an admin, a colleague) can never make a node run code
// the release key did not sign.
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import type { Signer } from '../../crypto/signing.js'
import type { NoteKey } from '../../crypto/signed-note.js'
import type { UpdateDownload, UpdateStatus } from './status.js'
import { CausetteError, codedError, type ErrorCode } from '../errors.js'
import { updateEntry, type JournalEntry } from '../journal/entry.js'
import type { Chunk, ChunkRequest, UpdateAnnounce } from '../protocol/update-protocol.js'
import { readBundle } from './bundle.js'
import { CHUNK_BYTES, chunkCount, digestFile, inclusionProof } from './chunks.js'
import { summariseDesks } from './desks.js'
import { diskFullOr, fetchReleaseFile, orderSources } from './fetcher.js'
import type { ReleaseInstaller } from './installer.js'
import { fileFor, openManifest, releaseNoteKey, type ReleaseFile, type SignedManifest } from './manifest.js'
import { openPauseDecision, signPauseDecision, type PauseDecision, type SignedPauseDecision } from './pause.js'
import { ReleaseStore, type HeldRelease } from './release-store.js'
import { compareVersions } from '../runtime/version.js'

export interface UpdateServiceInit {
  home: string
  /** The release key (a note verifier key string): release-key.ts's, or a test's. */
  releaseKey: string
  /** This node's version and target (core/runtime/build-info.ts). */
  running: string
  target: string
  installer: ReleaseInstaller
  self: { peerId: string, deviceKey: Uint8Array, sign: Signer }
  workspaceId: () => string | undefined
  isAdmin: (peerId: string) => boolean
  members: () => Array<{ peerId: string, name: string }>
  /** Members connected now: who hears our announces. */
  connectedMembers: () => string[]
  exchange: (peer: string, ours: UpdateAnnounce) => Promise<UpdateAnnounce>
  chunks: (peer: string, request: ChunkRequest, end: number) => AsyncIterable<Chunk>
  journal: (entry: JournalEntry) => Promise<void>
  /** The status changed (for the app's event stream). */
  changed: () => void
  log: (format: string, ...args: unknown[]) => void
  now: () => number
  /** How long a download the full disk stopped waits before it tries again; default DISK_FULL_RETRY_MS. */
  diskFullRetryMs?: number
}

/** A download the full disk stopped tries again this often (and at each announce): room may come back at any time. */
export const DISK_FULL_RETRY_MS = 30_000

/** Refused manifests and decisions remembered so that each is journaled once (a member cannot grow this without bound). */
const MAX_REMEMBERED_REFUSALS = 1024

const manifestHash = (manifest: SignedManifest): string => createHash('sha256').update(manifest.note).digest('base64')

export class UpdateService {
  readonly #init: UpdateServiceInit
  readonly #key: NoteKey
  readonly #store: ReleaseStore
  #held: HeldRelease | undefined
  #pause: { signed: SignedPauseDecision, decision: PauseDecision } | undefined
  /** What each colleague runs and which files of which release it holds, from its announces. */
  readonly #versions = new Map<string, string>()
  readonly #holders = new Map<string, { version: string, targets: string[] }>()
  /**
   * Colleagues that served a chunk the held release's manifest does not prove: not asked for it
   * again while the node runs, whatever they announce (each announce made another fetch and
   * another journal entry). At most one per member; emptied with a new release.
   */
  readonly #liars = new Set<string>()
  /** Manifests and decisions already refused (one announced again is not journaled again); bounded. */
  readonly #refused = new Set<string>()
  /**
   * `peer!code` of the refused announces journaled: one entry each while the node runs. Each text is
   * refused once, but a colleague may make up texts without end, and the journal is never trimmed.
   */
  readonly #journaledRefusals = new Set<string>()
  /** Leaf hashes of files we serve, by path (32 bytes per chunk). */
  readonly #leaves = new Map<string, Promise<Uint8Array[]>>()
  #download: UpdateDownload | undefined
  #handedOver: string | undefined
  /** A version the installer refused: not offered again until the next start. */
  #installRefused: string | undefined
  #advancing: Promise<void> = Promise.resolve()
  /** The next try of a download the full disk stopped. */
  #diskFullRetry: NodeJS.Timeout | undefined
  /** The version learnt from a colleague whose manifest is not saved yet (#advanceOnce saves it, or waits for room). */
  #unsaved: string | undefined
  #stopped = false

  constructor (init: UpdateServiceInit) {
    this.#init = init
    this.#key = releaseNoteKey(init.releaseKey)
    this.#store = new ReleaseStore(init.home)
  }

  async start (): Promise<void> {
    this.#held = await this.#store.newest(this.#key)
    const saved = await this.#store.loadPause()
    if (saved !== undefined) {
      try { this.#pause = { signed: saved, decision: openPauseDecision(saved) } } catch { /* a damaged file: as if none */ }
    }
    this.#versions.set(this.#init.self.peerId, this.#init.running)
    this.#advance()
  }

  stop (): void {
    this.#stopped = true
    clearTimeout(this.#diskFullRetry)
  }

  /** Resolves once the work queued so far (fetching, handing over) is done. */
  async idle (): Promise<void> { await this.#advancing }

  get paused (): boolean { return this.#pause?.decision.paused === true && this.#pause.decision.workspace === this.#init.workspaceId() }

  /** What we tell colleagues. */
  announcement (): UpdateAnnounce {
    return {
      running: this.#init.running,
      manifest: this.#held?.manifest.note ?? '',
      targets: this.#held?.complete ?? [],
      pauseDecision: (this.#pause?.signed.bytes ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>,
      pauseSignature: (this.#pause?.signed.signature ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>
    }
  }

  /** A colleague's announce arrived on its stream: note it (checked asynchronously), answer ours. */
  announced (peer: string, theirs: UpdateAnnounce): UpdateAnnounce {
    void this.#consider(peer, theirs).catch(error => { this.#init.log('update: announce from %s: %e', peer, error) })
    return this.announcement()
  }

  /** Tells a colleague what we hold, and learns what it holds. */
  async greet (peer: string): Promise<void> {
    await this.#consider(peer, await this.#init.exchange(peer, this.announcement()))
  }

  announceToAll (): void {
    for (const peer of this.#init.connectedMembers()) void this.greet(peer).catch(error => { this.#init.log('update: announce to %s: %e', peer, error) })
  }

  /** An admin hands over a release bundle. Refusals are journaled and leave nothing on disk. */
  async apply (source: AsyncIterable<Uint8Array>): Promise<SignedManifest> {
    const staging = await this.#store.newStaging()
    try {
      this.#requireAdmin('apply a release')
      const manifest = await readBundle(source, this.#key, {
        accept: manifest => { this.#checkNewer(manifest); this.#checkOwnTarget(manifest) },
        pathOf: file => join(staging, file.name)
      })
      await this.#store.commitStaging(staging, manifest)
      this.#held = { manifest, complete: manifest.files.map(f => f.target) }
      await this.#journal({ action: 'applied', version: manifest.version, manifest: manifestHash(manifest) })
      this.#changed()
      this.announceToAll()
      this.#advance()
      return manifest
    } catch (error) {
      await this.#store.discard(staging)
      await this.#journal({ action: 'refused', code: codedError(error)?.code ?? 'INTERNAL' })
      throw error
    }
  }

  /** An admin pauses or resumes updates for the whole workspace (a signed decision colleagues check). */
  async setPaused (paused: boolean): Promise<void> {
    this.#requireAdmin(paused ? 'pause updates' : 'resume updates')
    const workspace = this.#init.workspaceId()!
    const issued = Math.max(this.#init.now(), (this.#pause?.decision.issued ?? 0) + 1)
    const signed = signPauseDecision(this.#init.self.sign, this.#init.self.deviceKey, { workspace, paused, issued })
    await this.#acceptPause(signed)
    this.announceToAll()
  }

  /** Serves chunks of a file we hold whole, from `request.first` on, each with its proof. */
  async * chunks (_peer: string, request: ChunkRequest): AsyncGenerator<Chunk> {
    const manifest = this.#held?.manifest
    const file = manifest === undefined ? undefined : fileFor(manifest, request.target)
    if (manifest === undefined || file === undefined || manifest.version !== request.version || !this.#held!.complete.includes(file.target)) {
      throw new CausetteError('UPDATE_NOT_HELD', `no whole file of ${request.target} ${request.version} here`)
    }
    const path = this.#store.filePath(manifest.version, file)
    const leaves = await this.#leavesOf(path)
    const handle = await open(path, 'r')
    try {
      for (let index = request.first; index < chunkCount(file.size); index++) {
        const data = new Uint8Array(Math.min(CHUNK_BYTES, file.size - index * CHUNK_BYTES))
        await handle.read(data, 0, data.byteLength, index * CHUNK_BYTES)
        yield { index, data, proof: inclusionProof(leaves, index) as Array<Uint8Array<ArrayBuffer>>, errorCode: '', errorMessage: '' }
      }
    } finally {
      await handle.close()
    }
  }

  status (): UpdateStatus {
    const admin = this.#pause?.decision
    const summary = summariseDesks(this.#init.members(), this.#init.self.peerId, this.#versions, this.#held?.manifest.version)
    return {
      running: this.#init.running,
      target: this.#init.target,
      releaseKey: this.#init.releaseKey,
      installer: this.#init.installer.description,
      paused: this.paused && admin !== undefined ? { by: admin.signer, name: this.#init.members().find(m => m.peerId === admin.signer)?.name ?? admin.signer, at: admin.issued } : null,
      release: this.#held === undefined ? null : { version: this.#held.manifest.version, targets: this.#held.manifest.files.map(f => f.target), held: this.#held.complete },
      download: this.#download ?? null,
      ...summary
    }
  }

  async #consider (peer: string, theirs: UpdateAnnounce): Promise<void> {
    this.#versions.set(peer, theirs.running)
    if (theirs.pauseDecision.byteLength > 0) await this.#considerPause(peer, { bytes: theirs.pauseDecision, signature: theirs.pauseSignature })
    if (theirs.manifest !== '') await this.#considerRelease(peer, theirs.manifest, theirs.targets)
    this.#changed()
    this.#advance()
  }

  async #considerRelease (peer: string, note: string, targets: string[]): Promise<void> {
    if (this.#refused.has(note)) return
    let manifest: SignedManifest
    try {
      manifest = openManifest(note, this.#key)
    } catch (error) {
      this.#rememberRefused(note)
      await this.#journalRefusal(peer, codedError(error)?.code ?? 'UPDATE_BAD_MANIFEST')
      return
    }
    this.#holders.set(peer, { version: manifest.version, targets })
    if (this.#held !== undefined && compareVersions(manifest.version, this.#held.manifest.version) <= 0) return
    if (compareVersions(manifest.version, this.#init.running) <= 0) return
    this.#held = { manifest, complete: [] }
    this.#liars.clear()
    this.#unsaved = manifest.version
    this.#download = undefined
    await this.#journal({ action: 'adopted', version: manifest.version, peer, manifest: manifestHash(manifest) })
    this.announceToAll()
  }

  async #considerPause (peer: string, signed: SignedPauseDecision): Promise<void> {
    try {
      if (await this.#acceptPause(signed)) this.announceToAll() // passed on, so it reaches desks the admin cannot
    } catch (error) {
      if (codedError(error)?.code !== 'UPDATE_BAD_DECISION') throw error
      const id = Buffer.from(signed.signature).toString('base64')
      if (this.#refused.has(id)) return
      this.#rememberRefused(id)
      await this.#journalRefusal(peer, 'UPDATE_BAD_DECISION')
    }
  }

  /** A decision counts if an admin of our workspace signed it and it is newer than ours; true if it was. */
  async #acceptPause (signed: SignedPauseDecision): Promise<boolean> {
    const decision = openPauseDecision(signed)
    if (decision.workspace !== this.#init.workspaceId()) throw new CausetteError('UPDATE_BAD_DECISION', 'pause decision: for another workspace')
    if (!this.#init.isAdmin(decision.signer)) throw new CausetteError('UPDATE_BAD_DECISION', 'pause decision: not signed by an admin of this workspace')
    if (this.#pause !== undefined && decision.issued <= this.#pause.decision.issued) return false
    await this.#store.savePause(signed)
    this.#pause = { signed, decision }
    await this.#journal({ action: decision.paused ? 'paused' : 'resumed', peer: decision.signer })
    this.#changed()
    this.#advance()
    return true
  }

  /** Journals a colleague's refused announce, once per colleague and code; the next ones are logged only. */
  async #journalRefusal (peer: string, code: ErrorCode): Promise<void> {
    const key = `${peer}!${code}`
    if (this.#journaledRefusals.has(key)) {
      this.#init.log('update: %s announced another text refused with %s (journaled once)', peer, code)
      return
    }
    if (this.#journaledRefusals.size >= MAX_REMEMBERED_REFUSALS) this.#journaledRefusals.clear()
    this.#journaledRefusals.add(key)
    await this.#journal({ action: 'refused', peer, code })
  }

  #rememberRefused (id: string): void {
    if (this.#refused.size >= MAX_REMEMBERED_REFUSALS) this.#refused.clear()
    this.#refused.add(id)
  }

  #requireAdmin (what: string): void {
    if (this.#init.workspaceId() === undefined) throw new CausetteError('WORKSPACE_NONE', `only an admin of a workspace may ${what}`)
    if (!this.#init.isAdmin(this.#init.self.peerId)) throw new CausetteError('WORKSPACE_NOT_ADMIN', `only an admin may ${what}`)
  }

  #checkNewer (manifest: SignedManifest): void {
    const floor = this.#held !== undefined && compareVersions(this.#held.manifest.version, this.#init.running) > 0 ? this.#held.manifest.version : this.#init.running
    if (compareVersions(manifest.version, floor) <= 0) {
      throw new CausetteError('UPDATE_NOT_NEWER', `release ${manifest.version} is not newer than ${floor}${floor === this.#init.running ? ', which this node runs' : ', which this node holds'}: never a downgrade`)
    }
  }

  #checkOwnTarget (manifest: SignedManifest): void {
    if (fileFor(manifest, this.#init.target) === undefined) {
      throw new CausetteError('UPDATE_WRONG_TARGET', `release ${manifest.version} has no executable for this node's platform (${this.#init.target}); it has ${manifest.files.map(f => f.target).join(', ')}`)
    }
  }

  /** Moves our own file forward: fetch it, then hand it over. One run at a time. */
  #advance (): void {
    this.#advancing = this.#advancing.then(async () => { await this.#advanceOnce() }).catch(error => { this.#init.log('update: %e', error) })
  }

  async #advanceOnce (): Promise<void> {
    const held = this.#held
    const file = held === undefined ? undefined : fileFor(held.manifest, this.#init.target)
    if (this.#stopped || held === undefined || file === undefined || compareVersions(held.manifest.version, this.#init.running) <= 0) return
    if (this.#unsaved === held.manifest.version) {
      if (!await this.#unlessDiskFull(held.manifest, file, async () => { await this.#store.adopt(held.manifest); return true })) return
      if (this.#unsaved === held.manifest.version) this.#unsaved = undefined
    }
    if (this.paused) { this.#setDownload({ target: file.target, bytes: 0, size: file.size, state: 'paused' }); return }
    if (!held.complete.includes(file.target)) {
      const holders = [...this.#holders].filter(([peer, h]) => h.version === held.manifest.version && h.targets.includes(file.target) && !this.#liars.has(peer) && this.#init.connectedMembers().includes(peer))
      const sources = orderSources(this.#init.self.peerId, holders.map(([peer]) => peer))
      this.#setDownload({ target: file.target, bytes: await this.#store.partialLength(held.manifest.version, file), size: file.size, state: sources.length === 0 ? 'waiting' : 'fetching' })
      if (sources.length === 0) return
      const done = await this.#unlessDiskFull(held.manifest, file, async () => await fetchReleaseFile({
        store: this.#store,
        manifest: held.manifest,
        file,
        sources,
        chunks: this.#init.chunks,
        progress: (bytes, source) => { this.#setDownload({ target: file.target, bytes, size: file.size, state: 'fetching', source }) },
        refused: (peer, error) => {
          if (this.#held === held) this.#liars.add(peer) // not asked again for this release
          void this.#journal({ action: 'refused', version: held.manifest.version, target: file.target, peer, code: error.code })
        },
        log: this.#init.log
      }))
      if (!done || this.#held !== held) { if (this.#download?.state !== 'waiting') this.#setDownload({ ...this.#download!, state: 'waiting' }); return }
      held.complete.push(file.target)
      await this.#journal({ action: 'fetched', version: held.manifest.version, target: file.target })
      this.announceToAll()
    }
    await this.#handOver(held, file)
  }

  /**
   * `work` (saving the manifest, fetching the file), or false with the download `waiting` for room,
   * said in words, and tried again later.
   */
  async #unlessDiskFull (manifest: SignedManifest, file: ReleaseFile, work: () => Promise<boolean>): Promise<boolean> {
    try {
      return await work()
    } catch (caught) {
      const error = diskFullOr(caught, manifest, file)
      if (codedError(error)?.code !== 'STORAGE_UNAVAILABLE') throw error
      this.#init.log('update: %s', (error as Error).message)
      this.#setDownload({ target: file.target, bytes: await this.#store.partialLength(manifest.version, file), size: file.size, state: 'waiting', error: (error as Error).message })
      clearTimeout(this.#diskFullRetry)
      this.#diskFullRetry = setTimeout(() => { this.#advance() }, this.#init.diskFullRetryMs ?? DISK_FULL_RETRY_MS)
      this.#diskFullRetry.unref()
      return false
    }
  }

  async #handOver (held: HeldRelease, file: NonNullable<ReturnType<typeof fileFor>>): Promise<void> {
    if (this.paused || this.#handedOver === held.manifest.version || this.#installRefused === held.manifest.version) return
    const release = { version: held.manifest.version, target: file.target, path: this.#store.filePath(held.manifest.version, file), sha256: file.sha256 }
    try {
      await this.#init.installer.install(release)
      this.#handedOver = held.manifest.version
      this.#setDownload({ target: file.target, bytes: file.size, size: file.size, state: 'handed-over' })
      await this.#journal({ action: 'handed-over', version: release.version, target: release.target })
    } catch (error) {
      this.#installRefused = held.manifest.version
      this.#setDownload({ target: file.target, bytes: file.size, size: file.size, state: 'failed', error: (error as Error).message })
    }
  }

  async #leavesOf (path: string): Promise<Uint8Array[]> {
    let leaves = this.#leaves.get(path)
    if (leaves === undefined) {
      leaves = digestFile(path).then(d => d.leaves)
      this.#leaves.set(path, leaves)
      leaves.catch(() => { this.#leaves.delete(path) })
    }
    return await leaves
  }

  #setDownload (download: UpdateDownload): void {
    this.#download = download
    this.#changed()
  }

  #changed (): void {
    if (!this.#stopped) this.#init.changed()
  }

  async #journal (fields: Omit<Parameters<typeof updateEntry>[0], 'time'>): Promise<void> {
    await this.#init.journal(updateEntry({ time: this.#init.now(), ...fields })).catch(error => { this.#init.log('update: could not journal %s: %e', fields.action, error) })
  }
}
