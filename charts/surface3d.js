// The surface as a rotatable 3-D wireframe with the runs on it, drawn by the player on its own
// clock (draw(k) each frame). Drag to turn it; nothing goes back to Python. Heights use the
// picture's log scale, so a run's height is its loss on the same scale as the mesh.
class Surface3D {
  constructor(container, mesh, header, paths) {
    this.mesh = mesh; this.header = header; this.paths = paths;
    this.yaw = -0.7; this.pitch = 0.9; this.thick = 1; this.step = 0;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "lll-3d-canvas";
    this.canvas.width = 520; this.canvas.height = 400;
    container.replaceChildren(this.canvas);
    this.ctx = this.canvas.getContext("2d");
    this.canvas.addEventListener("pointerdown", (e) => { this.drag = [e.clientX, e.clientY]; this.canvas.setPointerCapture(e.pointerId); });
    this.canvas.addEventListener("pointerup", () => (this.drag = null));
    this.canvas.addEventListener("pointermove", (e) => this.turn(e));
  }

  turn(e) {
    if (!this.drag) return;
    const [x, y] = this.drag;
    this.yaw += (e.clientX - x) * 0.01;
    this.pitch = Math.min(1.5, Math.max(0.05, this.pitch + (e.clientY - y) * 0.01));
    this.drag = [e.clientX, e.clientY];
    this.draw(this.step);
  }

  height(loss) { // the picture's log scale (charts/background.py log_field)
    const { lo, span } = this.mesh;
    const a = Math.log10(span * 1e-4), b = Math.log10(span * (1 + 1e-4));
    const v = Number.isFinite(loss) ? Math.max(loss - lo, 0) : span;
    return Math.min(1, Math.max(0, (Math.log10(v + span * 1e-4) - a) / (b - a)));
  }

  project(u, v, w) { // u, v in [-1, 1] across the domain, w in [0, 1] up
    const cy = Math.cos(this.yaw), sy = Math.sin(this.yaw), cp = Math.cos(this.pitch), sp = Math.sin(this.pitch);
    const x = u * cy - v * sy, depth = u * sy + v * cy, z = (w - 0.5) * 1.2;
    const scale = Math.min(this.canvas.width, this.canvas.height) * 0.36;
    return [this.canvas.width / 2 + x * scale, this.canvas.height / 2 - (z * sp - depth * cp) * scale];
  }

  toUnit(x, y) {
    const [x0, x1] = this.mesh.x, [y0, y1] = this.mesh.y;
    return [((x - x0) / (x1 - x0)) * 2 - 1, ((y - y0) / (y1 - y0)) * 2 - 1];
  }

  draw(k) {
    this.step = k;
    const { ctx, mesh } = this, n = mesh.n;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.lineWidth = 1;
    for (const across of [true, false]) {
      for (let i = 0; i < n; i += 2) {
        ctx.beginPath();
        for (let j = 0; j < n; j++) {
          const [r, c] = across ? [i, j] : [j, i];
          const [px, py] = this.project((c / (n - 1)) * 2 - 1, (r / (n - 1)) * 2 - 1, mesh.h[r * n + c]);
          j ? ctx.lineTo(px, py) : ctx.moveTo(px, py);
        }
        ctx.strokeStyle = "rgba(90, 110, 160, 0.45)";
        ctx.stroke();
      }
    }
    const width = this.header.steps + 1;
    for (let i = 0; i < this.header.n; i++) {
      ctx.strokeStyle = ctx.fillStyle = this.header.colors[i];
      ctx.lineWidth = 2.2 * this.thick;
      ctx.beginPath();
      let head = null;
      for (let s = 0; s <= k; s++) {
        const p = this.paths[i * width + s];
        const [u, v] = this.toUnit(p.x, p.y);
        if (Math.abs(u) > 1 || Math.abs(v) > 1) break; // off the mesh
        head = this.project(u, v, this.height(p.loss));
        s ? ctx.lineTo(...head) : ctx.moveTo(...head);
      }
      ctx.stroke();
      if (head) { ctx.beginPath(); ctx.arc(head[0], head[1], 4.5 * this.thick, 0, 2 * Math.PI); ctx.fill(); }
    }
  }

  remove() { this.canvas.remove(); }
}
