// The network diagram (charts/diagram.py): inputs, hidden neurons each with a picture of its
// output over the plane, the output; links coloured by sign and as thick as the weight, dashed
// where it is exactly zero. An epoch clock of its own plays the recorded weights; every frame
// is computed here from them, none comes from Python.
const GRID = 16; // each neuron's picture: GRID × GRID points over [-6, 6]²
const EXTENT = 6;
const NODE = 34; // a neuron's square, in px
const FEATURES = [
  (x, y) => x, (x, y) => y, (x, y) => x * x, (x, y) => y * y,
  (x, y) => x * y, (x, y) => Math.sin(x), (x, y) => Math.sin(y),
];
const ACTIVATE = {
  tanh: Math.tanh, relu: (z) => Math.max(0, z), sigmoid: (z) => 1 / (1 + Math.exp(-z)), linear: (z) => z,
};
const NEGATIVE = [245, 147, 34], ZERO = [232, 234, 235], POSITIVE = [8, 119, 189]; // the Playground's
const SVG = "http://www.w3.org/2000/svg";
const DIAGRAMS = new Map();
window.__lllDiagrams = window.__lllDiagrams || []; // for tests and the benchmark (window.__lll is the hub's)

function colour(v) { // -1 → orange, 0 → grey, 1 → blue, clamped
  const t = Math.max(-1, Math.min(1, v));
  const [from, to, s] = t < 0 ? [ZERO, NEGATIVE, -t] : [ZERO, POSITIVE, t];
  return from.map((c, i) => Math.round(c + (to[i] - c) * s));
}

function decode(text) {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

function blocks(layers) { // [offset, inputs, outputs] of each layer's weights; biases follow
  const out = [];
  let at = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    out.push([at, layers[l], layers[l + 1]]);
    at += layers[l] * layers[l + 1] + layers[l + 1];
  }
  return out;
}

const GRID_FEATURES = (() => { // the seven features at every picture point, row by row from the top
  const out = [];
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      const x = -EXTENT + (2 * EXTENT * (c + 0.5)) / GRID, y = EXTENT - (2 * EXTENT * (r + 0.5)) / GRID;
      out.push(FEATURES.map((f) => f(x, y)));
    }
  }
  return out;
})();

class Diagram {
  constructor(root) {
    this.root = root.appendChild(document.createElement("div"));
    this.root.className = "lll-diagram";
    this.root.innerHTML = `<div class="lll-diagram-controls"><button type="button" data-act="play"></button>
      <label><span data-word="run"></span> <select data-act="run"></select></label>
      <input type="range" min="0" value="0" data-act="scrub"><span class="lll-diagram-epoch"></span></div>
      <div class="lll-diagram-net"><svg class="lll-diagram-links"></svg></div>
      <svg class="lll-diagram-curve" viewBox="0 0 300 60" preserveAspectRatio="none"></svg>`;
    this.button = this.root.querySelector("[data-act=play]");
    this.menu = this.root.querySelector("[data-act=run]");
    this.scrub = this.root.querySelector("[data-act=scrub]");
    this.net = this.root.querySelector(".lll-diagram-net");
    this.playing = false;
    this.frame = 0;
    this.drawn = 0; // frames drawn, for tests and the benchmark
    this.button.addEventListener("click", () => this.toggle());
    this.scrub.addEventListener("input", () => { this.playing = false; this.show(+this.scrub.value); });
    this.menu.addEventListener("change", () => this.choose(+this.menu.value));
    this.width = 0;
    new ResizeObserver(() => { // a narrower window (a phone turned) draws the network anew
      const width = Math.round(this.net.getBoundingClientRect().width);
      if (this.data && width && width !== this.width) { this.layout(); this.show(this.frame); }
    }).observe(this.net);
    window.__lllDiagrams.push(this);
  }

  update(data) {
    this.data = data;
    this.text = data.text;
    this.root.querySelector("[data-word=run]").textContent = data.text.run;
    this.runs = data.runs.map((run) => ({ ...run, weights: decode(run.weights) }));
    this.menu.innerHTML = "";
    data.runs.forEach((run, i) => this.menu.add(new Option(run.label, String(i))));
    this.scrub.max = String(data.epochs.length - 1);
    this.layout();
    this.choose(Math.min(this.chosen || 0, this.runs.length - 1));
    this.show(data.epochs.length - 1);
    this.label();
  }

  layout() { // nodes in columns, links under them
    const { layers } = this.data;
    const width = Math.max(this.net.getBoundingClientRect().width || 320, 240), height = Math.max(...layers) * (NODE + 12) + 20;
    this.net.style.height = `${height}px`;
    this.width = Math.round(width);
    this.net.querySelectorAll(".lll-diagram-node").forEach((n) => n.remove());
    const svg = this.net.querySelector("svg");
    svg.innerHTML = "";
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    const x = (l) => 60 + ((width - 120) * l) / (layers.length - 1);
    const y = (l, i) => (height - layers[l] * (NODE + 12)) / 2 + i * (NODE + 12) + NODE / 2;
    this.nodes = layers.map((n, l) => Array.from({ length: n }, (_, i) => this.node(l, i, x(l), y(l, i))));
    this.links = [];
    blocks(layers).forEach(([at, nIn, nOut], l) => {
      for (let i = 0; i < nIn; i++) {
        for (let j = 0; j < nOut; j++) {
          if (l === 0 && !this.data.inputs[i]) continue; // an input switched off has no links
          const path = document.createElementNS(SVG, "path");
          const [x0, y0, x1, y1] = [x(l) + NODE / 2, y(l, i), x(l + 1) - NODE / 2, y(l + 1, j)];
          path.setAttribute("d", `M${x0},${y0} C${(x0 + x1) / 2},${y0} ${(x0 + x1) / 2},${y1} ${x1},${y1}`);
          path.appendChild(document.createElementNS(SVG, "title"));
          svg.appendChild(path);
          this.links.push({ path, index: at + i * nOut + j });
        }
      }
    });
  }

