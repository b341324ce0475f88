// Loss Landscape Lab player: keeps one Vega view per scene, swaps the trajectory data on
// reruns and advances the `step` signal on requestAnimationFrame (no Python per frame).
// hub() comes from hub.js, prepended by charts/player.py.
const PLAYERS = new WeakMap();
const SECONDS_PER_RUN = 6; // at 1× a whole run plays in about this long

function waitFor(key) {
  const h = hub();
  if (h.specs[key]) return Promise.resolve(h.specs[key]);
  return new Promise((resolve) => (h.waiters[key] = h.waiters[key] || []).push(resolve));
}

function waitForRuntime() {
  const h = hub();
  if (h.vegaEmbed) return Promise.resolve(h.vegaEmbed);
  return new Promise((resolve) => h.runtimeWaiters.push(resolve));
}

function bytesOf(data) {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (typeof data === "string") return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  throw new Error("player: unexpected data payload");
}

export function decode(data) {
  const raw = bytesOf(data);
  const bytes = new Uint8Array(raw); // own, aligned copy
  const view = new DataView(bytes.buffer);
  const length = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)));
  let offset = 4 + length + ((4 - ((4 + length) % 4)) % 4);
  const types = { "<u2": Uint16Array, "<i2": Int16Array, "<f4": Float32Array };
  const arrays = {};
  for (const [name, dtype, shape] of header.arrays) {
    const Type = types[dtype];
    const count = shape.reduce((a, b) => a * b, 1);
    arrays[name] = new Type(bytes.buffer, offset, count);
    offset += count * Type.BYTES_PER_ELEMENT;
  }
  return { header, arrays };
}

function fromLog(code, header) {
  return code === header.log_zero ? 0 : Math.pow(10, code / header.log_scale);
}

export function rows({ header, arrays }) {
  const { n, steps, box, labels, colors } = header;
  const [[x0, y0], [x1, y1]] = box;
  const paths = [];
  for (let i = 0; i < n; i++) {
    for (let s = 0; s <= steps; s++) {
      const p = i * (steps + 1) + s;
      const q = i * steps + Math.max(s - 1, 0);
      paths.push({
        i, s, label: labels[i], c: colors[i],
        x: x0 + (arrays.xy[2 * p] / 65535) * (x1 - x0),
        y: y0 + (arrays.xy[2 * p + 1] / 65535) * (y1 - y0),
        loss: arrays.loss[p],
        lr: fromLog(arrays.lr[q], header),
        g: s === 0 ? fromLog(arrays.g[i * steps], header) : fromLog(arrays.g[q], header),
      });
    }
  }
  return { paths };
}

function themeConfig(host) {
  const css = getComputedStyle(host instanceof ShadowRoot ? host.host : host);
  const text = css.getPropertyValue("--st-text-color").trim() || "#31333f";
  const font = css.getPropertyValue("--st-font").trim() || "sans-serif";
  return {
    background: null, font,
    axis: { labelColor: text, titleColor: text, domainColor: text, tickColor: text, grid: false },
    title: { color: text }, view: { stroke: null },
  };
}

const svg = (path) => `<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="${path}" fill="currentColor"/></svg>`;
const ICONS = {
  restart: svg("M2 2h2v12H2zM14 2v12L5 8z"),
  back: svg("M12 2v12L3 8z"),
  forward: svg("M4 2v12l9-6z"),
  play: svg("M4 2v12l10-6z"),
  pause: svg("M3 2h4v12H3zM9 2h4v12H9z"),
};

const TEMPLATE = `
<div class="lll-player">
  <div class="lll-controls" role="toolbar" aria-label="player">
    <button type="button" data-act="restart" title="Restart (Home)" aria-label="restart">${ICONS.restart}</button>
    <button type="button" data-act="back" title="Step back (←)" aria-label="step back">${ICONS.back}</button>
    <button type="button" data-act="play" class="lll-play" title="Play / pause (space)" aria-label="pause">${ICONS.pause}</button>
    <button type="button" data-act="forward" title="Step forward (→)" aria-label="step forward">${ICONS.forward}</button>
    <input type="range" class="lll-scrub" min="0" max="1" value="0" aria-label="step">
    <span class="lll-counter">step 0 / 0</span>
    <label>speed <select class="lll-speed">
      <option value="0.25">¼×</option><option value="0.5">½×</option><option value="1" selected>1×</option>
      <option value="2">2×</option><option value="4">4×</option></select></label>
    <label><input type="checkbox" class="lll-loop" checked> loop</label>
  </div>
  <ul class="lll-legend"></ul>
  <div class="lll-view"></div>
  <div class="lll-curves"></div>
</div>`;

