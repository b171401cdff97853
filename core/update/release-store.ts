// Releases in the profile directory, under updates/:
//   releases/<version>/release.note      the signed manifest
//   releases/<version>/<file name>       executables, each whole and verified before it is moved here
//   partial/<version>-<target>.part      a download: only chunks already proven, so its length is the resume point
//   staging-<random>/                    a bundle being read; removed if it is refused
//   pause.json                           the workspace's latest signed pause decision
// Only a verified file is ever renamed into releases/, so what is there is trusted as it is.
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { NoteKey } from '../../crypto/signed-note.js'
import { fromBase64, toBase64 } from '../../crypto/encoding.js'
import { readJsonFile, writeSecretFile } from '../profile/files.js'
import { openManifest, type ReleaseFile, type SignedManifest } from './manifest.js'
import type { SignedPauseDecision } from './pause.js'
import { compareVersions, isVersion } from '../runtime/version.js'

const NOTE_FILE = 'release.note'

export interface HeldRelease {
  manifest: SignedManifest
  /** Targets whose files are here whole. */
  complete: string[]
}

export class ReleaseStore {
  readonly #root: string

  constructor (home: string) {
    this.#root = join(home, 'updates')
  }

  filePath (version: string, file: ReleaseFile): string {
    return join(this.#root, 'releases', version, file.name)
  }

  partialPath (version: string, file: ReleaseFile): string {
    return join(this.#root, 'partial', `${version}-${file.target}.part`)
  }

  async newStaging (): Promise<string> {
    await mkdir(this.#root, { recursive: true, mode: 0o700 })
    return await mkdtemp(join(this.#root, 'staging-'))
  }

  async discard (path: string): Promise<void> {
    await rm(path, { recursive: true, force: true })
  }

  /** Makes a staged release (its files verified) the held one, in one rename; older releases go. */
  async commitStaging (staging: string, manifest: SignedManifest): Promise<void> {
    await writeFile(join(staging, NOTE_FILE), manifest.note)
    await mkdir(join(this.#root, 'releases'), { recursive: true, mode: 0o700 })
    await rename(staging, join(this.#root, 'releases', manifest.version))
    await this.#dropOlderThan(manifest.version)
  }

  /** Keeps a newer manifest learnt from a colleague, before any of its files. */
  async adopt (manifest: SignedManifest): Promise<void> {
    const dir = join(this.#root, 'releases', manifest.version)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await writeFile(join(dir, NOTE_FILE), manifest.note)
    await this.#dropOlderThan(manifest.version)
  }

  /** Moves a download, verified whole, into its release. */
  async completePartial (manifest: SignedManifest, file: ReleaseFile): Promise<void> {
    await rename(this.partialPath(manifest.version, file), this.filePath(manifest.version, file))
  }

  async partialLength (version: string, file: ReleaseFile): Promise<number> {
    try {
      return (await stat(this.partialPath(version, file))).size
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
      throw error
    }
  }

  /** The newest release held whose manifest still verifies with `key`, and which of its files are whole. */
  async newest (key: NoteKey): Promise<HeldRelease | undefined> {
    const versions = (await this.#versions()).sort(compareVersions).reverse()
    for (const version of versions) {
      let manifest: SignedManifest
      try {
        manifest = openManifest(await readFile(join(this.#root, 'releases', version, NOTE_FILE), 'utf8'), key)
      } catch {
        continue // a manifest by another key (a test build's profile), or half written: not ours to trust
      }
      if (manifest.version !== version) continue
      const complete: string[] = []
      for (const file of manifest.files) {
        const size = await stat(this.filePath(version, file)).then(s => s.size, () => -1)
        if (size === file.size) complete.push(file.target)
      }
      return { manifest, complete }
    }
    return undefined
  }

  async loadPause (): Promise<SignedPauseDecision | undefined> {
    const saved = await readJsonFile<{ bytes: string, signature: string }>(join(this.#root, 'pause.json'))
    return saved === undefined ? undefined : { bytes: fromBase64(saved.bytes), signature: fromBase64(saved.signature) }
  }

  async savePause (decision: SignedPauseDecision): Promise<void> {
    await mkdir(this.#root, { recursive: true, mode: 0o700 })
    await writeSecretFile(join(this.#root, 'pause.json'), JSON.stringify({ bytes: toBase64(decision.bytes), signature: toBase64(decision.signature) }))
  }

  async #versions (): Promise<string[]> {
    const names = await readdir(join(this.#root, 'releases')).catch(() => [] as string[])
    return names.filter(isVersion)
  }

  async #dropOlderThan (version: string): Promise<void> {
    for (const old of (await this.#versions()).filter(v => compareVersions(v, version) < 0)) {
      await rm(join(this.#root, 'releases', old), { recursive: true, force: true })
    }
    const partials = await readdir(join(this.#root, 'partial')).catch(() => [] as string[])
    for (const name of partials.filter(n => !n.startsWith(`${version}-`))) await rm(join(this.#root, 'partial', name), { force: true })
  }
}
