"""Which files a run lints: folders walked with include/exclude globs and .gitignore."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from medlint.config import DEFAULT_EXCLUDE, Config, path_matches


class _GitIgnores:
    """.gitignore files met while walking, each applying below its own folder."""

    def __init__(self) -> None:
        self._specs: dict[Path, object | None] = {}

    def _spec(self, folder: Path) -> object | None:
        if folder not in self._specs:
            spec = None
            ignore_file = folder / ".gitignore"
            if ignore_file.is_file():
                import pathspec

                try:
                    lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = pathspec.GitIgnoreSpec.from_lines(lines)
                except (OSError, ValueError):
                    spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def ignored(self, path: Path, is_dir: bool, top: Path) -> bool:
        folder = path.parent
        while True:
            spec = self._spec(folder)
            if spec is not None:
                rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
                if spec.match_file(rel):  # type: ignore[attr-defined]
                    return True
            if folder == top or folder.parent == folder:
                return False
            folder = folder.parent


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # symlink loops
        return path.absolute()


def _repo_top(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def discover(paths: list[Path], config: Config) -> Iterator[tuple[Path, str | None]]:
    """Yields (path, problem). Files named explicitly are always linted; a problem (a missing
    path) is reported by the caller instead of raising."""
    gitignores = _GitIgnores()
    root = config.root.resolve()
    seen: set[Path] = set()
    for given in paths:
        if not given.exists() and not given.is_symlink():
            yield given, "no such file or directory"
            continue
        if not given.is_dir():
            yield given, None
            continue
        top = _repo_top(_resolve(given))
        for folder, dirnames, filenames in os.walk(given, followlinks=False):
            here = Path(folder)
            kept = []
            for d in sorted(dirnames):
                sub = here / d
                if d in DEFAULT_EXCLUDE or _excluded(sub, root, config):
                    continue
                if config.respect_gitignore and gitignores.ignored(_resolve(sub), True, top):
                    continue
                kept.append(d)
            dirnames[:] = kept
            for name in sorted(filenames):
                path = here / name
                if not any(path_matches(g, name) for g in config.include):
                    continue
                if _excluded(path, root, config):
                    continue
                if config.respect_gitignore and gitignores.ignored(_resolve(path), False, top):
                    continue
                real = _resolve(path)
                if real in seen:
                    continue
                seen.add(real)
                yield path, None


def _excluded(path: Path, root: Path, config: Config) -> bool:
    if not config.exclude:
        return False
    try:
        rel = _resolve(path).relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(path_matches(g, rel) for g in config.exclude)