// The moving part of the picture, drawn on a canvas over the Vega view: trails up to the
// current step, start rings, heads and red crosses for diverged runs. Vega keeps the static
// background; redrawing these through Vega's dataflow on every frame cost most of a frame.
class Trails {
  constructor(container, view, onPick) {
    this.view = view;
    this.onPick = onPick;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "lll-trails";
    this.tip = document.createElement("div");
    this.tip.className = "lll-tip";
    container.append(this.canvas, this.tip);
    this.ctx = this.canvas.getContext("2d");
    this.canvas.addEventListener("click", (e) => this.click(e));
    this.canvas.addEventListener("mousemove", (e) => this.hover(e));
    this.canvas.addEventListener("mouseleave", () => (this.tip.hidden = true));
    this.tip.hidden = true;
    this.layout();
  }

  layout() {
    const base = this.view.container().querySelector("canvas");
    const box = base.getBoundingClientRect();
    const frame = this.canvas.parentElement.getBoundingClientRect(); // the overlay's containing block
    this.width = box.width; this.height = box.height;
    this.dpr = window.devicePixelRatio || 1;
    Object.assign(this.canvas.style, {
      left: `${box.left - frame.left}px`, top: `${box.top - frame.top}px`, width: `${box.width}px`, height: `${box.height}px`,
    });
    this.canvas.width = Math.round(box.width * this.dpr);
    this.canvas.height = Math.round(box.height * this.dpr);
    this.panels = [];
    const [ox, oy] = this.view.origin(); // the scene's (0, 0) on the canvas is at origin + padding
    const { left, top } = this.view.padding();
    const visit = (mark, dx, dy) => {
      for (const item of mark.items || []) {
        if (mark.marktype === "image" && item.datum && "x2" in item.datum) {
          const b = item.bounds;
          this.panels.push({ x: dx + b.x1, y: dy + b.y1, w: b.x2 - b.x1, h: b.y2 - b.y1, d: item.datum });
        }
        if (mark.marktype === "group") for (const child of item.items || []) visit(child, dx + (item.x || 0), dy + (item.y || 0));
      }
    };
    visit(this.view.scenegraph().root, ox + left, oy + top);
  }

  setData(header, paths) {
    this.header = header;
    this.paths = paths;
    const width = header.steps + 1;
    // Pixel positions, per panel and run, computed once per data set (not per frame).
    this.pixels = this.panels.map((panel, j) => {
      const runs = this.panels.length > 1 ? [j] : [...Array(header.n).keys()];
      return runs.filter((i) => i < header.n).map((i) => {
        const xs = new Float32Array(width), ys = new Float32Array(width);
        for (let s = 0; s < width; s++) {
          const p = paths[i * width + s];
          xs[s] = panel.x + ((p.x - panel.d.x) / (panel.d.x2 - panel.d.x)) * panel.w;
          ys[s] = panel.y + ((p.y - panel.d.y) / (panel.d.y2 - panel.d.y)) * panel.h;
        }
        return { i, xs, ys };
      });
    });
  }

  draw(k) {
    const { ctx } = this;
    const { colors, diverged } = this.header;
    this.step = k;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.lineJoin = "round";
    this.panels.forEach((panel, j) => {
      ctx.save();
      ctx.beginPath();
      ctx.rect(panel.x, panel.y, panel.w, panel.h);
      ctx.clip();
      for (const { i, xs, ys } of this.pixels[j]) {
        ctx.strokeStyle = colors[i];
        ctx.lineWidth = 2.2;
        ctx.beginPath();
        ctx.moveTo(xs[0], ys[0]);
        for (let s = 1; s <= k; s++) ctx.lineTo(xs[s], ys[s]);
        ctx.stroke();
        this.dot(xs[0], ys[0], 4, null, "white");
        this.dot(xs[k], ys[k], 5.5, colors[i], "white");
        if (diverged[i] >= 0 && k > diverged[i]) this.cross(xs[k], ys[k]);
      }
      ctx.restore();
    });
  }

