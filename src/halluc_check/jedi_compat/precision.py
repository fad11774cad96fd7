"""jedi's guesses -> unknowns: the replacements that keep inference from inventing types.

A guessed type invents missing attributes (false alarms) or accepts made-up ones; an unknown
is only unknown. The rows that install these are in :mod:`~halluc_check.jedi_compat.patches`.
"""

from __future__ import annotations

import ast
from typing import Any

import jedi.inference.compiled as jedi_compiled
from jedi.inference import sys_path as jedi_sys_path
from jedi.inference.base_value import NO_VALUES, ValueSet
from jedi.inference.cache import inference_state_method_cache
from jedi.inference.filters import ParserTreeFilter
from jedi.inference.flow_analysis import UNREACHABLE, reachability_check
from jedi.inference.gradual import typeshed as jedi_typeshed
from jedi.inference.imports import Importer
from jedi.inference.value.module import ModuleValue
from jedi.parser_utils import get_parent_scope

from .originals import Original
from .speed import real_used_names

_SELF_ANNOTATIONS = frozenset({"Self", "typing.Self", "typing_extensions.Self"})
_BOOLEAN_OPERATORS = frozenset({"and", "or", "not", "if", "else"})

RETURN_TYPES = Original()
"""jedi's ``jedi.inference.gradual.annotation.infer_return_types``."""
STUB_REACHABLE = Original()
"""jedi's ``StubFilter._is_name_reachable``."""
ANONYMOUS_PARAM = Original()
"""jedi's ``AnonymousParamName.infer``."""
COMPARISON_PART = Original()
"""jedi's ``jedi.inference.syntax_tree._infer_comparison_part``."""
COMPARISON = Original()
"""jedi's ``jedi.inference.syntax_tree._infer_comparison``."""
PARAM_MATCHES = Original()
"""jedi's ``ExecutedParamName.matches_signature``."""
STUB_NAME_INFER = Original()
"""jedi's ``StubName.infer``."""
_LITERAL_NAMES = frozenset({"Literal", "typing.Literal", "typing_extensions.Literal"})
_NOT_LITERAL = object()


def unresolved_self(self: Any, context: Any) -> Any:
    """``typing.Self`` is not the declaring class (``Path.parent`` is no ``PurePath``)."""
    return NO_VALUES


def stub_name_reachable(self: Any, name: Any) -> bool:
    """Private names of a stub are reachable; plain (non-``as``) imports only when the stub's
    ``__all__`` lists them, as the typing spec says.

    jedi hides private stub names to keep completions tidy, which breaks inference (``io.pyi``
    bases its classes on ``_io._TextIOBase``) and makes real names like ``sys._getframe`` look
    missing. Plain imports stay hidden: ``collections.pyi`` imports ``Mapping`` for its own
    annotations, and ``collections.Mapping`` is gone at run time. A name the stub exports
    through ``__all__`` is public even without ``as`` (numpy's ``__init__.pyi`` re-exports
    ``from numpy._core.multiarray import array, zeros, ...`` that way).
    """
    if STUB_REACHABLE.function(self, name):
        return True
    if not ParserTreeFilter._is_name_reachable(self, name):
        return False
    definition = name.get_definition()
    if definition is None:
        return False
    if definition.type in ("import_from", "import_name"):
        module = name.get_root_node()
        return get_parent_scope(name) is module and name.value in _stub_exports(module)
    return bool(name.value.startswith("_"))


def _stub_exports(module: Any) -> frozenset[str]:
    """The string literals a stub module puts into ``__all__`` (``=``, ``+=``, ``.extend``,
    ``.append``, in any branch); stored on the module's used-names mapping, which lives as long
    as the tree."""
    used_names = real_used_names(module)
    cached: frozenset[str] | None = getattr(used_names, "_halluc_exports", None)
    if cached is not None:
        return cached
    names: set[str] = set()
    for leaf in used_names.get("__all__", ()):
        if get_parent_scope(leaf) is not module:
            continue
        statement = leaf.parent
        if statement.type == "expr_stmt" and statement.children[0] is leaf:
            if len(statement.children) == 3 and statement.children[1].value in ("=", "+="):
                names |= _strings(statement.children[2])
        elif statement.type in ("power", "atom_expr") and len(statement.children) == 3:
            method, call = statement.children[1], statement.children[2]
            is_method = method.type == "trailer" and method.children[0] == "."
            is_call = call.type == "trailer" and call.children[0] == "("
            if is_method and is_call and method.children[1].value in ("extend", "append"):
                names |= _strings(call.children[1])
    result = frozenset(names)
    used_names._halluc_exports = result
    return result


