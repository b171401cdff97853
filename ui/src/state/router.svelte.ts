// Hash routes, so that any path the service worker serves offline is the same single page:
//   #/               people and conversations
//   #/chat/<peerId>  the conversation with one person
//   #/verify         the journal verifier
export type Route =
  | { page: 'home' }
  | { page: 'chat', peerId: string }
  | { page: 'verify' }

export function parseRoute (hash: string): Route {
  const [, page, arg] = hash.replace(/^#/, '').split('/')
  if (page === 'chat' && arg !== undefined && arg !== '') return { page: 'chat', peerId: decodeURIComponent(arg) }
  if (page === 'verify') return { page: 'verify' }
  return { page: 'home' }
}

export function routeHref (route: Route): string {
  switch (route.page) {
    case 'chat': return `#/chat/${encodeURIComponent(route.peerId)}`
    case 'verify': return '#/verify'
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
