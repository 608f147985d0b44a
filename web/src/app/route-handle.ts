/** What a route tells the app shell: `fullBleed` pages fill the area below the header themselves. */
export interface RouteHandle {
  fullBleed?: boolean
}
