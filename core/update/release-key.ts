// The causette release key: only a manifest signed by it is ever installed, whoever hands it over.
// Its private half is kept offline by the maintainers (docs/SECURITY.md, "The release key"), never
// in this repository. A build made with `npm run package -- --release-key` (a test build) embeds
// that key instead (RELEASE_KEY_OVERRIDE); tests give a node their own key through NodeOptions.
import { RELEASE_KEY_OVERRIDE } from '../runtime/build-info.js'

/** The production verifier key (C2SP note verifier key: name+key ID+base64(0x01 || Ed25519 key)). */
export const PRODUCTION_RELEASE_KEY = 'causette-release+3373e6ae+AXg4DO1xjAmVAWjwmE8BTSmbL3bZYdxyDFnAFgeY/5fc'

/** The key this build trusts: the packager's override when set, else the production key. */
export function builtInReleaseKey (): string {
  return RELEASE_KEY_OVERRIDE ?? PRODUCTION_RELEASE_KEY
}
