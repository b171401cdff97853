// Hash routes, so that any path the service worker serves offline is the same single page:
//   #/               people and conversations
//   #/chat/<peerId>  the conversation with one person
//   #/safety/<peerId> the safety number with one person, to compare and mark verified
//   #/verify         the journal verifier
//   #/workspace      the workspace: create or join one, members, invites
export type Route =
  | { page: 'home' }
  | { page: 'chat', peerId: string }
  | { page: 'safety', peerId: string }
  | { page: 'verify' }
  | { page: 'workspace' }

export function parseRoute (hash: string): Route {
  const [, page, arg] = hash.replace(/^#/, '').split('/')
  if (page === 'chat' && arg !== undefined && arg !== '') return { page: 'chat', peerId: decodeURIComponent(arg) }
  if (page === 'safety' && arg !== undefined && arg !== '') return { page: 'safety', peerId: decodeURIComponent(arg) }
  if (page === 'verify') return { page: 'verify' }
  if (page === 'workspace') return { page: 'workspace' }
  return { page: 'home' }
}

export function routeHref (route: Route): string {
  switch (route.page) {
    case 'chat': return `#/chat/${encodeURIComponent(route.peerId)}`
    case 'safety': return `#/safety/${encodeURIComponent(route.peerId)}`
    case 'verify': return '#/verify'
    case 'workspace': return '#/workspace'
    case 'home': return '#/'
  }
}

export class Router {
  #route = $state<Route>(parseRoute(location.hash))

  constructor () {
    addEventListener('hashchange', () => { this.#route = parseRoute(location.hash) })
  }

  get route (): Route { return this.#route }

  go (route: Route): void {
    location.hash = routeHref(route)
  }
}
