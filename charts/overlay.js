// Canvases the player draws on, over Vega views: Vega keeps the static parts (background,
// axes); the moving parts (trails, heads, curves, cursors) are drawn here frame by frame,
// since a Vega dataflow over every point cost most of a frame and most of a rerun.

const formatNumber = (v) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : +v.toPrecision(4));

// The words the player shows; Python sends them in the reader's language (header.text).
const WORDS = {
  restart: "Restart (Home)", back: "Step back (←)", play: "Play", pause: "Pause", play_pause: "Play / pause (space)",
  forward: "Step forward (→)", step: "step", speed: "speed", loop: "loop", diverged_at: "diverged at step", escaped_at: "escaped at step",
  loss: "loss", learning_rate: "learning rate", gradient_norm: "‖gradient‖", click_start: "click: start here",
  precision_floor: "float32 resolution",
};

// One trajectory point as tooltip text (textContent: labels are never HTML).
function describe(p, w = WORDS) {
  const f = formatNumber;
  return `${p.label}\n${w.step} ${p.s}\nx ${f(p.x)}, y ${f(p.y)}\n${w.loss} ${f(p.loss)}\n${w.learning_rate} ${f(p.lr)}\n${w.gradient_norm} ${f(p.g)}`;
}

// Scenegraph items of a Vega view that `match(mark, item)` accepts, each with the canvas
// position (dx, dy) of the frame its coordinates are in.
function findItems(view, match) {
  const found = [];
  const [ox, oy] = view.origin();
  const { left, top } = view.padding();
  const visit = (mark, dx, dy) => {
    for (const item of mark.items || []) {
      if (match(mark, item)) found.push({ item, dx, dy });
      if (mark.marktype === "group") for (const child of item.items || []) visit(child, dx + (item.x || 0), dy + (item.y || 0));
    }
  };
  visit(view.scenegraph().root, ox + left, oy + top);
  return found;
}

// A canvas laid exactly over a Vega view's own canvas, with a tooltip.
class Overlay {
  constructor(container, view, className) {
    this.view = view;
    this.words = WORDS;
    this.thick = 1; // line and mark scale: 2 in presentation mode
    this.canvas = document.createElement("canvas");
    this.canvas.className = className;
    this.tip = document.createElement("div");
    this.tip.className = "lll-tip";
    this.tip.hidden = true;
    container.append(this.canvas, this.tip);
    this.ctx = this.canvas.getContext("2d");
    this.canvas.addEventListener("mousemove", (e) => this.hover(...this.local(e)));
    this.canvas.addEventListener("mouseleave", () => (this.tip.hidden = true));
  }

  // Lay the canvas exactly over the Vega view's canvas, in the view's own (unscaled) pixels:
  // the player scales the whole picture to the space it has (a CSS transform), and the
  // backing store follows the screen's pixels, so trails stay sharp at any scale.
  fit() {
    const vega = this.view.container().querySelector("canvas");
    const box = vega.getBoundingClientRect();
    const frame = this.canvas.parentElement.getBoundingClientRect(); // the overlay's containing block
    this.width = vega.offsetWidth || box.width; this.height = vega.offsetHeight || box.height;
    this.scale = box.width / this.width || 1;
    this.ratio = (window.devicePixelRatio || 1) * this.scale;
    Object.assign(this.canvas.style, {
      left: `${(box.left - frame.left) / this.scale}px`, top: `${(box.top - frame.top) / this.scale}px`,
      width: `${this.width}px`, height: `${this.height}px`,
    });
    this.canvas.width = Math.round(this.width * this.ratio);
    this.canvas.height = Math.round(this.height * this.ratio);
  }

  clear() {
    this.ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    this.ctx.clearRect(0, 0, this.width, this.height);
  }

  // An event's position in the view's own pixels.
  local(event) {
    const box = this.canvas.getBoundingClientRect();
    return [(event.clientX - box.left) / this.scale, (event.clientY - box.top) / this.scale];
  }

  showTip(point, px, py) {
    this.tip.hidden = !point;
    if (!point) return;
    this.tip.textContent = describe(point, this.words);
    Object.assign(this.tip.style, { left: `${this.canvas.offsetLeft + px + 14}px`, top: `${this.canvas.offsetTop + py + 14}px` });
  }

  remove() {
    this.canvas.remove();
    this.tip.remove();
  }
}

