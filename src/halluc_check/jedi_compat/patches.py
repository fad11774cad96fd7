"""Every change made to jedi and parso, one row each -> checked against the installed versions,
then applied once per process.

This table is the one place that says what is changed in jedi and parso, and why. Each row
checks that its target is still there in the shape its replacement expects
(:mod:`~halluc_check.jedi_compat.rows`); the replacements are grouped by purpose in
:mod:`~halluc_check.jedi_compat.safety`, :mod:`~halluc_check.jedi_compat.precision`,
:mod:`~halluc_check.jedi_compat.speed`, :mod:`~halluc_check.jedi_compat.helper_answers`,
:mod:`~halluc_check.jedi_compat.pickling` and :mod:`~halluc_check.jedi_compat.parso_parser`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import jedi
import jedi.inference.compiled as jedi_compiled
import parso.cache as parso_cache
import parso.grammar
from jedi.inference import base_value as jedi_base_value
from jedi.inference import docstrings as jedi_docstrings
from jedi.inference import imports as jedi_imports
from jedi.inference import syntax_tree as jedi_syntax_tree
from jedi.inference.base_value import Value, ValueSet
from jedi.inference.compiled.subprocess import InferenceStateSubprocess
from jedi.inference.context import TreeContextMixin
from jedi.inference.filters import GlobalNameFilter
from jedi.inference.gradual import annotation as jedi_annotation
from jedi.inference.gradual import typeshed as jedi_typeshed
from jedi.inference.gradual import typing as jedi_typing
from jedi.inference.gradual.base import GenericClass
from jedi.inference.gradual.stub_value import StubFilter
from jedi.inference.gradual.type_var import TypeVar
from jedi.inference.names import AnonymousParamName, StubName
from jedi.inference.param import ExecutedParamName
from jedi.inference.value import instance as jedi_instance
from jedi.inference.value import module as jedi_module_value
from jedi.inference.value.function import OverloadedFunctionValue
from jedi.inference.value.instance import TreeInstance
from jedi.inference.value.module import ModuleMixin
from parso.python import tree as parso_tree

from . import helper_answers, parso_parser, pickling, precision, safety, speed, value_order
from .rows import Edit, Patch, Plugin, Purpose, Row, incompatibility

SAFETY, PRECISION, SPEED, ROBUSTNESS, DETERMINISM = (
    Purpose.SAFETY,
    Purpose.PRECISION,
    Purpose.SPEED,
    Purpose.ROBUSTNESS,
    Purpose.DETERMINISM,
)

_LITERAL_ONCE = (
    "A literal's value is made once per inference state, and its value is known without asking "
    "jedi's helper process (each was two round trips)."
)

# fmt: off
PATCHES: tuple[Row, ...] = (
    Patch(
        jedi_compiled, "load_module", safety.safe_load_module, SAFETY,
        "jedi introspects compiled modules by importing them in the target interpreter, where an "
        "installed typo-squat would run: only the stdlib's are loaded that way.",
        expects="(inference_state, dotted_name, **kwargs)", original=safety.LOAD_MODULE,
    ),
    Patch(
        jedi_typing.SelfClass, "execute_annotation", precision.unresolved_self, PRECISION,
        "jedi binds typing.Self to the declaring class (Path.parent becomes PurePath), which "
        "invents missing attributes; an unresolved Self is safer.",
        expects="(self, context)",
    ),
    Patch(
        jedi_annotation, "infer_return_types", precision.return_types_with_self, PRECISION,
        "-> Self on a bound call returns the receiving instance itself, of its real class.",
        expects="(function, arguments)", original=precision.RETURN_TYPES,
    ),
    Patch(
        ModuleMixin, "star_imports", precision.reachable_star_imports, PRECISION,
        "Star imports under if sys.version_info branches that cannot run on the target are not "
        "followed (collections.Mapping would look alive on 3.11).",
        expects="(self)",
    ),
    Patch(
        AnonymousParamName, "infer", precision.param_without_default_guess, PRECISION,
        "An unannotated parameter's default value is a guess at its type, not its type.",
        expects="(self)", original=precision.ANONYMOUS_PARAM,
    ),
    Patch(
        jedi_docstrings, "infer_param", precision.no_docstring_params, PRECISION,
        "Docstring parameter types describe what is accepted, loosely; they are not proof.",
        expects="(function_value, param)",
    ),
    Patch(
        jedi_syntax_tree, "_infer_comparison_part", precision.comparison_without_guess, PRECISION,
        "jedi answers an operator it cannot evaluate with both operands (\"%s\" % args is a "
        "tuple).",
        expects="(inference_state, context, left, operator, right)",
        original=precision.COMPARISON_PART,
    ),
    Patch(
        ExecutedParamName, "matches_signature", precision.param_matches_literal, PRECISION,
        "jedi matches an argument to a parameter by class alone, and no class matches a "
        "Literal[...] annotation: an overload picked by a literal argument (ast.parse(src, "
        "mode='eval')) was never picked, and a catch-all overload answered instead.",
        expects="(self)", original=precision.PARAM_MATCHES,
    ),
    Patch(
        OverloadedFunctionValue, "py__call__", precision.overloads_or_nothing, PRECISION,
        "jedi takes the first overload that matches by class (not by Literal value): every "
        "matching one may be the one called. The union of overloads none of which matches is a "
        "guess.",
        expects="(self, arguments)",
    ),
    Patch(
        jedi_syntax_tree, "_infer_comparison", precision.comparison_sets_without_guess, PRECISION,
        "With one operand unknown, jedi answers an operator with the other one (fmt % args is a "
        "tuple).",
        expects="(context, left_values, operator, right_values)", original=precision.COMPARISON,
    ),
    Patch(
        StubFilter, "_is_name_reachable", precision.stub_name_reachable, PRECISION,
        "Stub files hide private names from jedi, which breaks the resolution of typeshed's own "
        "base classes and makes names like sys._getframe look missing.",
        expects="(self, name)", original=precision.STUB_REACHABLE,
    ),
    Patch(
        jedi_imports.Importer, "_sys_path_with_modifications", precision.import_path_of_python_3,
        PRECISION,
        "An absolute import is looked up on the import path, not also in the package folders "
        "around the importing file (Python 2's implicit relative imports): a module found there "
        "was cached under the top-level name for every file checked after it.",
        expects="(self, is_completion)",
    ),
    Patch(
        GlobalNameFilter, "get", speed.global_names_get, SPEED,
        "Names in global statements are found in an index built once per parse tree, not by "
        "scanning every use of the name in the module.",
        expects="(self, name)",
    ),
    Plugin(
        speed.IndexedLookups, (("tree_name_to_values", "(inference_state, context, tree_name)"),),
        SPEED,
        "Whether a name has an annotated assignment is found in an index built once per parse "
        "tree, not by scanning every use of the name in the module.",
    ),
    Patch(
        jedi.settings, "_cropped_file_size", sys.maxsize, ROBUSTNESS,
        "jedi crops sources over 10 MB, so positions near their end did not exist for it; the "
        "positions asked about come from the whole file.",
    ),
    Patch(
        jedi.settings, "dynamic_params", False, PRECISION,
        "Dynamic parameter inference guesses the types of unannotated parameters from call sites.",
    ),
    Patch(
        jedi.settings, "dynamic_params_for_other_modules", False, PRECISION,
        "Dynamic parameter inference guesses the types of unannotated parameters from call sites "
        "in other modules.",
    ),
    Patch(
        jedi.settings, "auto_import_modules", [], SAFETY,
        "jedi imports the modules listed here in the target interpreter instead of reading them: "
        "nothing of the target is imported.",
    ),
    Edit(
        jedi_typeshed, "_IMPORT_MAP", precision.drop_stale_stub_aliases, dict, PRECISION,
        "jedi reads _socket from socket.pyi, so class socket(_socket.socket) bases itself on "
        "itself: a module with its own stub is read from that stub.",
    ),
    Patch(
        StubName, "infer", precision.stub_name_with_platform, PRECISION,
        "typeshed branches on sys.platform, which jedi cannot read in a stub: both branches "
        "were taken, and os.path looked like ntpath's on Linux (realpath = abspath).",
        expects="(self)", original=precision.STUB_NAME_INFER,
    ),
    Patch(
        TypeVar, "execute_annotation", precision.type_var_of_unknown_type, PRECISION,
        "A type variable a call did not bind, with bound=object, stands for any class: jedi "
        "made an object instance of it, on which every attribute looked missing.",
        expects="(self, context)",
    ),
    Patch(
        GenericClass, "py__get__", precision.generic_class_get, PRECISION,
        "A parametrised class read as a class attribute is itself; jedi's wrapper forwards "
        "py__get__ to the bare class, which drops the type arguments.",
        expects="(self, instance, class_value)", in_place_of=Value.py__get__,
    ),
    Patch(
        TreeInstance, "_get_annotated_class_object", speed.annotated_class_if_generic, SPEED,
        "An instance of a class without type variables, or of a generic whose parameters are all "
        "given, is not matched against every __init__ signature: there is nothing to bind.",
        expects="(self)", original=speed.ANNOTATED_CLASS,
    ),
    Patch(
        jedi_instance, "SelfAttributeFilter", speed.self_attribute_filter, SPEED,
        "An instance's lookups do not ask its stub classes for self.name = ... stores: a stub's "
        "methods have no bodies.",
        expects="(instance, instance_class, node_context, origin_scope)",
        original=speed.SELF_ATTRIBUTE_FILTER,
    ),
    Patch(
        parso_cache, "_load_from_file_system", pickling.load_pickled_tree, ROBUSTNESS,
        "A pickled parse tree that cannot be read (half-written by a concurrent run) is a cache "
        "miss, not a library module made unknown.",
        expects="(hashed_grammar, path, p_time, cache_path)", original=pickling.PICKLE_LOAD,
    ),
    Patch(
        parso_cache, "_save_to_file_system", pickling.save_pickled_tree, ROBUSTNESS,
        "Parse trees pickled on disk are written whole or not at all (a temporary file, then a "
        "rename), with the cyclic collector paused.",
        expects="(hashed_grammar, path, item, cache_path)",
    ),
    Patch(
        parso_cache, "_remove_cache_and_update_lock", pickling.cache_upkeep, ROBUSTNESS,
        "A parse cache folder that cannot be written costs the pickles, not the check.",
        expects="(cache_path)", original=pickling.CACHE_UPKEEP,
    ),
    Patch(
        parso_cache, "_set_cache_item", pickling.keep_cache_item, DETERMINISM,
        "parso forgot parse trees unused for ten minutes (a pickled tree counting as used when "
        "its file was written) while jedi still read their cache entries: a long run failed with "
        "a KeyError on a module, depending on what it had checked before.",
        expects="(hashed_grammar, path, module_cache_item)",
    ),
    Patch(
        InferenceStateSubprocess, "__getattr__", helper_answers.helper_question, SPEED,
        "Where a module is found and what a literal is are asked of jedi's helper process once "
        "per process, not once per checked file.",
        expects="(self, name)", original=helper_answers.STATE_GETATTR,
    ),
    Patch(
        jedi_compiled, "create_simple_object", helper_answers.simple_object_once, SPEED,
        _LITERAL_ONCE, expects="(inference_state, obj)", original=helper_answers.SIMPLE_OBJECT,
    ),
    Patch(
        jedi_module_value, "create_simple_object", helper_answers.simple_object_once, SPEED,
        _LITERAL_ONCE, expects="(inference_state, obj)",
    ),
    Patch(
        jedi_typing, "create_simple_object", helper_answers.simple_object_once, SPEED,
        _LITERAL_ONCE, expects="(inference_state, obj)",
    ),
    Patch(
        jedi_imports, "_load_python_module", speed.load_module_lazily, SPEED,
        "A module's source is parsed when its tree is first read, not when it is imported: jedi "
        "imports the source of every stdlib module before answering from its stub.",
        expects="(inference_state, file_io, import_names, is_package)",
    ),
    Patch(
        TreeContextMixin, "create_context", speed.create_context, SPEED,
        "The context of a node is found without self-referencing closures: a file's garbage is "
        "freed by reference counting instead of waiting for the cyclic collector.",
        expects="(self, node)",
    ),
    Patch(
        parso_tree.Module, "get_used_names", parso_parser.used_names, SPEED,
        "A module's used names are collected without parso's recursion, which raised and caught "
        "an AttributeError for every leaf.",
        expects="(self)",
    ),
    Patch(
        parso.grammar.PythonGrammar, "__init__", parso_parser.grammar_init, SPEED,
        "Python grammars parse with InlinedParser: parso's parser loop written out, the same "
        "trees.",
        expects="(self, version_info, bnf_text)", original=parso_parser.GRAMMAR_INIT,
    ),
    Edit(
        parso.grammar, "_loaded_grammars", parso_parser.parse_loaded_grammars_inlined, dict, SPEED,
        "The Python grammars parso loaded before the patches parse with InlinedParser too.",
    ),
    Patch(
        ValueSet, "__init__", value_order.value_set_init, DETERMINISM,
        "A value set iterated its values in memory order, different in every process, and jedi "
        "infers in that order: the same file was inferred otherwise from one run to the next.",
        expects="(self, iterable)",
    ),
    Patch(
        ValueSet, "from_sets", classmethod(value_order.value_set_from_sets), DETERMINISM,
        "The union of value sets keeps their order.",
        expects="(sets)",
    ),
    Edit(
        jedi_base_value, "NO_VALUES", value_order.order_existing, ValueSet, DETERMINISM,
        "The empty value set made before the patches is ordered too.",
    ),
)
# fmt: on


def check(rows: Iterable[Row]) -> None:
    """Raise :class:`~halluc_check.jedi_compat.failures.IncompatibleJedi` for the first row the
    installed jedi/parso does not fit."""
    for row in rows:
        problem = row.problem()
        if problem is not None:
            raise incompatibility(row, problem)


def apply(rows: Iterable[Row]) -> None:
    """Check every row, then apply them all (none when one does not fit)."""
    rows = tuple(rows)
    check(rows)
    for row in rows:
        row.apply()
