// Shared page-level registry of the Lab's components: Vega runtime, scene specs, players.
function hub() {
  window.__lll = window.__lll || { specs: {}, waiters: {}, runtimeWaiters: [], frames: 0, players: [] };
  return window.__lll;
}
