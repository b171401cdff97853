// Every command of the CLI, in the order `causette --help` lists them.
import type { Command } from '../command.js'
import { deleteCommand, editCommand, reactCommand } from './amend.js'
import { backgroundCommand } from './background.js'
import { channelCommand } from './channel.js'
import { connectionsCommand } from './connections.js'
import { doctorCommand } from './doctor.js'
import { fileCommand, filesCommand } from './file.js'
import { installCommand } from './install.js'
import { inviteCommand } from './invite.js'
import { logCommand } from './log.js'
import { messagesCommand } from './messages.js'
import { nameCommand } from './name.js'
import { passphraseCommand } from './passphrase.js'
import { peersCommand } from './peers.js'
import { removeCommand } from './remove.js'
import { roleCommand } from './role.js'
import { searchCommand } from './search.js'
import { sendCommand } from './send.js'
import { startCommand } from './start.js'
import { statusCommand } from './status.js'
import { stopCommand } from './stop.js'
import { tokenCommand } from './token.js'
import { trustCommand } from './trust.js'
import { uninstallCommand } from './uninstall.js'
import { verifyCommand } from './verify.js'
import { updateCommand } from './update.js'
import { workspaceCommand } from './workspace.js'

export const commands: readonly Command[] = [
  startCommand,
  stopCommand,
  statusCommand,
  nameCommand,
  peersCommand,
  connectionsCommand,
  sendCommand,
  editCommand,
  deleteCommand,
  reactCommand,
  messagesCommand,
  searchCommand,
  fileCommand,
  filesCommand,
  channelCommand,
  verifyCommand,
  trustCommand,
  workspaceCommand,
  inviteCommand,
  removeCommand,
  roleCommand,
  updateCommand,
  passphraseCommand,
  tokenCommand,
  doctorCommand,
  logCommand,
  installCommand,
  uninstallCommand,
  backgroundCommand
]