def _strings(node: Any) -> set[str]:
    """Every string literal inside a literal list/tuple (or a single string)."""
    if node.type == "string":
        try:
            return {str(node._get_payload())}
        except Exception:
            return set()
    if node.type in ("atom", "testlist_comp", "testlist", "testlist_star_expr", "exprlist"):
        found: set[str] = set()
        for child in node.children:
            found |= _strings(child)
        return found
    return set()


@inference_state_method_cache([])  # type: ignore[untyped-decorator]
def reachable_star_imports(self: Any) -> list[Any]:
    """Star imports of a module, minus those in branches that cannot run on the target.

    typeshed writes ``if sys.version_info >= (3, 10): from x import (...) else: from y import *``;
    jedi follows the star import regardless, so ``collections.Mapping`` would look alive on 3.11.
    """
    modules: list[Any] = []
    context = self.as_context()
    for imp in self.tree_node.iter_imports():
        if not imp.is_star_import():
            continue
        if reachability_check(context, self.tree_node, imp) is UNREACHABLE:
            continue
        followed = Importer(
            self.inference_state, imp.get_paths()[-1], context, level=imp.level
        ).follow()
        for module in followed:
            if isinstance(module, ModuleValue):
                modules += module.star_imports()
        modules += followed
    return modules


def param_without_default_guess(self: Any) -> Any:
    """An unannotated parameter is not the type of its default value (``policy=compat32``)."""
    param = self._get_param_node()
    if param.default is not None and not param.star_count and param.annotation is None:
        return NO_VALUES
    return ANONYMOUS_PARAM.function(self)


def no_docstring_params(function_value: Any, param: Any) -> Any:
    """Docstring parameter types describe what is accepted, loosely; they are not proof."""
    return NO_VALUES


def comparison_without_guess(
    inference_state: Any, context: Any, left: Any, operator: Any, right: Any
) -> Any:
    """jedi answers an operator it cannot evaluate with both operands (``"%s" % args`` is a tuple)."""
    result = COMPARISON_PART.function(inference_state, context, left, operator, right)
    name = operator.value if hasattr(operator, "value") else str(operator)
    if name not in _BOOLEAN_OPERATORS and left in result and right in result and left != right:
        return NO_VALUES
    return result


def comparison_sets_without_guess(
    context: Any, left_values: Any, operator: Any, right_values: Any
) -> Any:
    """With one operand unknown, jedi answers with the other one (``fmt % args`` is a tuple)."""
    name = operator if isinstance(operator, str) else str(operator.value)
    if name not in _BOOLEAN_OPERATORS and (not left_values or not right_values):
        return NO_VALUES
    return COMPARISON.function(context, left_values, operator, right_values)


def overloads_or_nothing(self: Any, arguments: Any) -> Any:
    """The overloads whose parameters the arguments match decide the result: all of them, since
    jedi matches by class alone (``mode="eval"`` matches ``Literal["exec"]`` as well as
    ``Literal["eval"]``) where Python's type checkers pick one by value; jedi's first match
    alone was a guess. No overload matching: the union of all of them is a guess as well, and
    an unresolvable one is unknown."""
    executions = []
    matched = []
    for signature in self.get_signatures():
        execution = signature.value.as_context(arguments)
        if signature.matches_signature(arguments):
            matched.append(execution)
        executions.append(execution)
    if matched:
        return ValueSet.from_sets(execution.infer() for execution in matched)
    results = [execution.infer() for execution in executions]
    if not results or any(not values for values in results):
        return NO_VALUES
    return ValueSet.from_sets(results)


def param_matches_literal(self: Any) -> bool:
    """An argument matches a ``Literal[...]`` parameter by value, as Python's type checkers pick
    overloads (``ast.parse(src, mode="eval")`` is the ``Literal["eval"]`` overload): jedi
    compares classes alone, and no class is a subclass of a ``Literal``. An argument whose
    value is not known may be any of them."""
    if not self._is_default:
        allowed = _literal_annotation(self.tree_name.search_ancestor("param"))
        if allowed is not None:
            argument = _literal_argument(self._lazy_value)
            return argument is _NOT_LITERAL or any(
                type(argument) is type(value) and argument == value for value in allowed
            )
    return bool(PARAM_MATCHES.function(self))


def _literal_annotation(param: Any) -> list[Any] | None:
    """The values of a parameter's ``Literal[...]`` annotation, as written; None for any other
    annotation."""
    annotation = getattr(param, "annotation", None)
    if annotation is None or annotation.type not in ("atom_expr", "power"):
        return None
    children = annotation.children
    subscript = children[-1]
    if subscript.type != "trailer" or subscript.children[0] != "[":
        return None
    if "".join(c.get_code().strip() for c in children[:-1]) not in _LITERAL_NAMES:
        return None
    inner = subscript.children[1]
    items = [c for c in inner.children if c != ","] if inner.type == "subscriptlist" else [inner]
    values = []
    for item in items:
        value = _literal_of(item)
        if value is _NOT_LITERAL:
            return None
        values.append(value)
    return values


