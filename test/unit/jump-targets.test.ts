// The app's jump-to box (Ctrl+K) without the DOM: what it offers (one row per person, the channels
// we are in, the open ones to join), how typed letters match (a word's start, accents and capitals
// aside), in which order, and which key opens it (Ctrl+K, ⌘K on a Mac, never another chord).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ChannelView, ConversationView, MessageView, PeerView } from '../../core/api/schema.js'
import { isJumpChord, jumpChord, onMac, type KeyPress } from '../../ui/src/jump/jump-shortcut.js'
import { jumpTargets, MAX_SHOWN, rankTargets, type JumpSources } from '../../ui/src/jump/jump-targets.js'

function person (peerId: string, name: string, connected = true): PeerView {
  return {
    peerId, name, color: '#123456', deviceKey: '', addresses: [], connected, lastSeen: null, keyChanged: false, verified: false,
    presence: { status: connected ? 'available' : 'offline', text: '', until: null, updated: null },
    photo: null
  }
}

function conversation (peer: string, name: string, arrived: number): ConversationView {
  return { id: `c-${peer}`, peer, name, unread: 0, lastMessage: { id: `m-${peer}`, time: arrived, arrived } as MessageView }
}

function channel (id: string, name: string, fields: Partial<ChannelView> = {}): ChannelView {
  return { id, conversation: `k-${id}`, name, topic: '', archived: false, open: false, member: true, owner: null, members: [], changes: [], unread: 0, lastTime: 0, ...fields }
}

const office: JumpSources = {
  people: [person('p-chloe', 'Chloé Roux'), person('p-bruno', 'Bruno Petit'), person('p-carla', 'Carla Rossi', false), person('p-rouxel', 'Anne Rouxel')],
  conversations: [conversation('p-bruno', 'Bruno Petit', 2_000), conversation('p-gone', 'Denis Gone', 500)],
  channels: [
    channel('ch-deco', 'Équipe-Déco', { lastTime: 3_000 }),
    channel('ch-lunch', 'lunch', { open: true, member: false }),
    channel('ch-board', 'board', { member: false }),
    channel('ch-old', 'old-launch', { archived: true, open: true, member: false })
  ]
}
const targets = jumpTargets(office)
const names = (query: string, current?: string): string[] => rankTargets(targets, query, current).map(target => target.name)

describe('the jump-to box', () => {
  it('offers one row per person (their conversation if any), our channels and the open ones to join', () => {
    assert.deepEqual(targets.map(target => `${target.kind} ${target.name}`).sort(), [
      'channel Équipe-Déco', 'conversation Bruno Petit', 'conversation Denis Gone', 'open-channel lunch',
      'person Anne Rouxel', 'person Carla Rossi', 'person Chloé Roux'
    ])
    assert.deepEqual(targets.find(target => target.name === 'Bruno Petit')?.route, { page: 'chat', peerId: 'p-bruno' })
    assert.deepEqual(targets.find(target => target.name === 'lunch')?.route, { page: 'channel', id: 'ch-lunch' })
  })

  it('matches the start of a word, accents and capitals aside, best first', () => {
    assert.deepEqual(names('chlo'), ['Chloé Roux'])
    assert.deepEqual(names('ROUX'), ['Chloé Roux', 'Anne Rouxel'], 'the whole word before a longer one')
    assert.deepEqual(names('chloe roux'), ['Chloé Roux'])
    assert.deepEqual(names('roux chl'), ['Chloé Roux'], 'words in any order')
    assert.deepEqual(names('deco'), ['Équipe-Déco'])
    assert.deepEqual(names('EQUIPE-d'), ['Équipe-Déco'])
    assert.deepEqual(names('#lun'), ['lunch'])
    assert.deepEqual(names('etit'), ['Bruno Petit'], 'inside a word, after every word start')
    assert.deepEqual(names('zz'), [])
  })

  it('with nothing typed, shows the latest activity first, then people online, the open channels to join last', () => {
    assert.deepEqual(names(''), ['Équipe-Déco', 'Bruno Petit', 'Denis Gone', 'Anne Rouxel', 'Chloé Roux', 'Carla Rossi', 'lunch'])
    assert.deepEqual(names('', '#/channel/ch-deco'), ['Bruno Petit', 'Denis Gone', 'Anne Rouxel', 'Chloé Roux', 'Carla Rossi', 'lunch', 'Équipe-Déco'], 'the one on screen last')
  })

  it('shows at most MAX_SHOWN rows', () => {
    const crowd = jumpTargets({ people: Array.from({ length: MAX_SHOWN + 5 }, (_, i) => person(`p${i}`, `Person ${i}`)), conversations: [], channels: [] })
    assert.equal(rankTargets(crowd, '').length, MAX_SHOWN)
    assert.equal(rankTargets(crowd, 'person').length, MAX_SHOWN)
  })

  it('opens on Ctrl+K, ⌘K on a Mac, and on no other chord', () => {
    const press = (fields: Partial<KeyPress>): KeyPress => ({ key: 'k', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, isComposing: false, ...fields })
    assert.equal(isJumpChord(press({ ctrlKey: true }), false), true)
    assert.equal(isJumpChord(press({ ctrlKey: true, key: 'K' }), false), true, 'with Caps Lock on')
    assert.equal(isJumpChord(press({ metaKey: true }), true), true)
    for (const [fields, mac] of [
      [{ ctrlKey: true }, true], [{ metaKey: true }, false], [{ ctrlKey: true, shiftKey: true }, false],
      [{ ctrlKey: true, altKey: true }, false], [{ ctrlKey: true, key: 'l' }, false], [{}, false],
      [{ ctrlKey: true, isComposing: true }, false]
    ] as Array<[Partial<KeyPress>, boolean]>) {
      assert.equal(isJumpChord(press(fields), mac), false, JSON.stringify({ fields, mac }))
    }
    assert.equal(onMac('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15'), true)
    assert.equal(onMac('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0'), false)
    assert.deepEqual(jumpChord(true), { label: '⌘K', keys: 'Meta+K' })
    assert.deepEqual(jumpChord(false), { label: 'Ctrl K', keys: 'Control+K' })
  })
})
