// Page-level meeting point of the Lab's components: what one provides (the Vega runtime,
// scene specs, the player's code) another can wait for; players register here for tests.
function hub() {
  window.__lll = window.__lll || { provided: {}, waiters: {}, frames: 0, players: [] };
  return window.__lll;
}

function provide(name, value) {
  const h = hub();
  h.provided[name] = value;
  (h.waiters[name] || []).splice(0).forEach((resolve) => resolve(value));
}

function need(name) {
  const h = hub();
  if (name in h.provided) return Promise.resolve(h.provided[name]);
  return new Promise((resolve) => (h.waiters[name] = h.waiters[name] || []).push(resolve));
}

// Bytes sent from Python, however the component API hands them over.
function bytesOf(data) {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (typeof data === "string") return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  throw new Error("Loss Landscape Lab: unexpected data payload");
}
