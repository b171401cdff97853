// Hash routes, so that any path the service worker serves offline is the same single page:
//   #/               people and conversations
//   #/chat/<peerId>[/message/<messageId>]  the conversation with one person, at one of its messages
//                    (a search result's address: scrolled to and highlighted, so it can be bookmarked)
//   #/safety/<peerId> the safety number with one person, to compare and mark verified
//   #/verify         the journal verifier
//   #/workspace      the workspace: create or join one, members, invites
//   #/join/<code>    the join screen an invite link opens: which workspace, who invited, join
//   #/settings       name, notifications, read receipts, journal key, start at login, passphrase
//   #/channels/new   a new channel
//   #/channels/browse  every channel you may see: join an open one, or see who to ask
//   #/channel/<id>[/thread/<messageId>][/message/<messageId>]  a channel, with one message's thread
//                    open beside it, at one of its messages (as a chat's; a reply in the open thread)
export type Route =
  | { page: 'home' }
  | { page: 'chat', peerId: string, message?: string }
  | { page: 'safety', peerId: string }
  | { page: 'verify' }
  | { page: 'workspace' }
  | { page: 'join', code: string }
  | { page: 'settings' }
  | { page: 'new-channel' }
  | { page: 'browse-channels' }
  | { page: 'channel', id: string, thread?: string, message?: string }

export function parseRoute (hash: string): Route {
  const [, page, arg, sub, subArg, threadSub, threadSubArg] = hash.replace(/^#/, '').split('/')
  const message = sub === 'message' && subArg !== undefined && subArg !== '' ? { message: decodeURIComponent(subArg) } : {}
  if (page === 'chat' && arg !== undefined && arg !== '') return { page: 'chat', peerId: decodeURIComponent(arg), ...message }
  if (page === 'safety' && arg !== undefined && arg !== '') return { page: 'safety', peerId: decodeURIComponent(arg) }
  if (page === 'verify') return { page: 'verify' }
  if (page === 'workspace') return { page: 'workspace' }
  if (page === 'join' && arg !== undefined && arg !== '') return { page: 'join', code: decodeURIComponent(arg) }
  if (page === 'settings') return { page: 'settings' }
  if (page === 'channels' && arg === 'new') return { page: 'new-channel' }
  if (page === 'channels' && arg === 'browse') return { page: 'browse-channels' }
  if (page === 'channel' && arg !== undefined && arg !== '') {
    const thread = sub === 'thread' && subArg !== undefined && subArg !== '' ? { thread: decodeURIComponent(subArg) } : {}
    const reply = sub === 'thread' && threadSub === 'message' && threadSubArg !== undefined && threadSubArg !== '' ? { message: decodeURIComponent(threadSubArg) } : {}
    return { page: 'channel', id: decodeURIComponent(arg), ...thread, ...message, ...reply }
  }
  return { page: 'home' }
}

export function routeHref (route: Route): string {
  switch (route.page) {
    case 'chat': return `#/chat/${encodeURIComponent(route.peerId)}${atMessage(route.message)}`
    case 'safety': return `#/safety/${encodeURIComponent(route.peerId)}`
    case 'verify': return '#/verify'
    case 'workspace': return '#/workspace'
    case 'join': return `#/join/${encodeURIComponent(route.code)}`
    case 'settings': return '#/settings'
    case 'new-channel': return '#/channels/new'
    case 'browse-channels': return '#/channels/browse'
    case 'channel': return `#/channel/${encodeURIComponent(route.id)}${route.thread === undefined ? '' : `/thread/${encodeURIComponent(route.thread)}`}${atMessage(route.message)}`
    case 'home': return '#/'
  }
}

/** A found message's address: its chat or channel, at the message (a search result's link). */
export function foundMessageRoute (hit: { kind: 'direct' | 'channel', conversation: string, id: string }): Route {
  return hit.kind === 'channel' ? { page: 'channel', id: hit.conversation, message: hit.id } : { page: 'chat', peerId: hit.conversation, message: hit.id }
}

function atMessage (message: string | undefined): string {
  return message === undefined ? '' : `/message/${encodeURIComponent(message)}`
}
