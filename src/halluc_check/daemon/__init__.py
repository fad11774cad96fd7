"""A warm daemon for the command line, pre-commit and pytest: one long-lived process per target
environment that keeps a Checker (and jedi's inference of the installed libraries) in memory.

``halluc-check daemon start`` runs :mod:`~halluc_check.daemon.service` detached; afterwards
a plain ``halluc-check FILES`` sends its units to it through :mod:`~halluc_check.daemon.client`
and renders the Results it gets back itself, so its output is the output of a run in-process.
Whenever the daemon cannot answer for the very same environment, configuration and version of
halluc-check, the caller checks in its own process instead. Where the daemon listens, and who
may connect, is :mod:`~halluc_check.daemon.location`; what is said over the socket is
:mod:`~halluc_check.daemon.protocol`.
"""
