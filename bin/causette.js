#!/usr/bin/env node
// The `causette` command: runs the compiled CLI (npm run build writes dist/) on the Node.js that
// `npm ci` installs (the `node` package). npm scripts and npx put that one first on PATH; another,
// older one (the machine's own) is told so in words rather than failing somewhere inside.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 26 || (major === 26 && minor < 10)) {
  console.error(`causette runs on Node.js 26.10 or later, not ${process.version}: run it as \`npx causette\` (or npm start), which use the Node.js that npm ci installed`)
  process.exit(1)
}
await import('../dist/core/cli/main.js')
