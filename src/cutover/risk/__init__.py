"""Schedule risk: three-point sampling, Monte Carlo deadline probabilities and what-if delays.

It runs the engine many times over and reports through findings. It may import every
layer below it, up to ``findings``.
"""
