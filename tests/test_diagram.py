"""The diagram's payload: what the browser draws from, checked without a browser."""

import base64

import numpy as np

import optimizers
from charts import diagram, standalone
from landscapes import network
from optimizers import train


def test_the_payload_carries_each_runs_weights_at_every_epoch_and_no_made_up_loss():
    configs = [
        train.Config(optimizers.make("sgd", learning_rate=0.3), 10),
        train.Config(optimizers.make("sgd", learning_rate=40.0), 10),
    ]
    runs = train.train("xor", configs, epochs=12, hidden=(3, 2))
    shape = ((3, 2), ("x", "y"), network.output("reg-plane"))
    data = diagram.payload(runs, runs.labels, ["#000", "#111"], ["tanh", "relu"], shape, {})
    assert data["layers"] == [7, 3, 2, 1] and data["inputs"] == [True, True] + [False] * 5
    assert data["output"] == "linear"
    assert data["epochs"] == list(range(13))
    for run, weights, loss in zip(data["runs"], runs.weights, runs.test_loss, strict=True):
        sent = np.frombuffer(base64.b64decode(run["weights"]), np.float32).reshape(13, -1)
        np.testing.assert_array_equal(sent, weights)
        assert [v is None for v in run["test"]] == list(~np.isfinite(loss))
    assert sent.shape[1] == network.size((3, 2))
    assert diagram.finite_or_none([0.5, np.nan, np.inf]) == [0.5, None, None]  # a gap, drawn so


def test_long_runs_of_large_networks_are_thinned_to_the_budget_keeping_the_last_epoch():
    every = diagram.stride(9, 501, network.size((8,) * 6))
    assert (
        every == 5
        and 9 * len(range(0, 501, every)) * network.size((8,) * 6) <= diagram.MAX_FLOATS * 1.01
    )
    assert diagram.stride(9, 501, network.size(8)) == 1  # the course's network: every epoch


def test_the_offline_page_shows_its_words_as_text_and_a_label_cannot_end_its_script():
    runs = train.train("xor", [train.Config(optimizers.make("sgd", learning_rate=0.3), 10)], 3, 2)
    hostile = "</script><img src=x onerror=alert(1)>"
    data = diagram.payload(runs, [hostile], ["#000"], ["tanh"], (2, network.INPUTS, 0), {})
    document = standalone.diagram_page("<b>t</b>", hostile, data)
    assert "<b>t</b>" not in document and "&lt;b&gt;t&lt;/b&gt;" in document
    assert document.count("</script>") == 1 and "<img" not in document
    assert "export default" not in document and "mount({ data: " in document
