"""The one topological sort, descendants and cycle finder (orgflow/graph.py), held against
networkx on random DAGs."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from orgflow.graph import descendants, find_cycle, topological_order


def random_dag(seed: int, n: int) -> dict[int, list[int]]:
    """Node i waits for some of the nodes before it (a DAG), listed in a shuffled order."""
    rng = random.Random(seed)
    preds = {i: sorted(rng.sample(range(i), rng.randint(0, min(i, 3)))) for i in range(n)}
    nodes = list(preds)
    rng.shuffle(nodes)
    return {node: preds[node] for node in nodes}


@pytest.mark.parametrize("seed", range(30))
def test_the_order_is_networkx_lexicographical_order(seed: int) -> None:
    preds = random_dag(seed, 12)
    rng = random.Random(seed + 100)
    rank = {node: rng.randint(0, 4) for node in preds}  # ties too: the file's order breaks them
    graph = nx.DiGraph()
    graph.add_nodes_from(preds)
    graph.add_edges_from((p, node) for node, ps in preds.items() for p in ps)
    expected = list(nx.lexicographical_topological_sort(graph, key=rank.__getitem__))
    assert topological_order(preds, key=rank.__getitem__) == expected


@pytest.mark.parametrize("seed", range(10))
def test_descendants_are_networkx_descendants(seed: int) -> None:
    preds = random_dag(seed, 15)
    order = topological_order(preds)
    assert order is not None
    graph = nx.DiGraph()
    graph.add_nodes_from(preds)
    graph.add_edges_from((p, node) for node, ps in preds.items() for p in ps)
    found = descendants(order, preds)
    assert all(found[node] == nx.descendants(graph, node) for node in preds)


def test_a_cycle_has_no_order_and_is_found() -> None:
    preds = {"a": ["c"], "b": ["a"], "c": ["b"], "d": []}
    assert topological_order(preds) is None
    cycle = find_cycle(preds)
    assert cycle is not None
    assert sorted(cycle) == ["a", "b", "c"]
    # each node of the cycle waits for the one before it
    assert all(cycle[i - 1] in preds[cycle[i]] for i in range(len(cycle)))


def test_without_a_key_nodes_come_in_their_own_order() -> None:
    preds = {("pool", 1): [], ("person", 2): [("pool", 1)], ("person", 0): []}
    assert topological_order(preds) == [("person", 0), ("pool", 1), ("person", 2)]