// The landscape's moving part: trails up to the current step, start rings, heads and red
// crosses for diverged runs; a click picks a new start point.
class Trails extends Overlay {
  constructor(container, view, onPick) {
    super(container, view, "lll-trails");
    this.onPick = onPick;
    this.canvas.addEventListener("click", (e) => this.click(...this.local(e)));
    this.fit();
    const images = findItems(view, (mark, item) => mark.marktype === "image" && item.datum && "x2" in item.datum);
    this.panels = images.map(({ item: { bounds: b, datum }, dx, dy }) => ({ x: dx + b.x1, y: dy + b.y1, w: b.x2 - b.x1, h: b.y2 - b.y1, d: datum }));
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
    const escaped = this.header.escaped || [];
    this.step = k;
    this.clear();
    ctx.lineJoin = "round";
    this.panels.forEach((panel, j) => {
      ctx.save();
      ctx.beginPath();
      ctx.rect(panel.x, panel.y, panel.w, panel.h);
      ctx.clip();
      for (const { i, xs, ys } of this.pixels[j]) {
        ctx.strokeStyle = colors[i];
        ctx.lineWidth = 2.2 * this.thick;
        ctx.beginPath();
        ctx.moveTo(xs[0], ys[0]);
        for (let s = 1; s <= k; s++) ctx.lineTo(xs[s], ys[s]);
        ctx.stroke();
        this.dot(xs[0], ys[0], 4 * this.thick, null, "white");
        this.dot(xs[k], ys[k], 5.5 * this.thick, colors[i], "white");
      }
      if (this.parts) this.drawParts(k, panel, this.pixels[j]);
      ctx.restore();
      for (const { i, xs, ys } of this.pixels[j]) { // where a run left the picture, on its edge
        if (diverged[i] < 0 || k <= diverged[i]) continue;
        const x = Math.min(Math.max(xs[k], panel.x), panel.x + panel.w);
        const y = Math.min(Math.max(ys[k], panel.y), panel.y + panel.h);
        if (escaped[i]) this.dot(x, y, 7 * this.thick, "white", colors[i]); // escaped: a ring
        else this.cross(x, y); // diverged: a red cross
      }
    });
  }

  // The parts of the step leaving each head: the gradient step −η·g (white), the rest of the
  // update (momentum, preconditioning; dashed) and the step that ran (the run's colour). They
  // share one scale, enlarged so the longest step is at least 40 px (the factor is shown).
  // Nesterov's gradient belongs to its look-ahead point: there the gradient arrow starts.
  setParts(header, arrays) {
    this.parts = arrays.gs && arrays.rest ? { gs: arrays.gs, rest: arrays.rest, lookahead: header.lookahead || [] } : null;
  }

  drawParts(k, panel, runs) {
    const { gs, rest, lookahead } = this.parts;
    const steps = this.header.steps;
    if (k >= steps) return;
    const sx = panel.w / (panel.d.x2 - panel.d.x), sy = panel.h / (panel.d.y2 - panel.d.y);
    const vectors = runs.map(({ i }) => {
      const q = 2 * (i * steps + k);
      const g = [gs[q] * sx, gs[q + 1] * sy], r = [rest[q] * sx, rest[q + 1] * sy];
      return { i, g, r, u: [g[0] + r[0], g[1] + r[1]] };
    });
    const longest = Math.max(...vectors.map(({ u, g, r }) => Math.max(Math.hypot(...u), Math.hypot(...g), Math.hypot(...r))));
    if (!(longest > 0)) return;
    const scale = Math.max(1, 40 / longest);
    for (const { i, g, r, u } of vectors) {
      const { xs, ys } = runs.find((p) => p.i === i);
      const x = xs[k], y = ys[k];
      const ahead = lookahead[i] ? [x + r[0] * scale, y + r[1] * scale] : [x, y];
      if (Math.hypot(...r) > 0) this.arrow(x, y, x + r[0] * scale, y + r[1] * scale, this.header.colors[i], [5, 4]);
      this.arrow(ahead[0], ahead[1], ahead[0] + g[0] * scale, ahead[1] + g[1] * scale, "white", []);
      this.arrow(x, y, x + u[0] * scale, y + u[1] * scale, this.header.colors[i], [], 1.6);
      if (lookahead[i]) this.dot(ahead[0], ahead[1], 3 * this.thick, "white", this.header.colors[i]);
    }
    const { ctx } = this;
    ctx.font = `${12 * this.thick}px sans-serif`;
    ctx.fillStyle = "white";
    ctx.fillText(`→ ×${+scale.toPrecision(2)}`, panel.x + 6, panel.y + panel.h - 8);
  }