  dot(x, y, r, fill, stroke) {
    const { ctx } = this;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    if (fill) { ctx.fillStyle = fill; ctx.fill(); }
    ctx.lineWidth = 1.6;
    ctx.strokeStyle = stroke;
    ctx.stroke();
  }

  cross(x, y) {
    const { ctx } = this;
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ff2d2d";
    ctx.beginPath();
    ctx.moveTo(x - 7, y - 7); ctx.lineTo(x + 7, y + 7);
    ctx.moveTo(x + 7, y - 7); ctx.lineTo(x - 7, y + 7);
    ctx.stroke();
  }

  local(event) {
    const box = this.canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  }

  click(event) {
    const [px, py] = this.local(event);
    const panel = this.panels.find((p) => px >= p.x && px <= p.x + p.w && py >= p.y && py <= p.y + p.h);
    if (!panel) return;
    const x = panel.d.x + ((px - panel.x) / panel.w) * (panel.d.x2 - panel.d.x);
    const y = panel.d.y + ((py - panel.y) / panel.h) * (panel.d.y2 - panel.d.y);
    this.onPick(x, y);
  }

  hover(event) {
    const [px, py] = this.local(event);
    let best = null, bestDistance = 100; // within 10 px
    this.pixels.forEach((runs) => runs.forEach(({ i, xs, ys }) => {
      for (let s = 0; s <= this.step; s++) {
        const d = (xs[s] - px) ** 2 + (ys[s] - py) ** 2;
        if (d < bestDistance) { bestDistance = d; best = this.paths[i * (this.header.steps + 1) + s]; }
      }
    }));
    this.tip.hidden = !best;
    if (!best) return;
    const f = (v) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : +v.toPrecision(4));
    this.tip.textContent = `${best.label}\nstep ${best.s}\nx ${f(best.x)}, y ${f(best.y)}\nloss ${f(best.loss)}\nlearning rate ${f(best.lr)}\n‖gradient‖ ${f(best.g)}`;
    Object.assign(this.tip.style, { left: `${this.canvas.offsetLeft + px + 14}px`, top: `${this.canvas.offsetTop + py + 14}px` });
  }

  remove() {
    this.canvas.remove();
    this.tip.remove();
  }
}

class Player {
  constructor(root) {
    this.root = root;
    const holder = document.createElement("div");
    holder.innerHTML = TEMPLATE;
    root.appendChild(holder.firstElementChild);
    this.el = (sel) => root.querySelector(sel);
    this.step = 0; this.position = 0; this.steps = 0; this.playing = true; this.speed = 1;
    this.view = null; this.curves = null; this.curvesAt = 0;
    this.specKey = null; this.trails = null; this.last = null;
    this.el(".lll-controls").addEventListener("click", (e) => this.onButton(e));
    this.el(".lll-scrub").addEventListener("input", (e) => { const k = +e.target.value; this.pause(); this.seek(k); });
    this.el(".lll-speed").addEventListener("change", (e) => (this.speed = +e.target.value));
    this.el(".lll-player").tabIndex = 0;
    this.el(".lll-player").addEventListener("keydown", (e) => this.onKey(e));
    this.frame = requestAnimationFrame((t) => this.tick(t));
    hub().players.push(this);
  }

  onButton(event) {
    const act = event.target.closest("button")?.dataset.act;
    if (act === "play") this.playing ? this.pause() : this.play();
    if (act === "back") { this.pause(); this.seek(this.step - 1); }
    if (act === "forward") { this.pause(); this.seek(this.step + 1); }
    if (act === "restart") this.seek(0);
  }

  onKey(event) {
    const keys = { " ": () => (this.playing ? this.pause() : this.play()), ArrowLeft: () => { this.pause(); this.seek(this.step - 1); },
      ArrowRight: () => { this.pause(); this.seek(this.step + 1); }, Home: () => this.seek(0) };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  }

  play() { if (this.step >= this.steps) this.seek(0); this.playing = true; this.sync(); }
  pause() { this.playing = false; this.sync(); }

  seek(k) {
    this.position = Math.max(0, Math.min(this.steps, k));
    this.show(Math.floor(this.position));
  }

  tick(now) {
    const dt = this.last === null ? 0 : Math.min((now - this.last) / 1000, 0.1);
    this.last = now;
    if (this.playing && this.view && this.steps > 0) {
      this.position += dt * this.speed * Math.max(this.steps / SECONDS_PER_RUN, 10);
      if (this.position > this.steps) {
        if (this.el(".lll-loop").checked) this.position = 0;
        else { this.position = this.steps; this.playing = false; this.sync(); }
      }
      this.show(Math.floor(this.position));
    }
    this.frame = requestAnimationFrame((t) => this.tick(t));
  }

