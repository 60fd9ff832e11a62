"""Graphs of an org: each step's predecessors, the one topological sort and cycle finder every
layer uses, and the networkx views (a DAG per process, the person-activity graph, the handoff
graph)."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from orgflow.model import Process

if TYPE_CHECKING:
    import networkx as nx

N = TypeVar("N", bound=Hashable)


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


def topological_order(
    preds: Mapping[N, Iterable[N]], key: Callable[[N], Any] | None = None
) -> list[N] | None:
    """The nodes of ``preds`` (node -> its predecessors) in topological order, the smallest
    ``key`` first among the nodes that are ready (networkx's
    ``lexicographical_topological_sort``); ``None`` when they wait for each other in a cycle.

    The order is unique: at each point the ready node with the smallest key comes next, of
    equal keys the one ``preds`` lists first.

    >>> topological_order({"a": [], "b": ["a"], "c": []}, key="acb".index)
    ['a', 'c', 'b']
    >>> topological_order({"a": ["b"], "b": ["a"]}) is None
    True
    """
    rank: Callable[[N], Any] = key if key is not None else (lambda node: node)
    succs: dict[N, list[N]] = {node: [] for node in preds}
    waiting: dict[N, int] = {}
    for node, before in preds.items():
        before = list(before)
        waiting[node] = len(before)
        for pred in before:
            succs[pred].append(node)
    # (rank, position, node): nodes of equal rank come in the order ``preds`` lists them
    position = {node: i for i, node in enumerate(preds)}
    ready = [(rank(node), position[node], node) for node in preds if not waiting[node]]
    heapq.heapify(ready)
    out: list[N] = []
    while ready:
        node = heapq.heappop(ready)[2]
        out.append(node)
        for after in succs[node]:
            waiting[after] -= 1
            if not waiting[after]:
                heapq.heappush(ready, (rank(after), position[after], after))
    return out if len(out) == len(preds) else None


def descendants(order: list[N], preds: Mapping[N, Iterable[N]]) -> dict[N, frozenset[N]]:
    """Each node's descendants (every node that waits for it, directly or not), given the
    nodes in topological ``order``.

    >>> found = descendants(["a", "b", "c"], {"a": [], "b": ["a"], "c": ["b"]})
    >>> sorted(found["a"]), sorted(found["c"])
    (['b', 'c'], [])
    """
    succs: dict[N, list[N]] = {node: [] for node in order}
    for node in order:
        for pred in preds[node]:
            succs[pred].append(node)
    out: dict[N, frozenset[N]] = {}
    for node in reversed(order):
        below: set[N] = set()
        for after in succs[node]:
            below.add(after)
            below |= out[after]
        out[node] = frozenset(below)
    return out


def find_cycle(preds: Mapping[str, list[str]]) -> list[str] | None:
    """A cycle among the nodes, in order (each waits for the one before it), or ``None``.

    The standard library's ``graphlib`` finds it: loading a file does not import networkx.

    >>> find_cycle({"a": ["c"], "b": ["a"], "c": ["b"]})
    ['a', 'b', 'c']
    >>> find_cycle({"a": [], "b": ["a"]}) is None
    True
    """
    import graphlib

    try:
        graphlib.TopologicalSorter(preds).prepare()
    except graphlib.CycleError as exc:
        # Each node is an immediate predecessor of the next; the first is repeated last.
        return list(exc.args[1])[:-1]
    return None


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
