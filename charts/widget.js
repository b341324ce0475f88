// The player as a Jupyter widget (anywidget's render): the model's `spec` and `data` are what
// the app's components send, `step`, `playing` and `start` go both ways. The player's code
// and the Vega runtime are bundled before this file (charts/code.py's widget_js).
const STEP_EVERY_MS = 250; // while playing, Python hears the step about four times a second

function render({ model, el }) {
  const root = document.createElement("div");
  el.appendChild(root);
  const player = new Player(root);
  // The player's keys (space, arrows, Home) are its own: Lumino, under JupyterLab and
  // Notebook 7, takes a key for the notebook's shortcuts unless its target says not to.
  for (const node of root.querySelectorAll(".lll-player, button, input, select")) node.dataset.lmSuppressShortcuts = "true";
  let heard = { step: model.get("step"), playing: model.get("playing") };
  let sentAt = 0;

  // Where the player is, said to Python with the count of Python's own changes it has heard:
  // Python drops a report that crossed a newer change of its own on the wire.
  const tell = () => {
    heard = { step: player.step, playing: player.playing };
    sentAt = performance.now();
    model.send({ step: player.step, playing: player.playing, told: model.get("told") });
  };
  let applying = false; // while Python's step or play state is being applied
  player.onChange = () => {
    if (applying || player.step < 0 || !player.header) return;
    if (player.step === heard.step && player.playing === heard.playing) return;
    if (player.playing && player.playing === heard.playing && performance.now() - sentAt < STEP_EVERY_MS) return;
    tell();
  };
  const clicked = (name, value) => {
    if (name !== "start") return;
    model.set("start", [value.x, value.y]);
    model.save_changes();
  };
  const newSpec = () => {
    const { key, spec } = JSON.parse(model.get("spec") || "null") || {};
    if (key && !(`spec:${key}` in hub().provided)) provide(`spec:${key}`, spec);
  };
  const newData = () => {
    const data = model.get("data");
    if (data && data.byteLength) player.update(decode(data), clicked).catch((error) => console.error("player:", error));
  };
  // Python set the step or the play state (or both at once): apply them as one, then say
  // where the player really is (a step past the end is clamped).
  const fromPython = () => {
    const wanted = { step: model.get("step"), playing: model.get("playing") };
    if (wanted.step === heard.step && wanted.playing === heard.playing) return; // our own report
    applying = true;
    if (!wanted.playing) player.pause();
    if (wanted.step !== heard.step) player.seek(wanted.step);
    if (wanted.playing && !player.playing) player.play();
    applying = false;
    heard = wanted;
    if (player.step >= 0 && player.header) tell();
  };

  newSpec();
  newData();
  if (!model.get("playing")) player.pause();
  model.on("change:spec", newSpec);
  model.on("change:data", newData);
  model.on("change:step change:playing", fromPython);
  return () => {
    model.off("change:spec", newSpec);
    model.off("change:data", newData);
    model.off("change:step change:playing", fromPython);
    player.destroy();
  };
}
