"""The Playground network: datasets, the course's spiral behaviour, repeatability, no recompiles
across the exercises' settings, and loss slices that pass through the trained weights."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import optimizers
from charts import network as network_charts
from landscapes import network
from optimizers import slices, train

EXERCISE_8 = train.Config(
    optimizers.make("sgd", learning_rate=0.3), batch_size=10, activation="tanh", l2=0.001
)


@pytest.fixture(scope="module")
def spiral_run():
    return train.train("spiral", [EXERCISE_8], epochs=500)


@pytest.mark.parametrize("name", network.CLASSIFICATION)
def test_datasets_are_balanced_seeded_and_in_range(name):
    xy, labels = network.points(name, seed=4)
    assert xy.shape == (500, 2) and set(np.unique(labels)) == {-1.0, 1.0}
    assert abs(labels.sum()) <= 50 and np.abs(xy).max() <= 6.5
    np.testing.assert_array_equal(network.points(name, seed=4)[0], xy)
    assert (
        not np.array_equal(network.points(name, seed=5)[0], xy) or name == "spiral"
    )  # the spiral is exact


def test_the_course_spiral_setting_learns_and_is_repeatable(spiral_run):
    loss = spiral_run.train_loss[0]
    assert loss[-1] < 0.25 * loss[0]  # well below its start in 500 epochs
    again = train.train("spiral", [EXERCISE_8], epochs=500)
    np.testing.assert_array_equal(again.weights, spiral_run.weights)


def test_the_exercises_settings_run_side_by_side_without_recompiling():
    configs = [
        train.Config(
            optimizers.make("sgd", learning_rate=lr), batch_size=b, activation=a, l1=l1, l2=l2
        )
        for lr, b, a, l1, l2 in [
            (0.03, 1, "tanh", 0, 0),
            (0.3, 10, "relu", 0.001, 0),
            (1.0, 30, "sigmoid", 0, 0.001),
        ]
    ]
    first = train.train("xor", configs, epochs=20)
    before = train._train_group._cache_size()
    changed = [
        c._replace(spec=optimizers.make("sgd", learning_rate=0.1), activation="tanh", l2=0.01)
        for c in configs
    ]
    second = train.train("xor", changed, epochs=20)
    assert train._train_group._cache_size() == before
    assert first.train_loss.shape == (3, 21) and not np.array_equal(first.weights, second.weights)


def test_a_random_slice_passes_through_the_trained_weights_with_filter_normalized_directions(
    spiral_run,
):
    surface, path = slices.loss_slice(spiral_run, 0, EXERCISE_8, "spiral")
    theta = jnp.asarray(spiral_run.weights[0, -1])
    data = network.data("spiral")
    objective = jnp.mean(network.losses(theta, data.train_x, data.train_y, 0, 8)) + network.penalty(
        theta, 0, 0.001, 8
    )
    assert float(surface(np.zeros(2, np.float32))) == pytest.approx(float(objective), rel=1e-5)
    assert path is None and surface.domain == ((-1.0, 1.0), (-1.0, 1.0))
    direction = network.filter_normalized(
        jax.random.normal(jax.random.key(0), theta.shape), theta, 8
    )
    (w1, b1), (w2, _) = network.layers(direction, 8)
    np.testing.assert_allclose(
        jnp.linalg.norm(w1, axis=0),
        jnp.linalg.norm(network.layers(theta, 8)[0][0], axis=0),
        rtol=1e-5,
    )
    assert float(jnp.abs(b1).max()) == 0.0


def test_a_pca_slice_holds_the_projected_training_path(spiral_run):
    surface, path = slices.loss_slice(spiral_run, 0, EXERCISE_8, "spiral", directions="pca")
    assert path.shape == (501, 2) and np.allclose(path[-1], 0.0)
    (x0, x1), (y0, y1) = surface.domain
    assert (
        x0 < path[:, 0].min()
        and path[:, 0].max() < x1
        and y0 < path[:, 1].min()
        and path[:, 1].max() < y1
    )


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_noise_flips_labels_near_the_border_and_leaves_points_where_they_are(name):
    """As the Playground's dataset.ts: the label is read at a point moved by up to ±5·noise."""
    calm, noisy = network.points(name, noise=0.0), network.points(name, noise=0.5)
    np.testing.assert_array_equal(noisy[0], calm[0])
    flipped = np.mean(noisy[1] != calm[1])
    assert 0.05 < flipped < 0.5


def test_noise_moves_the_spiral_by_at_most_its_value_and_widens_the_gaussians():
    calm, noisy = network.points("spiral", noise=0.0)[0], network.points("spiral", noise=0.3)[0]
    moved = np.abs(noisy - calm)
    assert 0.2 < moved.max() <= 0.3
    for noise, variance in ((0.0, 0.5), (0.5, 4.0)):  # the Playground's d3 scale [0, .5] → [.5, 4]
        xy, labels = network.points("gauss", noise=noise)
        positive = xy[labels > 0]
        assert np.var(positive, axis=0) == pytest.approx([variance, variance], rel=0.2)
        np.testing.assert_allclose(positive.mean(axis=0), [2, 2], atol=0.3)


