// The app's addresses (ui/src/state/routes.ts): every route reads back from the address it gives,
// a search result's address among them (#/chat/<peer>/message/<id>, #/channel/<id>/message/<id>),
// so a found message can be bookmarked; what is not a route opens the home page.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { foundMessageRoute, parseRoute, routeHref, type Route } from '../../ui/src/state/routes.js'

const PEER = '12D3KooWGQ9igCsrKRjWjJUdcdpNTtjzCbVq1h7XEkKp8F8ZbN1c'
const MESSAGE = 'hX0-_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ01'

test('every route reads back from its address', () => {
  const routes: Route[] = [
    { page: 'home' },
    { page: 'chat', peerId: PEER },
    { page: 'chat', peerId: PEER, message: MESSAGE },
    { page: 'safety', peerId: PEER },
    { page: 'verify' },
    { page: 'workspace' },
    { page: 'join', code: 'ab/cd ef' },
    { page: 'settings' },
    { page: 'new-channel' },
    { page: 'browse-channels' },
    { page: 'channel', id: 'c1' },
    { page: 'channel', id: 'c1', thread: MESSAGE },
    { page: 'channel', id: 'c1', message: MESSAGE },
    { page: 'channel', id: 'c1', thread: 'root', message: MESSAGE }
  ]
  for (const route of routes) assert.deepEqual(parseRoute(routeHref(route)), route, routeHref(route))
})

test('a search result\'s address names its conversation and message', () => {
  assert.equal(routeHref({ page: 'chat', peerId: PEER, message: MESSAGE }), `#/chat/${PEER}/message/${MESSAGE}`)
  assert.equal(routeHref({ page: 'channel', id: 'c 1', message: 'm/2' }), '#/channel/c%201/message/m%2F2')
  assert.deepEqual(parseRoute('#/channel/c%201/message/m%2F2'), { page: 'channel', id: 'c 1', message: 'm/2' })
  assert.equal(routeHref(foundMessageRoute({ kind: 'direct', conversation: PEER, id: MESSAGE })), `#/chat/${PEER}/message/${MESSAGE}`)
  assert.equal(routeHref(foundMessageRoute({ kind: 'channel', conversation: 'c 1', id: 'm/2' })), '#/channel/c%201/message/m%2F2')
  // A found reply, in its thread open beside the channel.
  assert.equal(routeHref({ page: 'channel', id: 'c1', thread: 'root', message: 'm/2' }), '#/channel/c1/thread/root/message/m%2F2')
})

test('what is not a route opens the home page; an empty message is no message', () => {
  for (const hash of ['', '#', '#/', '#/nowhere', '#/chat/', '#/channel/']) assert.deepEqual(parseRoute(hash), { page: 'home' }, hash)
  assert.deepEqual(parseRoute(`#/chat/${PEER}/message/`), { page: 'chat', peerId: PEER })
  assert.deepEqual(parseRoute(`#/chat/${PEER}/other/${MESSAGE}`), { page: 'chat', peerId: PEER })
})
