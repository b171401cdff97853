// The per-user cache directory, where the executable writes what it cannot run from inside itself
// (the LevelDB addon). Never a shared temporary directory: another user could put a file there first.
import { homedir } from 'node:os'
import { isAbsolute, join, posix, win32 } from 'node:path'

/** $XDG_CACHE_HOME/causette (else ~/.cache/causette), ~/Library/Caches/causette, %LOCALAPPDATA%\causette\cache. */
export function userCacheDir (platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA !== undefined && win32.isAbsolute(env.LOCALAPPDATA) ? env.LOCALAPPDATA : win32.join(home, 'AppData', 'Local')
    return win32.join(local, 'causette', 'cache')
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Caches', 'causette')
  // The XDG spec says to ignore a relative value.
  const xdg = env.XDG_CACHE_HOME
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'causette')
}
