// What starts a node (NodeOptions) and what a started node offers (CausetteNode: NodeApi and more).
import type { NodeApi } from '../api/node-api.js'
import type { DesktopNotifier } from '../desk/desktop-notifier.js'
import type { ThisDesk } from '../desk/start-at-login.js'
import type { PassphraseSource } from '../profile/master-key.js'
import type { PeerLimits } from '../protocol/peer-limits.js'
import type { HeldProfile } from '../store/database.js'
import type { WorkspaceService } from '../workspace/service.js'
import type { UpdateOptions } from './update-wiring.js'

export interface NodeOptions {
  /** Profile directory; default $CAUSETTE_HOME or ~/.causette */
  home?: string
  /** Display name; saved in the profile. Default: the saved one, else the OS user name. */
  name?: string
  /** libp2p TCP port; default DEFAULT_P2P_PORT, 0 for a random one. */
  port?: number
  listenHost?: string
  /** mDNS discovery; only ever on for a real LAN or a test's network namespace. Default true. */
  mdns?: boolean
  /** Static peer multiaddrs for networks where multicast does not pass. */
  peers?: string[]
  /** Dial at start the colleagues where they were met before (remembered-addresses.ts). Default true; false plays a desk away from the office. */
  dialKnownPeers?: boolean
  /** An invite code: join its workspace before starting (`causette start --join <code>`). */
  join?: string
  /** Gives the profile's passphrase; asked only if the profile has one (`causette passphrase set`). */
  passphrase?: PassphraseSource
  /** The profile, held already by the caller (`causette start` takes it first): the database opens on it; still the caller's if the start fails. */
  held?: HeldProfile
  /** The node's clock (Unix ms); default Date.now. Tests shift it to play a machine whose clock is wrong. */
  now?: () => number
  /** Told what the person running the node should know now (the daemon's stderr): a connection flood. */
  warn?: (line: string) => void
  /** Updates: the release key, this node's version and target, and the installer (core/node/update-wiring.ts). */
  update?: UpdateOptions
  /** Shows a notification through the OS while no app tab is open; default this computer's (core/desk/desktop-notifier.ts). */
  desktopNotifier?: DesktopNotifier
  /** How long before a colleague's photo whose fetch failed by no fault of theirs (our full disk) is fetched again; default 15 s (photo-wiring.ts). Tests shorten it. */
  photoRetryMs?: number
  /** Where the app's Start at login switch installs: default this user's desk and the program this process runs from (core/desk/start-at-login.ts). */
  desk?: ThisDesk
}

export interface CausetteNode extends NodeApi {
  readonly peerId: string
  readonly home: string
  /** The workspace: create, invite, remove, members (for the API and CLI). */
  readonly workspace: WorkspaceService
  addresses: () => string[]
  /** The per-peer abuse limits and their counts (core/protocol/peer-limits.ts): for diagnostics and tests. */
  readonly limits: PeerLimits
  stop: () => Promise<void>
}