  arrow(x0, y0, x1, y1, color, dash, weight = 1) {
    const { ctx } = this;
    const length = Math.hypot(x1 - x0, y1 - y0);
    if (!(length > 0.5)) return;
    const head = Math.min(8 * this.thick, length / 2), angle = Math.atan2(y1 - y0, x1 - x0);
    ctx.save();
    ctx.strokeStyle = ctx.fillStyle = color;
    ctx.shadowColor = "rgba(0, 0, 0, 0.75)"; // readable on the light and the dark end of the colours
    ctx.shadowBlur = 2;
    ctx.lineWidth = 1.8 * weight * this.thick;
    ctx.setLineDash(dash);
    ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - head * Math.cos(angle - 0.4), y1 - head * Math.sin(angle - 0.4));
    ctx.lineTo(x1 - head * Math.cos(angle + 0.4), y1 - head * Math.sin(angle + 0.4));
    ctx.closePath(); ctx.fill();
    ctx.restore();
  }

  dot(x, y, r, fill, stroke) {
    const { ctx } = this;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    if (fill) { ctx.fillStyle = fill; ctx.fill(); }
    ctx.lineWidth = 1.6 * this.thick;
    ctx.strokeStyle = stroke;
    ctx.stroke();
  }

  cross(x, y) {
    const { ctx } = this;
    const r = 7 * this.thick;
    ctx.lineWidth = 3 * this.thick;
    ctx.strokeStyle = "#ff2d2d";
    ctx.beginPath();
    ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r);
    ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r);
    ctx.stroke();
  }

  click(px, py) {
    const panel = this.panels.find((p) => px >= p.x && px <= p.x + p.w && py >= p.y && py <= p.y + p.h);
    if (!panel) return;
    const x = panel.d.x + ((px - panel.x) / panel.w) * (panel.d.x2 - panel.d.x);
    const y = panel.d.y + ((py - panel.y) / panel.h) * (panel.d.y2 - panel.d.y);
    this.onPick(x, y);
  }

  hover(px, py) {
    let best = null, bestDistance = 100; // within 10 px
    this.pixels.forEach((runs) => runs.forEach(({ i, xs, ys }) => {
      for (let s = 0; s <= this.step; s++) {
        const d = (xs[s] - px) ** 2 + (ys[s] - py) ** 2;
        if (d < bestDistance) { bestDistance = d; best = this.paths[i * (this.header.steps + 1) + s]; }
      }
    }));
    this.showTip(best, px, py);
  }
}

// Where a value sits on a log or symlog axis (Vega's symlog: sign(v)·log(1 + |v|)), from 0 to 1.
function axisPosition(kind, lo, hi) {
  const t = kind === "log" ? Math.log10 : (v) => Math.sign(v) * Math.log1p(Math.abs(v));
  const a = t(lo), span = t(hi) - a || 1;
  return (v) => (t(v) - a) / span;
}

// A y domain covering `values` (finite; positive for log axes), padded so that no value lies
// on the frame (a constant rate, a loss at its floor), and widened to whole decades on log axes.
function domainOf(values, kind) {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v) && (kind !== "log" || v > 0)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!(lo <= hi)) return kind === "log" ? [0.1, 10] : [-1, 1];
  if (kind !== "log") {
    const pad = lo === hi ? Math.max(Math.abs(lo) * 0.1, 1) : (hi - lo) * 0.05;
    return [lo - pad, hi + pad];
  }
  const [a, b] = [Math.floor(Math.log10(lo) - 0.1), Math.ceil(Math.log10(hi) + 0.1)];
  return [10 ** a, 10 ** b];
}

// Loss and learning rate against step, every run, with a cursor at the current step. The
// lines are drawn once per data set into an offscreen bitmap; a frame copies it and adds the cursor.
class Curves extends Overlay {
  constructor(container, view, loss) {
    super(container, view, "lll-curve-lines");
    this.loss = loss; // {field: "gap" | "loss", scale: "log" | "symlog", f_min}
    this.lines = document.createElement("canvas");
  }

