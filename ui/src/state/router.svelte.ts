// The app's route, read from the address's hash and followed as it changes (routes.ts: what each
// route is and its address).
import { parseRoute, routeHref, type Route } from './routes.js'

export class Router {
  #route = $state<Route>(parseRoute(location.hash))

  constructor () {
    addEventListener('hashchange', () => { this.#route = parseRoute(location.hash) })
  }

  get route (): Route { return this.#route }

  go (route: Route): void {
    location.hash = routeHref(route)
  }

  /** Shows `route` in place of the current one (no new entry in the browser's history: Back skips it). */
  replace (route: Route): void {
    history.replaceState(history.state, '', routeHref(route))
    this.#route = parseRoute(location.hash)
  }
}
