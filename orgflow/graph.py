"""networkx views of an org: a DAG per process, the person-activity graph, the handoff graph."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgflow.model import Process

if TYPE_CHECKING:
    import networkx as nx


def step_predecessors(process: Process) -> dict[str, list[str]]:
    """Each step's predecessors: its ``after`` list, or else the step written before it."""
    preds: dict[str, list[str]] = {}
    previous: str | None = None
    for step in process.steps:
        sid = step.step_id
        if step.after is not None:
            preds[sid] = list(step.after)
        else:
            preds[sid] = [previous] if previous is not None else []
        previous = sid
    return preds


def process_dag(process: Process) -> nx.DiGraph:
    """The precedence DAG of a process: nodes are step ids (with ``activity`` and ``index``).

    >>> from orgflow.model import Process
    >>> steps = ["a", "b", {"activity": "c", "after": ["a"]}]
    >>> p = Process.model_validate({"id": "p", "steps": steps})
    >>> sorted(process_dag(p).edges())
    [('a', 'b'), ('a', 'c')]
    """
    import networkx as nx

    graph = nx.DiGraph(process=process.id)
    for index, step in enumerate(process.steps):
        graph.add_node(step.step_id, activity=step.activity, index=index)
    for sid, preds in step_predecessors(process).items():
        for pred in preds:
            graph.add_edge(pred, sid)
    return graph


def weighted_digraph(edges: dict[tuple[str, str], float], weight: str) -> nx.DiGraph:
    """A directed graph from ``{(u, v): w}``."""
    import networkx as nx

    graph = nx.DiGraph()
    for (u, v), w in edges.items():
        graph.add_edge(u, v, **{weight: w})
    return graph


def bipartite_graph(edges: dict[tuple[str, str], float], weight: str) -> nx.Graph:
    """An undirected person-activity graph from ``{(person, activity): w}``; nodes are
    ``("person", id)`` and ``("activity", id)`` so that a person and an activity may share an
    id."""
    import networkx as nx

    graph = nx.Graph()
    for (person, activity), w in edges.items():
        graph.add_node(("person", person), kind="person")
        graph.add_node(("activity", activity), kind="activity")
        graph.add_edge(("person", person), ("activity", activity), **{weight: w})
    return graph