def test_the_ratio_sets_the_share_of_points_that_train_and_every_point_is_used_once():
    data = network.data("spiral", ratio=80)
    assert (len(data.train_y), len(data.test_y)) == (400, 100)
    everything = np.concatenate([data.train_points, data.test_points])
    np.testing.assert_array_equal(everything, network.points("spiral")[0])
    tiny = network.data(((0, 0, 1), (1, 1, 1), (2, 2, -1), (3, 3, -1)), ratio=10)
    assert (len(tiny.train_y), len(tiny.test_y)) == (1, 3)  # a point on each side at least


def test_training_uses_the_ratios_split():
    configs = [train.Config(optimizers.make("sgd"), 10)]
    run = train.train("xor", configs, epochs=1, hidden=4, ratio=20)
    data = network.data("xor", ratio=20)
    for loss, x, y in (
        (run.train_loss, data.train_x, data.train_y),
        (run.test_loss, data.test_x, data.test_y),
    ):
        expected = jnp.mean(network.losses(jnp.asarray(run.weights[0, 0]), x, y, 0, 4))
        assert loss[0, 0] == pytest.approx(float(expected), rel=1e-5)


PLAYGROUND_BUMPS = [
    (-4, 2.5, 1),
    (0, 2.5, -1),
    (4, 2.5, 1),
    (-4, -2.5, -1),
    (0, -2.5, 1),
    (4, -2.5, -1),
]


def test_the_regression_sets_targets_are_the_playgrounds():
    """dataset.ts: points uniform over [-6, 6]²; the plane's target (x + y)/10, the six
    Gaussians' the signed bump 1 − d/2 (at least 0) largest in size among them."""
    xy, y = network.points("reg-plane", seed=3)
    assert np.abs(xy).max() <= 6 and np.allclose(y, (xy[:, 0] + xy[:, 1]) / 10, atol=1e-6)
    xy, y = network.points("reg-gauss", seed=3)
    for point, target in zip(xy, y, strict=True):
        label = 0.0
        for cx, cy, sign in PLAYGROUND_BUMPS:
            height = sign * max(0.0, 1 - math.dist(point, (cx, cy)) / 2)
            label = height if abs(height) > abs(label) else label
        assert target == pytest.approx(label, abs=1e-6)
    noisy_xy, noisy_y = network.points("reg-gauss", noise=0.3, seed=3)
    np.testing.assert_array_equal(noisy_xy, xy)  # noise moves where a target is read, not points
    assert np.mean(noisy_y != y) > 0.3


def test_a_linear_model_on_the_plane_finds_the_least_squares_plane():
    """No hidden layer, inputs x and y, the regression's linear output: least squares, whose
    solution for the targets (x + y)/10 is w = (0.1, 0.1), b = 0 with no error left; full-batch
    gradient descent at a rate below 2/λ_max of the convex quadratic converges to it."""
    config = train.Config(optimizers.make("sgd", learning_rate=0.1), 250, "tanh", 0.0, 0.0)
    run = train.train("reg-plane", [config], epochs=300, hidden=(), inputs=("x", "y"))
    ((w, b),) = network.layers(run.final[0], ())
    np.testing.assert_allclose(w[:2, 0], [0.1, 0.1], atol=1e-5)
    assert abs(float(b[0])) < 1e-5 and run.final_test[0] < 1e-9


def test_the_output_picture_colours_targets_on_the_ramp_and_a_non_number_grey():
    xy = np.array([[-3.0, 0.0], [0.0, 0.0], [3.0, 0.0]])
    picture = network_charts.decision_boundary(
        np.full((4, 4), np.nan), 6.0, xy, np.array([-1.0, 0.0, 1.0]), size=90
    )
    at = lambda x: picture.getpixel((int((x + 6) / 12 * 90), 45))  # noqa: E731
    assert at(-3.0) == (0xF5, 0x93, 0x22) and at(0.0) == (0xE8, 0xEA, 0xEB)
    assert at(3.0) == (0x08, 0x77, 0xBD) and picture.getpixel((5, 5)) == (153, 153, 153)


def test_a_regression_set_after_a_classification_one_compiles_nothing():
    """The output's activation is traced, as the data are: the plane after XOR is one program."""
    config = train.Config(optimizers.make("sgd", learning_rate=0.1), 10)
    train.train("xor", [config], epochs=5, hidden=3)
    before = train._train_group._cache_size()
    plane = train.train("reg-plane", [config], epochs=5, hidden=3)
    assert train._train_group._cache_size() == before and np.all(np.isfinite(plane.train_loss))
