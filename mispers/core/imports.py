"""The project's import graph, for the layering checks (ADR 28): which modules import each other in
a circle. Imports inside functions count: a circle closed at run time is still a circle."""

import grimp
import networkx

ROOT = "mispers"


def _ours(module: str) -> bool:
    # Tests and migrations are leaves nobody imports; they may import anything.
    return ".tests" not in module and ".migrations" not in module


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Each group of modules that import one another, directly or through each other (the strongly
    connected components of more than one module), sorted."""
    directed = networkx.DiGraph()
    for module in filter(_ours, graph.modules):
        directed.add_node(module)
        directed.add_edges_from((module, imported)
                                for imported in graph.find_modules_directly_imported_by(module)
                                if imported != module and _ours(imported))
    return sorted(sorted(group) for group in networkx.strongly_connected_components(directed)
                  if len(group) > 1)


def project_import_cycles() -> list[list[str]]:
    return import_cycles(grimp.build_graph(ROOT, cache_dir=None))
