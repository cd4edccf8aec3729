"""Development tooling, not shipped in the wheel: generators, trainers, evaluations, benchmarks
and switched-off experiments. Run from the repository root as ``python -m tools.NAME``."""
