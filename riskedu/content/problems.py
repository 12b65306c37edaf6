"""Problems found in the content tree, collected in plain words with the file they concern."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the content folder
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ProblemCollector:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def add(self, path: Path | str, message: str) -> None:
        relative = str(path.relative_to(self.root)) if isinstance(path, Path) else path
        self.problems.append(Problem(relative, message))

    def validation(self, path: Path, error: ValidationError) -> None:
        for detail in error.errors():
            where = ".".join(str(part) for part in detail["loc"])
            message = str(detail["msg"]).removeprefix("Value error, ")
            self.add(path, f"{where}: {message}" if where else message)
