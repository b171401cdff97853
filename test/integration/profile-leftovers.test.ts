// A save of a profile file killed mid-write (SIGKILL, or a power cut) leaves its temporary file;
// the next start removes it, and keeps the temporary file of a process that still writes beside
// the node (`causette token rotate`, an update's old process).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { eventually, tempHome, testNode } from '../helpers/nodes.js'

const FILES_MODULE = pathToFileURL(join(import.meta.dirname, '../../core/profile/files.ts')).href
const temporaries = async (home: string): Promise<string[]> => (await readdir(home)).filter(name => name.endsWith('.tmp'))

test('a save killed mid-write leaves a temporary file that the next start removes, and a running writer keeps its own', async (t) => {
  const home = await tempHome(t)
  // Saves a 64 MiB settings.json over and over, until killed.
  const writer = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
    `const { writeSecretFile } = await import(${JSON.stringify(FILES_MODULE)}); const big = 'x'.repeat(64 * 1024 * 1024); for (;;) await writeSecretFile(${JSON.stringify(join(home, 'settings.json'))}, big)`], { stdio: 'ignore' })
  t.after(() => { writer.kill('SIGKILL') })
  await eventually(async () => (await temporaries(home)).length > 0 || undefined, 30_000, 'the writer mid-write')
  writer.kill('SIGKILL')
  await new Promise(resolve => writer.once('exit', resolve))
  const [left] = await temporaries(home)
  assert.ok(left !== undefined, 'the killed save left its temporary file')
  // A process that runs on, saving beside the node: its temporary file is its own.
  const running = spawn('sleep', ['600'], { stdio: 'ignore' })
  t.after(() => { running.kill('SIGKILL') })
  const runningOwn = `.api-token.${running.pid}-0123456789ab.tmp`
  await writeFile(join(home, runningOwn), 'half a token')
  await writeFile(join(home, 'settings.json'), '{}\n') // the kill left the last settings.json whole; a small one starts faster

  await testNode(t, { home, name: 'alice' })
  assert.deepEqual(await temporaries(home), [runningOwn])
})
