// The optimizer rows: one compact line per run (colour, optimizer, label, learning rate as an
// exact number and a log slider, duplicate / ×3 / remove, more). One component instead of about
// twenty Streamlit elements a row keeps a rerun small. Python stays the source of truth: each
// edit goes out as a trigger, is validated there, and the rows come back as data.
const EDITORS = new WeakMap();
const LOG_MIN = -6, LOG_MAX = 1; // the slider's decades of learning rate

const COPY_ICON = `<svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.6" d="M5.5 5.5h8v8h-8zM2.5 10.5v-8h8"/></svg>`;

const ROW_TEMPLATE = `
  <input type="color" data-field="color" data-word="color">
  <select data-field="name" data-word="optimizer"></select>
  <input type="text" data-field="label" data-word="label" maxlength="60">
  <input type="number" data-field="lr" data-word="lr" step="any" min="0">
  <input type="range" class="lll-log" data-word="lr_log" min="${LOG_MIN}" max="${LOG_MAX}" step="0.05">
  <button type="button" data-act="duplicate" data-word="duplicate">${COPY_ICON}</button>
  <button type="button" data-act="three" data-word="three">×3</button>
  <button type="button" data-act="remove" data-word="remove">✕</button>
  <label class="lll-more"><input type="checkbox" data-field="more" data-word="more"> <span data-text="more">more</span></label>`;
// What a lesson link can hide (`*_hide` flags), and the elements each one covers.
const PARTS = { color: "[data-field='color']", optimizer: "[data-field='name']", label: "[data-field='label']",
  lr: "[data-field='lr'], .lll-log", rows: "[data-act], .lll-add", more: ".lll-more" };

const lrText = (v) => String(+(+v).toPrecision(4));

class Editor {
  constructor(root) {
    this.root = root;
    this.box = document.createElement("div");
    this.box.className = "lll-rows";
    this.list = document.createElement("div");
    this.add = document.createElement("button");
    this.add.type = "button";
    this.add.className = "lll-add";
    this.add.dataset.text = "add";
    this.add.addEventListener("click", () => this.send("action", { act: "add" }));
    this.box.append(this.list, this.add);
    root.append(this.box);
  }

  send(kind, payload) {
    if (this.setTrigger) this.setTrigger(kind, payload);
  }

  // Build or refresh the rows in place (a focused field keeps what is being typed).
  update(data, setTrigger) {
    this.setTrigger = setTrigger;
    this.words = data.text || {};
    const focused = this.root.getRootNode().activeElement;
    const lines = data.rows.map((row) => this.line(row, data.optimizers));
    this.list.replaceChildren(...lines);
    if (focused && this.list.contains(focused)) focused.focus();
    this.add.disabled = data.rows.length >= data.max_rows;
    this.list.querySelectorAll("[data-act='remove']").forEach((b) => (b.disabled = data.rows.length <= 1));
    this.translate();
    const hidden = new Set(data.hide || []);
    for (const [part, selector] of Object.entries(PARTS)) {
      this.box.querySelectorAll(selector).forEach((el) => (el.hidden = hidden.has(part)));
    }
  }

  // Titles and texts in the reader's language (attributes and textContent: never HTML).
  translate() {
    for (const el of this.box.querySelectorAll("[data-word]")) {
      const name = this.words[el.dataset.word] || el.dataset.word; // the accessible name
      const title = this.words[`${el.dataset.word}_title`] || name; // the longer tooltip
      if (el.title !== title) { el.title = title; el.setAttribute("aria-label", name); }
    }
    for (const el of this.box.querySelectorAll("[data-text]")) el.textContent = this.words[el.dataset.text] || el.dataset.text;
  }

  line(row, optimizers) {
    let el = this.list.querySelector(`.lll-row[data-id="${row.id}"]`);
    if (!el) el = this.create(row.id, optimizers);
    const set = (field, prop, value) => {
      const input = el.querySelector(`[data-field="${field}"]`);
      if (input !== this.root.getRootNode().activeElement && input[prop] !== value) input[prop] = value;
    };
    set("color", "value", row.color);
    set("name", "value", row.name);
    set("label", "value", row.label);
    el.querySelector("[data-field='label']").placeholder = row.placeholder;
    set("lr", "value", lrText(row.lr));
    el.dataset.lr = String(row.lr);
    el.pending = null;
    set("more", "checked", row.more);
    el.querySelector(".lll-log").value = String(Math.log10(Math.max(row.lr, 10 ** LOG_MIN)));
    el.style.borderLeftColor = row.color;
    return el;
  }

  create(id, optimizers) {
    const el = document.createElement("div");
    el.className = "lll-row";
    el.dataset.id = String(id);
    el.innerHTML = ROW_TEMPLATE; // our own constant markup; data only ever goes in as values
    const select = el.querySelector("select");
    for (const [name, title] of optimizers) select.append(new Option(title, name));
    const edit = (field, value) => this.send("edit", { id, field, value });
    const lr = el.querySelector("[data-field='lr']"), slider = el.querySelector(".lll-log");
    const commitRate = () => { // once per new value: Enter and the blur after it are one edit
      const value = lr.valueAsNumber;
      if (Number.isFinite(value) && value !== +el.dataset.lr && value !== el.pending) { el.pending = value; edit("lr", value); }
    };
    lr.addEventListener("keydown", (e) => { if (e.key === "Enter") commitRate(); });
    lr.addEventListener("change", commitRate);
    slider.addEventListener("input", () => (lr.value = lrText(10 ** slider.valueAsNumber)));
    slider.addEventListener("change", () => { lr.value = lrText(10 ** slider.valueAsNumber); commitRate(); });
    for (const field of ["name", "label", "color"]) {
      el.querySelector(`[data-field="${field}"]`).addEventListener("change", (e) => edit(field, e.target.value));
    }
    el.querySelector("[data-field='more']").addEventListener("change", (e) => edit("more", e.target.checked));
    el.querySelectorAll("button[data-act]").forEach((b) => b.addEventListener("click", () => this.send("action", { act: b.dataset.act, id })));
    return el;
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let editor = EDITORS.get(parentElement);
  if (!editor) {
    editor = new Editor(parentElement);
    EDITORS.set(parentElement, editor);
  }
  if (data) editor.update(data, setTriggerValue);
  return () => EDITORS.delete(parentElement);
}
