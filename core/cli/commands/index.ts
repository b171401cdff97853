// Every command of the CLI, in the order `causette --help` lists them. A call loads only its own
// command's module (and what that imports): loading all of them cost ~0.3 s of CPU per call against
// ~0.07 s for `peers` alone, and scripts and tests run the CLI hundreds of times.
import type { Command } from '../command.js'

const loaders = new Map<string, () => Promise<Command>>([
  ['start', async () => (await import('./start.js')).startCommand],
  ['stop', async () => (await import('./stop.js')).stopCommand],
  ['status', async () => (await import('./status.js')).statusCommand],
  ['name', async () => (await import('./name.js')).nameCommand],
  ['peers', async () => (await import('./peers.js')).peersCommand],
  ['connections', async () => (await import('./connections.js')).connectionsCommand],
  ['send', async () => (await import('./send.js')).sendCommand],
  ['edit', async () => (await import('./amend.js')).editCommand],
  ['delete', async () => (await import('./amend.js')).deleteCommand],
  ['react', async () => (await import('./amend.js')).reactCommand],
  ['messages', async () => (await import('./messages.js')).messagesCommand],
  ['search', async () => (await import('./search.js')).searchCommand],
  ['file', async () => (await import('./file.js')).fileCommand],
  ['files', async () => (await import('./file.js')).filesCommand],
  ['channel', async () => (await import('./channel.js')).channelCommand],
  ['verify', async () => (await import('./verify.js')).verifyCommand],
  ['trust', async () => (await import('./trust.js')).trustCommand],
  ['workspace', async () => (await import('./workspace.js')).workspaceCommand],
  ['invite', async () => (await import('./invite.js')).inviteCommand],
  ['remove', async () => (await import('./remove.js')).removeCommand],
  ['role', async () => (await import('./role.js')).roleCommand],
  ['update', async () => (await import('./update.js')).updateCommand],
  ['passphrase', async () => (await import('./passphrase.js')).passphraseCommand],
  ['token', async () => (await import('./token.js')).tokenCommand],
  ['doctor', async () => (await import('./doctor.js')).doctorCommand],
  ['log', async () => (await import('./log.js')).logCommand],
  ['install', async () => (await import('./install.js')).installCommand],
  ['uninstall', async () => (await import('./uninstall.js')).uninstallCommand],
  ['background', async () => (await import('./background.js')).backgroundCommand]
])

/** The command called `name`, loaded; undefined for a name that is no command. */
export async function loadCommand (name: string): Promise<Command | undefined> {
  const command = await loaders.get(name)?.()
  if (command !== undefined && command.name !== name) throw new Error(`the command listed as "${name}" is called "${command.name}"`)
  return command
}

/** Every command, loaded (for the overview of `causette --help`). */
export async function allCommands (): Promise<Command[]> {
  return await Promise.all([...loaders.values()].map(async load => await load()))
}
