"""Walking a child -> parent map (units and their parents, people and their personnel leaders)."""

from __future__ import annotations

from collections.abc import Callable, Mapping


def find_loops(parent_of: Mapping[str, str | None]) -> list[list[str]]:
    """Every cycle in a child -> parent map, each once, in walking order."""
    state: dict[str, int] = {}  # 1 on the current walk, 2 finished
    loops: list[list[str]] = []
    for start in parent_of:
        if state.get(start):
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and not state.get(node):
            state[node] = 1
            walk.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            loops.append(walk[walk.index(node) :])
        for visited in walk:
            state[visited] = 2
    return loops


def depth_counter(parent_of: Mapping[str, str | None]) -> Callable[[str], int]:
    """How far below the top each node of a child -> parent map without loops lies (a node without
    a parent is at 0), each walk remembered for the next."""
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        chain = []
        node: str | None = code
        while node is not None and node not in depth:
            chain.append(node)
            node = parent_of.get(node)
        level = depth[node] if node is not None else -1
        for member in reversed(chain):
            level += 1
            depth[member] = level
        return depth[code]

    return depth_of
