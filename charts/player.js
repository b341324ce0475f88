// Loss Landscape Lab player: keeps one Vega view per scene, swaps the trajectory data on
// reruns and advances the `step` signal on requestAnimationFrame (no Python per frame).
// This code travels once per page in a component of its own (charts/player.py); each player
// instance is a small stub that waits for it. hub.js and overlay.js are prepended.
const PLAYERS = new WeakMap();
const SECONDS_PER_RUN = 6; // at 1× a whole run plays in about this long

function decode(data) {
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

function rows({ header, arrays }) {
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

function themeConfig(host, thick = 1) {
  const css = getComputedStyle(host instanceof ShadowRoot ? host.host : host);
  const text = css.getPropertyValue("--st-text-color").trim() || "#31333f";
  const font = css.getPropertyValue("--st-font").trim() || "sans-serif";
  return {
    background: null, font,
    axis: { labelColor: text, titleColor: text, domainColor: text, tickColor: text, grid: false,
      labelFontSize: 10 * (1 + (thick - 1) * 0.5), titleFontSize: 11 * (1 + (thick - 1) * 0.5) },
    title: { color: text, fontSize: 13 * (1 + (thick - 1) * 0.5) }, view: { stroke: null },
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
    <button type="button" data-act="restart" data-word="restart">${ICONS.restart}</button>
    <button type="button" data-act="back" data-word="back">${ICONS.back}</button>
    <button type="button" data-act="play" class="lll-play" data-word="play_pause">${ICONS.pause}</button>
    <button type="button" data-act="forward" data-word="forward">${ICONS.forward}</button>
    <input type="range" class="lll-scrub" min="0" max="1" value="0" data-word="step">
    <span class="lll-counter">0 / 0</span>
    <label class="lll-speed-control"><span data-text="speed">speed</span> <select class="lll-speed">
      <option value="0.25">¼×</option><option value="0.5">½×</option><option value="1" selected>1×</option>
      <option value="2">2×</option><option value="4">4×</option></select></label>
    <label class="lll-loop-control"><input type="checkbox" class="lll-loop" checked> <span data-text="loop">loop</span></label>
  </div>
  <ul class="lll-legend"></ul>
  <div class="lll-stage">
    <div class="lll-box lll-landscape"><div class="lll-view"></div></div>
    <div class="lll-3d"></div>
    <div class="lll-box lll-curves-box"><div class="lll-curves"></div></div>
  </div>
</div>`;
const WIDE = 1100; // px of player width from which the curves sit beside the landscape
const LARGEST = 1.6; // the most a picture is enlarged (its canvas is drawn at its spec's size)

class Player {
  constructor(root) {
    this.root = root;
    const holder = document.createElement("div");
    holder.innerHTML = TEMPLATE;
    root.appendChild(holder.firstElementChild);
    this.el = (sel) => root.querySelector(sel);
    this.setWords(WORDS);
    this.step = 0; this.position = 0; this.thick = 1; this.steps = 0; this.playing = true; this.speed = 1;
    this.view = null; this.onChange = null;
    this.specKey = null; this.trails = null; this.curveLines = null; this.last = null;
    this.el(".lll-controls").addEventListener("click", (e) => this.onButton(e));
    this.el(".lll-scrub").addEventListener("input", (e) => { const k = +e.target.value; this.pause(); this.seek(k); });
    this.el(".lll-speed").addEventListener("change", (e) => (this.speed = +e.target.value));
    this.el(".lll-player").tabIndex = 0;
    this.el(".lll-player").addEventListener("keydown", (e) => this.onKey(e));
    this.frame = requestAnimationFrame((t) => this.tick(t));
    this.resizing = new ResizeObserver(() => this.fitToSpace());
    this.resizing.observe(this.el(".lll-player"));
    this.onWindow = () => this.fitToSpace();
    window.addEventListener("resize", this.onWindow);
    hub().players.push(this);
  }

  // Size the picture to the space it has: the landscape and the curves beside each other on
  // wide players, stacked on narrow ones; each scaled to its box's width, and the landscape
  // also to the window's height, so the whole plot can be seen at once.
  fitToSpace() {
    const width = this.el(".lll-stage").clientWidth;
    if (!this.view || !width) return;
    const wide = width >= WIDE;
    this.el(".lll-stage").classList.toggle("lll-wide", wide);
    const room = Math.max(window.innerHeight - this.el(".lll-controls").offsetHeight - 40, 200);
    const landscape = wide ? width * 0.6 : width;
    this.scaleBox(".lll-landscape", ".lll-view", landscape, room);
    this.scaleBox(".lll-curves-box", ".lll-curves", wide ? width - landscape - 16 : width, Infinity);
    for (const overlay of [this.trails, this.curveLines]) overlay.fit();
    if (this.trails.pixels) this.trails.draw(Math.max(this.step, 0));
    if (this.curveLines.panels) this.curveLines.render();
  }

  scaleBox(box, inner, width, height) {
    const content = this.el(inner);
    const natural = [content.offsetWidth, content.offsetHeight];
    const scale = Math.min(width / natural[0], height / natural[1], LARGEST);
    content.style.transform = `scale(${scale})`;
    Object.assign(this.el(box).style, { width: `${natural[0] * scale}px`, height: `${natural[1] * scale}px` });
  }

  // Titles, labels and texts in the reader's language (textContent and attributes: never HTML).
  setWords(words) {
    this.words = { ...WORDS, ...words };
    for (const el of this.root.querySelectorAll("[data-word]")) {
      el.title = this.words[el.dataset.word];
      el.setAttribute("aria-label", this.words[el.dataset.word]);
    }
    for (const el of this.root.querySelectorAll("[data-text]")) el.textContent = this.words[el.dataset.text];
    for (const overlay of [this.trails, this.curveLines]) if (overlay) Object.assign(overlay, { words: this.words, thick: this.thick });
  }

  onButton(event) {
    const act = event.target.closest("button")?.dataset.act;
    if (act === "play") this.playing ? this.pause() : this.play();
    if (act === "back") { this.pause(); this.seek(this.step - 1); }
    if (act === "forward") { this.pause(); this.seek(this.step + 1); }
    if (act === "restart") this.seek(0);
  }

  // Presentation mode: the keys work anywhere on the page, except while typing in a field.
  listenToPage() {
    this.pageKeys = (event) => {
      if (event.defaultPrevented || event.target.closest?.("input, select, textarea, [contenteditable]")) return;
      if (this.root.contains(event.target)) return; // the player's own handler has it
      this.onKey(event);
    };
    document.addEventListener("keydown", this.pageKeys);
  }

  onKey(event) {
    const keys = { " ": () => (this.playing ? this.pause() : this.play()), ArrowLeft: () => { this.pause(); this.seek(this.step - 1); },
      ArrowRight: () => { this.pause(); this.seek(this.step + 1); }, Home: () => this.seek(0) };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  }

  play() { if (this.step >= this.steps) this.seek(0); this.playing = true; this.sync(); this.wake(); }
  // The clock runs only while playing: a paused player costs its page nothing per frame.
  wake() { if (this.frame === null) { this.last = null; this.frame = requestAnimationFrame((t) => this.tick(t)); } }
  pause() { this.playing = false; this.sync(); }

  seek(k) {
    this.position = Math.max(0, Math.min(this.steps, k));
    this.show(Math.floor(this.position));
  }

  tick(now) {
    if (!this.playing) { this.frame = null; return; }
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
    this.curveLines.draw(k);
    if (this.surface3d) this.surface3d.draw(k);
    hub().frames += 1;
  }

  sync() {
    this.el(".lll-scrub").max = String(this.steps);
    this.el(".lll-scrub").value = String(this.step);
    this.el(".lll-counter").textContent = `${this.words.step} ${this.step} / ${this.steps}`;
    const play = this.el(".lll-play");
    if (play.dataset.playing !== String(this.playing)) { // touch the DOM only on change: this runs every frame
      play.dataset.playing = String(this.playing);
      play.innerHTML = this.playing ? ICONS.pause : ICONS.play; // our own constant markup, never data
      play.setAttribute("aria-label", this.playing ? this.words.pause : this.words.play);
    }
    this.el(".lll-player").dataset.step = String(this.step);
    this.el(".lll-player").dataset.playing = String(this.playing);
    this.legend();
    if (this.onChange) this.onChange(this); // a notebook widget tells Python its step
  }

  legend() {
    if (!this.header) return;
    const { labels, colors, diverged } = this.header;
    const escaped = this.header.escaped || [];
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
      if (diverged[i] >= 0 && this.step > diverged[i]) { // escaped (loss still falling) or diverged
        const note = document.createElement("span");
        note.className = escaped[i] ? "lll-escaped" : "lll-diverged";
        note.textContent = ` — ${this.words[escaped[i] ? "escaped_at" : "diverged_at"]} ${diverged[i]}`;
        item.append(note);
      }
      return item;
    }));
  }

  async update(payload, setTrigger) {
    this.busy = true; // until this data set is drawn (the benchmark waits on it)
    this.setTrigger = setTrigger;
    const { header } = payload;
    const data = rows(payload);
    this.thick = header.present ? 2 : 1;
    this.el(".lll-player").classList.toggle("lll-present", Boolean(header.present));
    this.setWords(header.text || {});
    for (const name of ["speed", "loop"]) this.el(`.lll-${name}-control`).hidden = (header.hide || []).includes(name);
    if ((header.present || header.page_keys) && !this.pageKeys) this.listenToPage();
    if (header.spec_key !== this.specKey && !(await this.mountViews(header.spec_key))) return;
    this.header = header;
    this.steps = header.steps;
    this.paths = data.paths;
    this.trails.setData(header, data.paths);
    this.trails.setParts(header, payload.arrays);
    if (this.surface3d) this.surface3d.remove();
    this.surface3d = header.mesh ? new Surface3D(this.el(".lll-3d"), header.mesh, header, data.paths) : null;
    if (this.surface3d) this.surface3d.thick = this.thick;
    await this.curveLines.setData(header, data.paths);
    if (this.header !== header) return; // newer data arrived while the axes were redrawn
    this.fitToSpace(); // the curves' axis labels may have grown with the new data
    this.position = Math.min(this.position, this.steps);
    this.step = -1;
    this.show(Math.floor(this.position));
    this.busy = false;
    this.root.querySelector(".lll-player").dataset.ready = "true";
  }

  // Embed the scene's two Vega views and lay our canvases over them; false if a newer
  // scene arrived meanwhile.
  async mountViews(key) {
    this.specKey = key;
    const [embed, specs] = await Promise.all([need("vegaEmbed"), need(`spec:${key}`)]);
    if (this.specKey !== key) return false;
    for (const result of [this.result, this.curvesResult]) if (result) result.finalize();
    for (const overlay of [this.trails, this.curveLines]) if (overlay) overlay.remove();
    this.theme = themeConfig(this.root, this.thick); // the page's colours: light or dark theme
    const options = { actions: false, renderer: "canvas", logLevel: 1, config: this.theme };
    this.result = await embed(this.el(".lll-view"), specs.landscape, options);
    this.curvesResult = await embed(this.el(".lll-curves"), specs.curves, options);
    this.view = this.result.view;
    this.trails = new Trails(this.el(".lll-view"), this.view, (x, y) => this.setTrigger && this.setTrigger("start", { x, y }));
    this.curveLines = new Curves(this.el(".lll-curves"), this.curvesResult.view, specs.curves.usermeta.loss);
    this.setWords(this.words);
    this.fitToSpace();
    return this.specKey === key;
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    this.resizing.disconnect();
    window.removeEventListener("resize", this.onWindow);
    if (this.pageKeys) document.removeEventListener("keydown", this.pageKeys);
    for (const result of [this.result, this.curvesResult]) if (result) result.finalize();
    for (const overlay of [this.trails, this.curveLines]) if (overlay) overlay.remove();
    const h = hub();
    h.players = h.players.filter((p) => p !== this);
  }
}

// Mount or update the player of one component instance; returns its cleanup.
function mountPlayer(component) {
  const { data, parentElement, setTriggerValue } = component;
  let player = PLAYERS.get(parentElement);
  if (!player) {
    player = new Player(parentElement);
    PLAYERS.set(parentElement, player);
  }
  if (data) player.update(decode(data), setTriggerValue).catch((error) => console.error("player:", error));
  return () => { player.destroy(); PLAYERS.delete(parentElement); };
}

provide("mountPlayer", mountPlayer);
export default function () {}