def _literal_argument(lazy_value: Any) -> Any:
    """The value of an argument written as a literal (``mode="eval"``), else ``_NOT_LITERAL``."""
    node = getattr(lazy_value, "data", None)
    if node is None or not hasattr(node, "type"):
        return _NOT_LITERAL
    return _literal_of(node)


def _literal_of(node: Any) -> Any:
    if node.type in ("string", "number") or (
        node.type == "keyword" and node.value in ("True", "False", "None")
    ):
        try:
            return ast.literal_eval(node.get_code().strip())
        except (ValueError, SyntaxError):
            return _NOT_LITERAL
    if node.type == "factor" and node.children[0] == "-" and node.children[1].type == "number":
        value = _literal_of(node.children[1])
        return _NOT_LITERAL if value is _NOT_LITERAL else -value
    return _NOT_LITERAL


def return_types_with_self(function: Any, arguments: Any) -> Any:
    """``-> Self`` on a bound call returns the receiving instance itself (its real class)."""
    try:
        annotation = function.tree_node.annotation
    except AttributeError:
        annotation = None
    if annotation is not None and annotation.get_code().strip() in _SELF_ANNOTATIONS:
        try:
            _, receiver = next(iter(arguments.unpack()))
            values = receiver.infer()
        except Exception:
            return NO_VALUES
        return ValueSet.from_sets(
            v.execute_with_values() if v.is_class() else ValueSet([v]) for v in values
        )
    return RETURN_TYPES.function(function, arguments)


def generic_class_get(self: Any, instance: Any, class_value: Any) -> Any:
    """A parametrised class read as a class attribute (``DEFAULT_TYPE = CallbackContext[...]``)
    is no descriptor: it is itself. jedi's wrapper forwards ``py__get__`` to the bare class,
    which drops the type arguments (and with them what ``context.bot`` is)."""
    return ValueSet([self])


def type_var_of_unknown_type(self: Any, context: Any) -> Any:
    """A type variable the call did not bind stands for some subclass of its bound: with no
    bound, or ``bound=object``, that is any class at all, not an ``object`` instance (which has
    no attribute a finding could not then claim missing). A bound or constraints that say more
    are kept."""
    classes = self._get_classes()
    for cls in classes:
        if cls.py__name__() == "object" and cls.parent_context.is_builtins_module():
            return NO_VALUES
    return classes.execute_annotation(context)


def stub_name_with_platform(self: Any) -> Any:
    """``sys.platform`` read in a stub is the target interpreter's platform, as
    ``sys.version_info`` is its version: typeshed's ``if sys.platform == "win32":`` branches
    (``os.path`` is ``ntpath`` there) are then decided for the target, not both taken."""
    if self.string_name == "platform" and self.get_root_context().py__name__() == "sys":
        platform = _target_platform(self.parent_context.inference_state)
        if platform:
            return platform
    return STUB_NAME_INFER.function(self)


def _target_platform(state: Any) -> Any:
    """The target interpreter's ``sys.platform``, as a compiled string (once per state)."""
    known = state.__dict__.get("_halluc_platform")
    if known is None:
        known = NO_VALUES
        try:
            module = jedi_compiled.load_module(state, dotted_name="sys", sys_path=[])
            if module is not None:
                values = module.py__getattribute__("platform")
                if values and all(isinstance(v.get_safe_value(None), str) for v in values):
                    known = values
        except Exception:
            known = NO_VALUES
        state._halluc_platform = known
    return known


def drop_stale_stub_aliases(import_map: dict[str, str]) -> None:
    """jedi reads ``_socket`` from ``socket.pyi`` (a shortcut from before typeshed had its own
    ``_socket.pyi``): ``class socket(_socket.socket)`` then bases itself on itself. A module
    with its own stub is read from that stub."""
    stdlib = jedi_typeshed.TYPESHED_PATH / "stdlib"
    for name in list(import_map):
        if (stdlib / f"{name}.pyi").exists() or (stdlib / name / "__init__.pyi").exists():
            del import_map[name]


def import_path_of_python_3(self: Any, is_completion: bool) -> list[str]:
    """The folders an absolute import is looked up in, as Python 3 looks it up: the import path
    alone. jedi adds the folders of the packages around the importing file, as Python 2's
    implicit relative imports did: ``import trio`` inside ``pkg/_backends/trio.py`` found that
    file itself, and the module it cached under the name ``trio`` then answered ``import trio``
    in the project's other files too, depending on which files were checked before."""
    if self._fixed_sys_path is not None:
        return list(self._fixed_sys_path)
    modified = jedi_sys_path.check_sys_path_modifications(self._module_context)
    return [*self._inference_state.get_sys_path(), *(str(p) for p in modified)]
