// The local API's paths and WebSocket subprotocols, shared by the daemon and the app. Values the app
// needs at run time live here, apart from schema.ts, so that importing them does not bring zod into
// the app's bundle (the app imports only types from schema.ts).

export const API_PREFIX = '/api/v1'

/** WebSocket subprotocols of GET /events: browsers cannot set headers there, so the token rides as one. */
export const EVENTS_SUBPROTOCOL = 'causette.events.v1'
export const TOKEN_SUBPROTOCOL_PREFIX = 'causette.token.'
/** The one route under /api that needs no token: the node proves it holds the token (crypto/api-proof.ts). */
export const NODE_PROOF_PATH = '/node-proof'
/** POST /unlock: a locked node (started with nobody to type its profile's passphrase) takes it here. */
export const UNLOCK_PATH = '/unlock'

/** POST /update/apply takes the release bundle itself as its body, with this type (not JSON: a file of hundreds of MB). */
export const UPDATE_APPLY_PATH = '/update/apply'
export const RELEASE_BUNDLE_TYPE = 'application/vnd.causette.release'

/** POST /files takes a file's bytes as its body, of this type (not a form type: a cross-site form cannot send it without a preflight). */
export const FILES_PATH = '/files'
export const FILE_UPLOAD_TYPE = 'application/octet-stream'
/** GET /downloads/{ticket}: a single-use download link the browser navigates to; the ticket stands for the token. */
export const DOWNLOADS_PATH = '/downloads'
