// The folder table of docs/ARCHITECTURE.md ("Folders, and who may import whom") as data: one row per
// folder, with the words of its "may import" column and what they allow. import-rules.test.ts checks
// every import of our source against it. A folder without a row fails the test: give it one here and
// in the table.
import { existsSync } from 'node:fs'
import type { FolderRule, PendingBreak } from './import-check.js'

/** What every folder of core/ may import: the error codes, the naming rule and the runtime. */
const CORE_COMMON = ['core/errors.ts', 'core/names.ts', 'core/runtime/']

/** The pure, browser-safe modules of crypto/ (test/unit/log-purity.test.ts keeps them so). */
const PURE_CRYPTO = ['crypto/log/', 'crypto/merkle.ts', 'crypto/signed-note.ts', 'crypto/statement.ts', 'crypto/receipt.ts',
  'crypto/text-fields.ts', 'crypto/encoding.ts', 'crypto/base64.ts', 'crypto/signing-labels.ts', 'crypto/membership-entry.ts',
  'crypto/channel-entry.ts', 'crypto/coded-error.ts', 'crypto/channel-membership-rule.ts']

/** A protocol file generated from a .proto beside it: its frame types stay inside core/protocol/. */
const isGeneratedFrames = (path: string): boolean =>
  path.endsWith('.ts') && existsSync(new URL(`../../${path.replace(/\.ts$/, '.proto')}`, import.meta.url))