  node(l, i, cx, cy) {
    const el = this.net.appendChild(document.createElement("div"));
    el.className = "lll-diagram-node";
    el.style.left = `${cx - NODE / 2}px`;
    el.style.top = `${cy - NODE / 2}px`;
    if (l === 0) {
      el.classList.add("lll-diagram-input");
      el.classList.toggle("lll-diagram-off", !this.data.inputs[i]);
      el.textContent = this.data.symbols[i];
      return { el };
    }
    const canvas = el.appendChild(document.createElement("canvas"));
    canvas.width = canvas.height = GRID;
    return { el, canvas, image: canvas.getContext("2d").createImageData(GRID, GRID) };
  }

  choose(run) {
    this.chosen = run;
    this.menu.value = String(run);
    this.curve();
    this.show(this.frame);
  }

  toggle() {
    this.playing = !this.playing;
    if (this.playing && this.frame >= this.data.epochs.length - 1) this.frame = 0;
    this.label();
    const tick = () => {
      if (!this.playing || !this.root.isConnected) return;
      if (this.frame >= this.data.epochs.length - 1) { this.playing = false; this.label(); return; }
      this.show(this.frame + 1);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  label() { this.button.textContent = this.playing ? this.text.pause : this.text.play; }

  show(frame) { // the chosen run at one of the epochs sent: links, pictures, the clock
    this.frame = Math.max(0, Math.min(frame, this.data.epochs.length - 1));
    const run = this.runs[this.chosen];
    const { layers } = this.data;
    const size = run.weights.length / this.data.epochs.length;
    const theta = run.weights.subarray(this.frame * size, (this.frame + 1) * size);
    for (const { path, index } of this.links) {
      const w = theta[index];
      const finite = Number.isFinite(w);
      path.setAttribute("stroke", finite ? `rgb(${colour(w).join(",")})` : "#999");
      path.setAttribute("stroke-width", finite ? Math.min(1 + Math.abs(w) * 2, 10).toFixed(2) : "1");
      path.classList.toggle("lll-diagram-dead", w === 0);
      path.firstChild.textContent = w === 0 ? `${this.text.weight} 0 · ${this.text.dead}` : `${this.text.weight} ${finite ? w.toFixed(3) : "NaN"}`;
    }
    this.pictures(theta, layers, run.activation);
    this.scrub.value = String(this.frame);
    this.root.querySelector(".lll-diagram-epoch").textContent = `${this.text.epoch} ${this.data.epochs[this.frame]}`;
    this.marker();
    this.drawn += 1;
  }

  pictures(theta, layers, activation) { // each neuron's output over the plane, layer by layer
    const act = ACTIVATE[activation] || Math.tanh;
    const output = ACTIVATE[this.data.output] || Math.tanh; // linear for the regression sets
    let values = GRID_FEATURES;
    blocks(layers).forEach(([at, nIn, nOut], l) => {
      const last = l === layers.length - 2;
      values = values.map((inputs) => {
        const out = new Array(nOut);
        for (let j = 0; j < nOut; j++) {
          let z = theta[at + nIn * nOut + j];
          for (let i = 0; i < nIn; i++) z += inputs[i] * theta[at + i * nOut + j];
          out[j] = last ? output(z) : act(z);
        }
        return out;
      });
      this.nodes[l + 1].forEach(({ el, canvas, image }, j) => {
        values.forEach((v, p) => {
          const [r, g, b] = Number.isFinite(v[j]) ? colour(v[j]) : [153, 153, 153];
          image.data.set([r, g, b, 255], p * 4);
        });
        canvas.getContext("2d").putImageData(image, 0, 0);
        const bias = theta[at + nIn * nOut + j];
        el.title = `${this.text.bias} ${Number.isFinite(bias) ? bias.toFixed(3) : "NaN"}`;
      });
    });
  }

  curve() { // the chosen run's train and test loss, the epoch marked
    const run = this.data.runs[this.chosen];
    const svg = this.root.querySelector(".lll-diagram-curve");
    const values = [...run.train, ...run.test].filter((v) => v !== null);
    const top = Math.max(...values, 1e-9);
    const n = Math.max(this.data.epochs.length - 1, 1);
    const line = (series) => series.map((v, i) => (v === null ? null : `${(300 * i) / n},${60 - (58 * v) / top}`));
    const path = (points) => { // a gap where the loss is not a number
      let d = "", pen = false;
      for (const p of points) {
        if (p !== null) d += (pen ? " L" : " M") + p;
        pen = p !== null;
      }
      return d;
    };
    svg.innerHTML = `<path class="lll-diagram-train" d="${path(line(run.train))}"><title>${this.text.train}</title></path>
      <path class="lll-diagram-test" d="${path(line(run.test))}"><title>${this.text.test}</title></path>
      <line class="lll-diagram-now" y1="0" y2="60"></line>`;
  }

  marker() {
    const x = (300 * this.frame) / Math.max(this.data.epochs.length - 1, 1);
    const now = this.root.querySelector(".lll-diagram-now");
    if (now) { now.setAttribute("x1", x); now.setAttribute("x2", x); }
  }
}

function mount(component) { // as Streamlit's v2 components call it, or the offline page
  const { data, parentElement } = component;
  let diagram = DIAGRAMS.get(parentElement);
  if (!diagram) {
    diagram = new Diagram(parentElement);
    DIAGRAMS.set(parentElement, diagram);
  }
  if (data) diagram.update(data);
  return () => DIAGRAMS.delete(parentElement);
}

export default mount;