  async setData(header, paths) {
    this.header = header;
    this.paths = paths;
    const { f_min: fMin, scale } = this.loss;
    const floor = this.loss.floor || 1e-12; // float32's resolution at the minimum
    const value = fMin === null ? (p) => p.loss : (p) => Math.max(p.loss - fMin, floor);
    this.floor = fMin === null ? null : floor;
    this.series = [
      { name: "loss", kind: scale, value, first: 0 },
      { name: "lr", kind: "log", value: (p) => p.lr, first: 1 }, // a rate belongs to the step it makes
    ];
    for (const series of this.series) {
      series.domain = domainOf(paths.filter((p) => p.s >= series.first).map(series.value), series.kind);
      series.at = axisPosition(series.kind, ...series.domain);
    }
    const [loss, lr] = this.series.map((series) => series.domain);
    await this.view.signal("last_step", Math.max(header.steps, 1)).signal("loss_lo", loss[0]).signal("loss_hi", loss[1])
      .signal("lr_lo", lr[0]).signal("lr_hi", lr[1]).runAsync();
    this.fit();
    const groups = findItems(this.view, (mark) => /^concat_\d+_group$/.test(mark.name || ""));
    this.panels = groups.map(({ item, dx, dy }) => ({ x: dx + item.x, y: dy + item.y, w: item.width, h: item.height }))
      .sort((a, b) => a.x - b.x);
    this.render();
  }

  // Pixel of step s and value v in panel j.
  pixel(j, s, v) {
    const panel = this.panels[j];
    return [panel.x + (s / Math.max(this.header.steps, 1)) * panel.w, panel.y + (1 - this.series[j].at(v)) * panel.h];
  }

  render() {
    const { lines } = this;
    lines.width = this.canvas.width; lines.height = this.canvas.height;
    const ctx = lines.getContext("2d");
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.lineWidth = 1.6 * this.thick;
    ctx.lineJoin = "round";
    const width = this.header.steps + 1;
    this.series.forEach((series, j) => {
      const panel = this.panels[j];
      ctx.save();
      ctx.beginPath();
      ctx.rect(panel.x - 2, panel.y - 2, panel.w + 4, panel.h + 4); // a line on the domain's edge stays whole
      ctx.clip();
      for (let i = 0; i < this.header.n; i++) {
        ctx.strokeStyle = this.header.colors[i];
        ctx.beginPath();
        let drawing = false;
        for (let s = series.first; s < width; s++) {
          const v = series.value(this.paths[i * width + s]);
          if (!Number.isFinite(v) || (series.kind === "log" && v <= 0)) { drawing = false; continue; }
          const [x, y] = this.pixel(j, s, v);
          if (drawing) ctx.lineTo(x, y); else ctx.moveTo(x, y);
          drawing = true;
        }
        ctx.stroke();
      }
      ctx.restore();
    });
    this.draw(this.step || 0);
  }

  draw(k) {
    this.step = k;
    if (!this.panels) return;
    const { ctx } = this;
    this.clear();
    ctx.drawImage(this.lines, 0, 0, this.width, this.height);
    ctx.strokeStyle = "gray";
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    for (const panel of this.panels) {
      const x = panel.x + (k / Math.max(this.header.steps, 1)) * panel.w;
      ctx.moveTo(x, panel.y); ctx.lineTo(x, panel.y + panel.h);
    }
    ctx.stroke();
    this.drawFloor(ctx);
    ctx.setLineDash([]);
  }

  // The loss gap float32 can resolve, where it is inside the loss panel: curves that reach it
  // have reached machine precision, drawn flat on this line rather than as rounding noise.
  drawFloor(ctx) {
    const [lo, hi] = this.series[0].domain;
    if (this.floor === null || this.floor < lo || this.floor > hi) return;
    const panel = this.panels[0], y = this.pixel(0, 0, this.floor)[1];
    ctx.strokeStyle = "#888";
    ctx.beginPath();
    ctx.moveTo(panel.x, y); ctx.lineTo(panel.x + panel.w, y);
    ctx.stroke();
    ctx.fillStyle = "#666";
    ctx.font = `${11 * this.thick}px sans-serif`;
    ctx.fillText(this.words.precision_floor, panel.x + 4, y - 3);
  }

  hover(px, py) {
    const j = (this.panels || []).findIndex((p) => px >= p.x && px <= p.x + p.w && py >= p.y && py <= p.y + p.h);
    if (j < 0) return this.showTip(null);
    const panel = this.panels[j], series = this.series[j], width = this.header.steps + 1;
    const s = Math.max(series.first, Math.min(this.header.steps, Math.round(((px - panel.x) / panel.w) * this.header.steps)));
    let best = null, bestDistance = 12; // within 12 px of the line at that step
    for (let i = 0; i < this.header.n; i++) {
      const p = this.paths[i * width + s];
      const d = Math.abs(this.pixel(j, s, series.value(p))[1] - py);
      if (d < bestDistance) { bestDistance = d; best = p; }
    }
    this.showTip(best, px, py);
  }
}
