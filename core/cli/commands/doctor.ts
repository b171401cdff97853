// `causette doctor [--repair]`: checks a stopped node's profile (master key, keystore, settings,
// database, journal) and says what is wrong and what to do; --repair rebuilds a database that does
// not open, after keeping a copy of it. Like `passphrase`, it works on the files, not through the API.
import { parseCommandArgs } from '../command-args.js'
import type { DoctorReport, Finding } from '../../node/doctor.js'
import type { Command, CommandContext } from '../command.js'
import { passphraseSource } from './passphrase.js'

const USAGE = `causette doctor [--repair] [--passphrase-stdin] [--json]

Checks this profile with the node stopped: the master key, the keystore, settings.json, the database
(it opens it, and reports what LevelDB dropped from damaged files) and the journal (its entries
rebuild its Merkle tree and last signed checkpoint). Exits 1 if something is wrong.
  --repair   when the database does not open: keep a copy of it (db.damaged-<time>), rebuild it
             with LevelDB's repair, then check again`

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check a stopped node\'s profile for damaged files; repair the database',
  usage: USAGE,
  run: async (ctx) => {
    const { values } = parseCommandArgs({ args: ctx.argv, options: { repair: { type: 'boolean' }, 'passphrase-stdin': { type: 'boolean' } }, strict: true })
    const { examineProfile, repairDatabase } = await import('../../node/doctor.js')
    const passphrase = passphraseSource(values['passphrase-stdin'] === true, ctx.home)
    let report = await examineProfile(ctx.home, passphrase)
    let copy: string | undefined
    if (values.repair === true && report.repairable) {
      copy = await repairDatabase(ctx.home)
      report = await examineProfile(ctx.home, passphrase)
    }
    print(ctx, report, values.repair === true, copy)
    return report.findings.some(f => f.status === 'problem') ? 1 : 0
  }
}

function print (ctx: CommandContext, report: DoctorReport, repair: boolean, copy: string | undefined): void {
  if (ctx.json) {
    ctx.out(JSON.stringify({ ...report, ...(copy !== undefined ? { damagedCopy: copy } : {}) }))
    return
  }
  if (copy !== undefined) ctx.out(`repaired the database; the damaged one is kept in ${copy}`)
  else if (repair) ctx.out('nothing to repair: the database opens')
  for (const finding of report.findings) ctx.out(line(finding))
  if (report.repairable) ctx.out("run 'causette doctor --repair' to rebuild the database")
}

function line (finding: Finding): string {
  const head = `${finding.status.padEnd(8)} ${finding.check.padEnd(11)} ${finding.detail}`
  return finding.fix === undefined ? head : `${head}\n${' '.repeat(21)}what to do: ${finding.fix}`
}
