"""The example notebooks (examples/): stored without outputs, and each runs from top to bottom
in a fresh kernel, outside the checkout (the installed package), so they cannot rot."""

import pathlib

import nbclient
import nbformat
import pytest

EXAMPLES = sorted((pathlib.Path(__file__).resolve().parent.parent / "examples").glob("*.ipynb"))


def test_the_course_lessons_have_their_notebooks():
    names = {path.stem for path in EXAMPLES}
    assert {"day79_learning_rate", "day87_reduce_on_plateau", "cs231n_update_rules"} <= names
    assert "stability_map" in names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_a_notebook_is_stored_without_outputs_and_runs(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error or failed assert
    shown = [
        o for c in code for o in c.outputs if o.output_type in ("display_data", "execute_result")
    ]
    assert shown, "the notebook shows a picture or a chart"