export const FOLDER_RULES: readonly FolderRule[] = [
  { folder: 'crypto/', subfolders: ['e2e/', 'log/'], words: 'nothing of ours outside `crypto/`', mayImport: [] },
  { folder: 'discovery/', words: 'libp2p packages (and Node\'s modules) only', mayImport: [], packages: ['libp2p', '@libp2p/', '@multiformats/', 'node:'] },
  {
    folder: 'core/protocol/',
    words: 'crypto, errors; calls the messaging logic and the channels only through the interfaces it defines (`MessageReceiver`, and `PairwiseReceiver` and `ChannelPayloadReceiver` in `inbound-router.ts`); its generated frame types (`wire.ts`, `presence.ts`, `update.ts`, `workspace.ts`, `file.ts`, each from the `.proto` beside it) stay inside it',
    mayImport: ['crypto/', ...CORE_COMMON],
    privateFiles: isGeneratedFrames
  },
  {
    folder: 'core/messaging/',
    words: "crypto, store, protocol (bounds, refusals, frame types, and the router's `PairwiseReceiver` it implements), the attachment a body carries (`core/files/body-attachment.ts`, `descriptor.ts`); never channels (their catch-up is reached through `GroupCatchUp`, which it defines); records journal entries through `JournalPort`, sends through `MessageTransport`",
    mayImport: ['crypto/', 'core/store/', 'core/protocol/', 'core/files/body-attachment.ts', 'core/files/descriptor.ts', ...CORE_COMMON]
  },
  {
    folder: 'core/channels/',
    words: "crypto, store, protocol (the channel frame, frame types, the router's `ChannelPayloadReceiver`), messaging (outbox, sessions, receipts, the signed-message path); the types of the API schema (`service.ts` and `views.ts`: the channel views it gives the API), never its values",
    mayImport: ['crypto/', 'core/store/', 'core/messaging/', 'core/protocol/', ...CORE_COMMON],
    mayImportTypes: ['core/api/schema.ts']
  },
  {
    folder: 'core/files/',
    words: 'crypto, errors, `core/profile/files.ts`, `core/runtime/`, the transfer of `core/protocol/` (its file ports, the requester, the bounds); never the API, the store (LevelDB) or libp2p',
    mayImport: ['crypto/', 'core/profile/files.ts', 'core/protocol/file-ports.ts', 'core/protocol/file-requester.ts', 'core/protocol/limits.ts', ...CORE_COMMON],
    packagesNever: ['libp2p', '@libp2p/', '@chainsafe/', 'level', 'abstract-level']
  },
  { folder: 'core/search/', words: 'crypto (`search-tag.ts`), store, errors', mayImport: ['crypto/search-tag.ts', 'core/store/', ...CORE_COMMON] },
  {
    folder: 'core/presence/',
    words: 'crypto, store, `core/profile/`, `core/protocol/` (the presence frames), `core/mentions.ts`; the types of the API schema (`service.ts`: the requests, events and views it takes and gives the API), never its values',
    mayImport: ['crypto/', 'core/store/', 'core/profile/', 'core/protocol/', 'core/mentions.ts', ...CORE_COMMON],
    mayImportTypes: ['core/api/schema.ts']
  },
  { folder: 'core/journal/', words: 'crypto, errors, the verification pool of `core/workers/`', mayImport: ['crypto/', 'core/workers/', ...CORE_COMMON] },
  {
    folder: 'core/store/',
    words: '`level` (and `abstract-level`, Node\'s modules); crypto (sealing values at rest, the end-to-end session state), errors',
    mayImport: ['crypto/', ...CORE_COMMON],
    packages: ['level', 'abstract-level', 'node:']
  },
  { folder: 'core/profile/', words: 'crypto', mayImport: ['crypto/', ...CORE_COMMON] },
  { folder: 'core/workspace/', words: 'crypto, store, its protocols in `core/protocol/`', mayImport: ['crypto/', 'core/store/', 'core/protocol/', ...CORE_COMMON] },
  {
    folder: 'core/update/',
    words: 'crypto, errors, journal entries, `core/protocol/limits.ts` and the protocol\'s frame types, `core/profile/files.ts`, `core/runtime/`; never the API',
    mayImport: ['crypto/', 'core/journal/entry.ts', 'core/protocol/limits.ts', 'core/protocol/update-protocol.ts', 'core/profile/files.ts', ...CORE_COMMON]
  },
  {
    folder: 'core/update/swap/',
    words: '`core/errors.ts`, `core/runtime/`, `core/profile/files.ts` (atomic writes), the `ReleaseInstaller` it implements (`core/update/installer.ts`)',
    mayImport: ['core/profile/files.ts', 'core/update/installer.ts', ...CORE_COMMON]
  },
  { folder: 'core/workers/', words: 'node:worker_threads, `core/runtime/` (how a worker loads sodium-native); the types of `crypto/log/primitives.ts`', mayImport: ['crypto/log/primitives.ts', ...CORE_COMMON], packages: ['node:'] },
  { folder: 'core/runtime/', words: 'Node\'s built-in modules only', mayImport: [], packages: ['node:'] },
  { folder: 'core/node/', words: 'everything in core (and crypto/, discovery/: see below the table)', mayImport: ['core/', 'crypto/', 'discovery/'] },
  {
    folder: 'core/api/',
    words: '`NodeApi`, `crypto/api-proof.ts`, `crypto/sha256.ts` (the token\'s digest) and `core/runtime/` only, never the store or libp2p (and, below the table: the error codes of crypto/ to map them, `core/profile/files.ts` for the API file and token)',
    mayImport: ['crypto/api-proof.ts', 'crypto/sha256.ts', 'crypto/coded-error.ts', 'crypto/channel-entry.ts', 'crypto/membership-entry.ts', 'crypto/e2e/errors.ts', 'core/profile/files.ts', ...CORE_COMMON],
    packagesNever: ['libp2p', '@libp2p/', '@chainsafe/', 'level', 'abstract-level']
  },
  { folder: 'core/desk/', words: '`core/api/api-file.ts` and `core/runtime/` only, and Node', mayImport: ['core/api/api-file.ts', ...CORE_COMMON], packages: ['node:'] },
  {
    folder: 'core/cli/',
    subfolders: ['commands/'],
    words: 'the API (its schema, client files and, for `start`, its server); `core/desk`; for `start`, the node (or the locked one, `core/node/locked-start.ts`), discovery and `core/update/swap/`; the profile, store and node modules that `passphrase`, `token` and `doctor` need; the journal\'s reader and `crypto/log/` for `log verify`; `core/workspace/invite-code.ts`',
    mayImport: ['core/api/', 'core/desk/', 'core/node/node.ts', 'core/node/locked-start.ts', 'core/node/doctor.ts', 'discovery/', 'core/update/swap/', 'core/profile/', 'core/store/database.ts',
      'core/journal/primitives.ts', 'core/journal/read-lines.ts', 'crypto/log/', 'core/workspace/invite-code.ts', ...CORE_COMMON]
  },
  { folder: 'core/errors.ts', words: 'the error codes of crypto/\'s formats', mayImport: ['crypto/'] },
  { folder: 'core/names.ts', words: 'nothing', mayImport: [] },
  { folder: 'core/mentions.ts', words: 'nothing', mayImport: [] },
  {
    folder: 'ui/src/',
    subfolders: 'any',
    words: 'the types of `core/api/schema.ts` (its values would bring zod into the bundle), `core/api/paths.ts`, `core/api/clock-words.ts`, `core/api/autostart-words.ts`, `core/api/join-words.ts`, `core/api/size-words.ts`, `core/mentions.ts` and `core/names.ts` (pure), `crypto/api-proof.ts` (WebCrypto) and the pure verifier in `crypto/` only',
    mayImport: ['core/api/paths.ts', 'core/api/clock-words.ts', 'core/api/autostart-words.ts', 'core/api/join-words.ts', 'core/api/size-words.ts', 'core/mentions.ts', 'core/names.ts', 'crypto/api-proof.ts', ...PURE_CRYPTO],
    mayImportTypes: ['core/api/schema.ts'],
    packagesNever: ['zod']
  },
  { folder: 'ui/scripts/', words: 'the app\'s own files (`ui/src/`) and the test helpers', mayImport: ['ui/src/', 'test/helpers/'] },
  { folder: 'test/', subfolders: 'any', words: 'anything', mayImport: ['core/', 'crypto/', 'discovery/', 'ui/', 'bench/', 'scripts/'] },
  { folder: 'bench/', words: 'anything of ours', mayImport: ['core/', 'crypto/', 'discovery/', 'scripts/', 'test/'] },
  { folder: 'scripts/package/', words: '`core/runtime/` (names of targets and assets)', mayImport: ['core/runtime/'] },
  {
    folder: 'scripts/release/',
    words: 'crypto, `core/update/`\'s manifest, bundle and chunk formats, `core/runtime/`',
    mayImport: ['crypto/', 'core/update/manifest.ts', 'core/update/bundle.ts', 'core/update/chunks.ts', 'core/runtime/']
  },
  { folder: 'scripts/test-runner/', words: 'nothing of ours', mayImport: [] }
]

/**
 * PENDING: breaks that other branches of issue 15 are fixing now. Their imports are neither reported
 * nor counted in circles. Empty this list as those branches merge; nothing else may break a rule.
 */
export const PENDING: readonly PendingBreak[] = [
]
