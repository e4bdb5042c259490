"""The code's shape is checked, not hoped for (issue 10, ADR 28): no module of the project imports
itself back through others, and the layering contract in pyproject.toml holds."""

from pathlib import Path

import grimp
from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

from mispers.core.imports import import_cycles, project_import_cycles

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


def test_the_cycle_finder_finds_a_circle_closed_inside_a_function():
    graph = grimp.ImportGraph()
    graph.add_import(importer="mispers.a.services", imported="mispers.b.services")
    graph.add_import(importer="mispers.b.services", imported="mispers.c.services")
    graph.add_import(importer="mispers.c.services", imported="mispers.a.services")
    graph.add_import(importer="mispers.c.services", imported="mispers.d.models")
    graph.add_import(importer="mispers.a.tests.test_x", imported="mispers.a.services")
    assert import_cycles(graph) == [["mispers.a.services", "mispers.b.services",
                                     "mispers.c.services"]]


def test_no_module_of_the_project_imports_itself_back():
    assert project_import_cycles() == []


def test_the_layering_contract_holds():
    # On failure, the captured output names each broken contract and the import that breaks it.
    assert lint_imports(config_filename=str(PYPROJECT), no_cache=True,
                        no_logo=True) == EXIT_STATUS_SUCCESS
