// This desk's own profile as the running node holds it: the device identity, the settings (saved in
// the profile on every change), the signed device record colleagues receive, whether a photo and a
// passphrase are set. Built first: every other part of the node reads it.
import { defaultColor, signDeviceRecord } from '../../crypto/device-record.js'
import type { DeviceKeys } from '../../crypto/device-keys.js'
import type { Signer } from '../../crypto/signing.js'
import type { PhotoRef } from '../profile/photo.js'
import { checkName, saveSettings, type Settings } from '../profile/settings.js'
import type { SignedRecord } from '../protocol/frames.js'

/** This device as messaging, channels and updates sign for it. */
export interface SigningDevice {
  peerId: string
  deviceKey: Uint8Array
  sign: Signer
}

export interface NodeProfileInit {
  home: string
  keys: DeviceKeys
  device: SigningDevice
  settings: Settings
  /** Only a stopped node's profile can change it. */
  passphraseSet: boolean
  /** Our photo as colleagues are told of it (in our signed presence), null without one. */
  photo: PhotoRef | null
  now: () => number
}

export class NodeProfile {
  readonly home: string
  readonly keys: DeviceKeys
  readonly device: SigningDevice
  readonly passphraseSet: boolean
  photo: PhotoRef | null
  readonly #init: NodeProfileInit
  #settings: Settings
  /** The last settings change asked, settled (changeSettings). */
  #settingsSaved: Promise<unknown> = Promise.resolve()
  #signedRecord: SignedRecord

  constructor (init: NodeProfileInit) {
    this.#init = init
    this.home = init.home
    this.keys = init.keys
    this.device = init.device
    this.passphraseSet = init.passphraseSet
    this.photo = init.photo
    this.#settings = init.settings
    this.#signedRecord = this.#makeRecord()
  }

  get settings (): Settings { return this.#settings }

  get photoSet (): boolean { return this.photo !== null }

  /** Our device record as last signed (sent on every record exchange). */
  get signedRecord (): SignedRecord { return this.#signedRecord }

  get color (): string { return defaultColor(this.keys.device.publicKey) }

  /**
   * Saved first: settings the disk refused (STORAGE_UNAVAILABLE) never take effect. One change at a
   * time, each made on the settings the one before left: two switches clicked faster than a save both
   * read the same settings, and the last save put back what the other had changed.
   */
  async changeSettings (change: (current: Settings) => Settings): Promise<Settings> {
    const turn = this.#settingsSaved.then(async () => {
      const settings = change(this.#settings)
      await saveSettings(this.home, settings)
      this.#settings = settings
      return settings
    })
    this.#settingsSaved = turn.catch(() => {})
    return await turn
  }

  /** The user chose a name: saved, and our device record signed again with it. */
  async rename (name: string): Promise<void> {
    const checked = checkName(name)
    await this.changeSettings(current => ({ ...current, name: checked, nameChosen: true }))
    this.#signedRecord = this.#makeRecord()
  }

  #makeRecord (): SignedRecord {
    const { bytes, signature } = signDeviceRecord(this.device.sign, {
      device: this.keys.device.publicKey,
      identityKey: this.keys.identity.publicKey,
      prekeyId: this.keys.prekey.id,
      prekey: this.keys.prekey.publicKey,
      name: this.#settings.name,
      color: defaultColor(this.keys.device.publicKey),
      updated: this.#init.now()
    })
    return { record: bytes as Uint8Array<ArrayBuffer>, signature: signature as Uint8Array<ArrayBuffer> }
  }
}
