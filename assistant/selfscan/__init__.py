"""Zelfscan sociale innovatie: score the levers, cite tips per lever, say where to begin."""
