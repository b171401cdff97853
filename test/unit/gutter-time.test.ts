// The time in the gutter beside a message of the same author (MessageFrame) has room for the hour
// and minute only: "01:18 AM" overflowed the 32-pixel gutter and was cut off at the pane's edge.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { gutterTime } from '../../ui/src/lib/time.js'

const AFTERNOON = Date.UTC(2026, 11, 6, 13, 5)
const clockOf = (locale: string): Intl.DateTimeFormat => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })

test('the gutter time leaves out the day period, before or after the digits', () => {
  assert.equal(gutterTime(AFTERNOON, clockOf('en-US')), '01:05')
  assert.equal(gutterTime(AFTERNOON, clockOf('ko-KR')), '01:05')
})

test('a 24-hour clock is shown as it is, with its own separator', () => {
  assert.equal(gutterTime(AFTERNOON, clockOf('fr-FR')), '13:05')
  assert.equal(gutterTime(AFTERNOON, clockOf('fr-CA')), '13 h 05')
})
