"""The project as a package: scenes from Python in a line, and the wheel installed in a fresh
virtual environment outside the checkout running the README's notebook snippet."""

import pathlib
import re
import subprocess
import sys
import sysconfig

import pytest

import scenes
from scenes.python import as_scene

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_a_scene_in_a_line_takes_names_dicts_and_rows_and_its_link_comes_back():
    made = scenes.scene("rosenbrock", ["adam", dict(name="sgd", learning_rate=1e-3)], steps=500)
    assert [row.name for row in made.rows] == ["adam", "sgd"] and made.steps == 500
    assert made.rows[1].hyper == {"learning_rate": 1e-3}
    assert scenes.scene("rosenbrock", [made.rows[1]]).rows == (made.rows[1],)
    assert made.link().startswith("http://localhost:8501/?surface=rosenbrock")
    assert scenes.from_link(made.link()) == made
    assert scenes.from_link(made.link().split("?", 1)[1]) == made  # the query string alone
    own = scenes.scene("formula", ["momentum"], formula="x^2 + 3*y^2", start=(1, 1))
    assert own.formula == "x^2 + 3*y^2" and own.start == (1.0, 1.0)


@pytest.mark.parametrize(
    "call, said",
    [
        (lambda: scenes.scene("rosenbrock", [dict(name="sgd", learnin_rate=1)]), "learnin_rate"),
        (lambda: scenes.scene("banana"), "banana"),
        (lambda: scenes.scene(steps=-4), "steps"),
        (lambda: scenes.from_link("http://localhost:8501/?surface=rosenbrock&o=nadam2"), "nadam2"),
    ],
)
def test_a_value_a_scene_cannot_take_is_an_error_in_one_line_naming_it(call, said):
    with pytest.raises(scenes.SceneError) as error:
        call()
    assert said in str(error.value) and "\n" not in str(error.value)


def notebook_snippet() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- notebook snippet -->\n```python\n(.*?)```", readme, re.S)
    assert found, "the README has its notebook snippet"
    return found.group(1)


def test_the_wheel_installs_in_a_fresh_environment_and_the_readmes_snippet_runs(tmp_path):
    """Built from the checkout, installed where the checkout is not on the path; the
    dependencies come from this environment's site-packages (a .pth file), not downloaded."""
    built = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation"]
        + ["-q", "-w", str(built)],
        check=True,
        capture_output=True,
    )
    (wheel,) = built.glob("loss_landscape_lab-*.whl")
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (pathlib.Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
    subprocess.run([*install, "-q", str(wheel)], check=True, capture_output=True)
    work = tmp_path / "notebook"
    work.mkdir()
    ran = subprocess.run(
        [python, "-c", notebook_snippet()], cwd=work, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert "Adam" in ran.stdout and "?surface=rosenbrock" in ran.stdout
    page = (work / "rosenbrock.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "mountPlayer" in page
    where = subprocess.run(
        [
            python,
            "-c",
            "import scenes, lll_i18n as i18n; print(scenes.__file__)\n"
            "print(i18n.text('view.network', 'zh-Hant'))",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in where and "site-packages" in where and "在資料上訓練的網路" in where
    listed = subprocess.run(
        [env / "bin" / "loss-landscape-lab", "list"], cwd=work, capture_output=True, text=True
    )
    assert listed.returncode == 0 and "classic_beale" in listed.stdout


def test_show_takes_a_scene_a_link_or_a_presets_name_and_says_what_else_it_got():
    made = scenes.scene("rosenbrock", ["adam"], steps=50)
    assert as_scene(made.link()) == made
    assert as_scene("classic_beale") == scenes.presets.load("classic_beale")[1]
    assert scenes.show(made.link(), lang="zh-Hans").scene == made
    with pytest.raises(scenes.SceneError) as error:
        scenes.show("bananas")
    assert "bananas" in str(error.value)
