// Names of received files made safe (core/files/file-name.ts): examples of each attack, and a
// property over any string: the result is a single safe name, and a safe name is kept as it is.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { MAX_FILE_NAME_BYTES, safeFileName } from '../../core/files/file-name.js'
import { fuzzParameters } from '../helpers/fuzz-decoding.js'

const bytes = (text: string): number => new TextEncoder().encode(text).length

test('path separators and dot-dot cannot leave the folder', () => {
  assert.equal(safeFileName('../../.bashrc'), '_.._.bashrc')
  assert.equal(safeFileName('..\\..\\Windows\\win.ini'), '_.._Windows_win.ini')
  assert.equal(safeFileName('/etc/passwd'), '_etc_passwd')
  assert.equal(safeFileName('..'), 'file')
  assert.equal(safeFileName('.'), 'file')
  assert.equal(safeFileName(''), 'file')
  assert.equal(safeFileName('.hidden'), 'hidden')
})

test('control characters, bidi overrides and zero-width characters are dropped', () => {
  assert.equal(safeFileName('invoice\u202Efdp.exe'), 'invoicefdp.exe')
  assert.equal(safeFileName('a\u2066b\u2069c\u200Fd\u200Be\uFEFF.txt'), 'abcde.txt')
  assert.equal(safeFileName('line\nbreak\t\u0000.txt'), 'linebreak.txt')
  assert.equal(safeFileName('lone\uD800surrogate.txt'), 'lonesurrogate.txt')
})

test('Windows device names, forbidden characters and trailing dots or spaces', () => {
  assert.equal(safeFileName('CON'), '_CON')
  assert.equal(safeFileName('nul.txt'), '_nul.txt')
  assert.equal(safeFileName('com1.tar.gz'), '_com1.tar.gz')
  assert.equal(safeFileName('LPT9 .log'), '_LPT9 .log')
  assert.equal(safeFileName('console.txt'), 'console.txt')
  assert.equal(safeFileName('what?<now>:"|*.txt'), 'what__now_____.txt')
  assert.equal(safeFileName('report.pdf. . .'), 'report.pdf')
  assert.equal(safeFileName('  spaced  '), 'spaced')
})

test('a long name is shortened, whole characters at a time, keeping its extension', () => {
  const long = `${'é'.repeat(300)}.pdf`
  const safe = safeFileName(long)
  assert.ok(bytes(safe) <= MAX_FILE_NAME_BYTES)
  assert.ok(safe.endsWith('é.pdf'))
  const emoji = `${'👩‍👩‍👧'.repeat(40)}.jpg`
  const safeEmoji = safeFileName(emoji)
  assert.ok(bytes(safeEmoji) <= MAX_FILE_NAME_BYTES)
  assert.match(safeEmoji, /^(👩‍👩‍👧)+\.jpg$/u, 'no family cut in the middle')
})

test('what a person named a file is kept', () => {
  for (const name of ['Rapport annuel 2026.pdf', 'Été à Paris.JPG', '報告書.docx', 'budget (v2) – final.xlsx', 'a', 'tar.tar.gz', 'Straße_#1&2.png']) {
    assert.equal(safeFileName(name), name)
  }
  assert.equal(safeFileName('e\u0301te\u0301.txt'), 'été.txt', 'NFC')
})

const INVISIBLE = /[\p{Cc}\p{Cs}\u061C\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u

test('property: any string becomes one safe name, and a safe name stays as it is', () => {
  const names = fc.oneof(
    fc.string({ maxLength: 300, unit: 'binary' }),
    fc.string({ maxLength: 300, unit: 'grapheme' }),
    fc.array(fc.constantFrom('..', '.', '/', '\\', ' ', 'CON', 'com1', 'a', 'é', '\u202E', '\u0000', ':', '.txt', '👩‍👩‍👧', '\uD800'), { maxLength: 120 }).map(parts => parts.join(''))
  )
  fc.assert(fc.property(names, name => {
    const safe = safeFileName(name)
    assert.ok(safe.length > 0)
    assert.ok(bytes(safe) <= MAX_FILE_NAME_BYTES, 'at most 255 bytes')
    assert.ok(!/[/\\<>:"|?*]/.test(safe), 'no separator or Windows-forbidden character')
    assert.ok(!INVISIBLE.test(safe), 'no control, bidi or zero-width character')
    assert.ok(!/^[\s.]|[\s.]$/u.test(safe), 'no leading or trailing dot or space')
    assert.ok(!/^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i.test(safe.split('.')[0]!.trimEnd()), 'no Windows device')
    assert.equal(safe, safe.normalize('NFC'))
    assert.equal(safeFileName(safe), safe, 'a safe name is kept as it is')
  }), fuzzParameters(3000))
})
