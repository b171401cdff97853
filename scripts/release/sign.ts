// npm run release:sign -- --key FILE [--bundle OUT] DIR     signs DIR (default dist/release)
// npm run release:sign -- --generate-key FILE               makes a release key pair
// The private key file stays outside any repository; see docs/SECURITY.md, "The release key".
import { parseArgs } from 'node:util'
import { generateSignerKey, readSignerKey } from './signer-key.js'
import { signReleaseDir, SIGNED_MANIFEST_FILE } from './sign-release.js'

const { values, positionals } = parseArgs({
  options: { key: { type: 'string' }, bundle: { type: 'string' }, 'generate-key': { type: 'string' } },
  allowPositionals: true
})

if (values['generate-key'] !== undefined) {
  const verifierKey = await generateSignerKey(values['generate-key'])
  console.log(`private key written to ${values['generate-key']} (mode 0600): keep it out of any repository`)
  console.log(`verifier key (core/update/release-key.ts, or npm run package -- --release-key):\n${verifierKey}`)
} else {
  if (values.key === undefined) {
    console.error('usage: npm run release:sign -- --key FILE [--bundle OUT] [DIR]\n       npm run release:sign -- --generate-key FILE')
    process.exit(2)
  }
  const dir = positionals[0] ?? 'dist/release'
  const signer = await readSignerKey(values.key)
  const manifest = await signReleaseDir(dir, signer, values.bundle === undefined ? {} : { bundle: values.bundle })
  console.log(`signed ${manifest.version} (${manifest.files.map(f => f.target).join(', ')}) with ${signer.verifierKey}`)
  console.log(`signed manifest: ${dir}/${SIGNED_MANIFEST_FILE}${values.bundle === undefined ? '' : `\nbundle: ${values.bundle}`}`)
}
