"""A checked file's path -> the jedi project it is resolved in, and the resolver for that file.

Files of one project (the same project root and import root) share a jedi project, the scans of
the code around their classes and, while a checker shares inference, one jedi inference state
(see :mod:`~halluc_check.jedi_compat.shared_inference`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import jedi

from ..cache import DiskCache
from ..jedi_compat.shared_inference import SharedInference
from ..target.environment import TargetEnvironment
from ..target.project import project_folders
from ..target.stdlib_namespaces import StdlibNamespaces
from .defined_names import DefinedNames
from .file_resolver import FileResolver
from .project_scan import ProjectScan


@dataclass
class Project:
    """One checked project: its jedi project, the folders its imports resolve from, and the
    inference state its files may share."""

    jedi_project: jedi.Project
    scan: ProjectScan
    paths: tuple[str, ...]
    inference: SharedInference


class Projects:
    """The projects of one target environment, made on first use and kept."""

    def __init__(self, env: TargetEnvironment, *, disk: DiskCache | None = None) -> None:
        self.env = env
        self._by_root: dict[str, Project] = {}
        self._scan = ProjectScan(disk=disk)
        """One for every project: what it reads is keyed by folder and file, and the stdlib's
        and the installed packages' folders are the same for all."""
        self._names = DefinedNames(env, disk=disk)
        """Where names could be defined: the environment's part is the same for all projects."""
        self.sharing = False
        """Whether the files of a project share one inference state."""
        self.stdlib = StdlibNamespaces(env, disk)
        """The target interpreter's standard-library namespaces, asked for when needed."""

    def for_path(self, path: str | None) -> Project:
        """The project that ``path`` (a checked file, or None for stdin) belongs to."""
        root, import_root, paths = project_folders(path)
        key = f"{root}|{import_root}"
        if key not in self._by_root:
            jedi_project = jedi.Project(
                root,
                environment_path=self.env.executable,
                added_sys_path=list(paths),
                smart_sys_path=True,
                load_unsafe_extensions=False,
            )
            self._by_root[key] = Project(
                jedi_project=jedi_project,
                scan=self._scan,
                paths=paths,
                inference=SharedInference(jedi_project, self.env.jedi_environment),
            )
        return self._by_root[key]

    def resolver(self, source: str, path: str | None) -> FileResolver:
        """The resolver of one checked file, in its project's shared state while sharing."""
        project = self.for_path(path)
        return FileResolver(
            source,
            path,
            env=self.env,
            project=project.jedi_project,
            project_scan=project.scan,
            names=self._names,
            folders=project.paths,
            inference=project.inference if self.sharing else None,
            stdlib=self.stdlib,
        )

    def stop_sharing(self) -> None:
        """Files checked from now on get states of their own; the shared ones are dropped."""
        self.sharing = False
        for project in self._by_root.values():
            project.inference.discard()

    def __iter__(self) -> Iterator[Project]:
        return iter(self._by_root.values())

    def __len__(self) -> int:
        return len(self._by_root)