  show(k) {
    if (k === this.step) return;
    this.step = k;
    this.sync();
    if (!this.trails) return;
    this.trails.draw(k);
    hub().frames += 1;
    this.moveCursor(k);
  }

  moveCursor(k) {
    // The curves' cursor moves ten times a second while playing, at once otherwise.
    const now = performance.now();
    if (this.playing && now - this.curvesAt < 100 && k !== this.steps) return;
    this.curvesAt = now;
    this.curves.signal("step", k).runAsync();
  }

  sync() {
    this.el(".lll-scrub").max = String(this.steps);
    this.el(".lll-scrub").value = String(this.step);
    this.el(".lll-counter").textContent = `step ${this.step} / ${this.steps}`;
    const play = this.el(".lll-play");
    if (play.dataset.playing !== String(this.playing)) { // touch the DOM only on change: this runs every frame
      play.dataset.playing = String(this.playing);
      play.innerHTML = this.playing ? ICONS.pause : ICONS.play; // our own constant markup, never data
      play.setAttribute("aria-label", this.playing ? "pause" : "play");
    }
    this.el(".lll-player").dataset.step = String(this.step);
    this.el(".lll-player").dataset.playing = String(this.playing);
    this.legend();
  }

  legend() {
    if (!this.header) return;
    const { labels, colors, diverged } = this.header;
    const shown = diverged.map((d) => d >= 0 && this.step > d).join();
    if (this.legendFor === this.header && this.legendShown === shown) return; // rebuild only on change
    this.legendFor = this.header;
    this.legendShown = shown;
    const list = this.el(".lll-legend");
    list.replaceChildren(...labels.map((label, i) => {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "lll-swatch";
      swatch.style.background = colors[i];
      item.append(swatch, document.createTextNode(label)); // text node: labels are never HTML
      if (diverged[i] >= 0 && this.step > diverged[i]) {
        const note = document.createElement("span");
        note.className = "lll-diverged";
        note.textContent = ` — diverged at step ${diverged[i]}`;
        item.append(note);
      }
      return item;
    }));
  }

  async update(payload, setTrigger) {
    hub().updatedAt = performance.now(); // for the benchmark's latency breakdown
    this.setTrigger = setTrigger;
    const { header } = payload;
    const data = rows(payload);
    if (header.spec_key !== this.specKey) {
      this.specKey = header.spec_key;
      const [embed, specs] = await Promise.all([waitForRuntime(), waitFor(header.spec_key)]);
      if (this.specKey !== header.spec_key) return; // a newer scene arrived meanwhile
      for (const result of [this.result, this.curvesResult]) if (result) result.finalize();
      const options = { actions: false, renderer: "canvas", logLevel: 1, config: themeConfig(this.root) };
      this.result = await embed(this.el(".lll-view"), specs.landscape, options);
      this.curvesResult = await embed(this.el(".lll-curves"), specs.curves, options);
      this.view = this.result.view;
      this.curves = this.curvesResult.view;
      if (this.trails) this.trails.remove();
      this.trails = new Trails(this.el(".lll-view"), this.view, (x, y) => this.setTrigger && this.setTrigger("start", { x, y }));
    }
    this.header = header;
    this.steps = header.steps;
    this.paths = data.paths;
    this.trails.setData(header, data.paths);
    this.curves.signal("last_step", Math.max(header.steps, 1)).data("paths", data.paths);
    this.position = Math.min(this.position, this.steps);
    this.step = -1;
    this.show(Math.floor(this.position));
    this.root.querySelector(".lll-player").dataset.ready = "true";
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    for (const result of [this.result, this.curvesResult]) if (result) result.finalize();
    if (this.trails) this.trails.remove();
    const h = hub();
    h.players = h.players.filter((p) => p !== this);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let player = PLAYERS.get(parentElement);
  if (!player) {
    player = new Player(parentElement);
    PLAYERS.set(parentElement, player);
  }
  if (data) player.update(decode(data), setTriggerValue).catch((error) => console.error("player:", error));
  return () => { player.destroy(); PLAYERS.delete(parentElement); };
}
