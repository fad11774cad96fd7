"""A callee (a jedi value) -> whether its signature can be taken as written, or the path that
stays open: decorators that may change it, a class whose construction jedi does not see as
Python does, a method an instance's subclass may override."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jedi.inference.arguments import ValuesArguments
from jedi.inference.base_value import ValueSet
from jedi.inference.signature import TreeSignature

from ...jedi_compat.failures import note_failure
from ..tree_reading import class_body_names, decorator_name
from ..values import describe, is_exact, string_names, unwrap
from ..verdicts import Accepted
from .dataclass_init import (
    DataclassOptions,
    GeneratedInit,
    class_fields,
    dataclass_options,
    generates_init,
    init_parameters,
)
from .mro import c3, constructor_after_object, enclosing_class, mro_choice
from .open_paths import OpenPath
from .overloads import overload_implementation
from .written import (
    add_written_signature,
    adds_keywords,
    declared_signature_keeping,
    keeps_signature,
)

if TYPE_CHECKING:
    from ..file_resolver import FileResolver


class CalleeChecks:
    """The checks of a file's callees, in the inference of its ``resolver``; what they read of
    classes (their MRO, their source) is kept as long as the checks."""

    def __init__(self, resolver: FileResolver) -> None:
        self.resolver = resolver
        # class node id -> (node, whether its source names dataclass_transform/__signature__);
        # the node is kept so that its id stays unique while the entry lives
        self._declared: dict[int, tuple[Any, bool]] = {}
        self._mros: dict[Any, list[Any] | None] = {}
        # class node id -> (node, its @dataclass options or None when it is no dataclass)
        self._dataclasses: dict[int, tuple[Any, DataclassOptions | None]] = {}

    def mro(self, cls: Any) -> list[Any] | None:
        """Python's method resolution order of ``cls`` (see :func:`.mro.c3`)."""
        return c3(cls, self._mros)

    def bound_method(
        self,
        method: Any,
        receiver: tuple[Any, Any] | None,
        result: Accepted,
        *,
        positional: bool,
        exact_instance: bool = False,
    ) -> Any:
        """A method looked up on an instance binds only if a class body defines it, and an
        instance whose exact class is unknown may be a subclass overriding it. Returns the
        instance's exact class when it is known (``exact_instance``: the caller knows it)."""
        function = unwrap(method._wrapped_value)
        if type(function).__name__ == "OverloadedFunctionValue":
            function = function._wrapped_value
        node = getattr(function, "tree_node", None)
        if node is None or node.type != "funcdef":
            raise OpenPath("bound callee without source")
        scope = enclosing_class(node)
        if scope is None:
            raise OpenPath("a function stored on a class: it may not bind")
        if receiver is not None:
            exact, after = receiver
            chosen = mro_choice(self.mro(exact), after, node.name.value)
            if chosen is None or chosen.tree_node is not scope:
                # cooperative multiple inheritance: `super()` goes on to a sibling base
                raise OpenPath("the exact class's MRO picks another method than jedi")
            return exact  # what `self.m` / `super().m` finds in the exact class's MRO
        instance = unwrap(method.instance)
        if exact_instance or is_exact(instance):
            return instance.py__class__()
        owner = describe(instance.py__class__(), "instance")
        scan = self.resolver.project_scan
        overrides = scan.overrides(owner, node.name.value, self.resolver.env, self.resolver.grammar)
        if overrides is None:
            raise OpenPath("a subclass may bind the method some other way")
        # the instance may be of a subclass that overrides the method: what any of them
        # accepts is accepted
        for override in overrides:
            add_written_signature(override, result, positional=positional)
        return None

    def constructor_signatures(self, cls: Any, signatures: list[Any]) -> list[Any]:
        """jedi takes ``__init__`` from its own (not C3) MRO; the signatures of the constructor
        Python's MRO picks (those jedi found, when it found that one)."""
        mro = self.mro(cls)
        if mro is None:
            if any(self.dataclass_options(k) is not None for k in [cls, *cls.py__mro__()]):
                raise OpenPath("a dataclass in a hierarchy without C3 order")
            return signatures  # `construction` judged the hierarchy without C3
        generated = self._generated_init(cls, mro)
        if generated is not None:
            return [generated]
        method = "__init__"
        chosen = mro_choice(mro, None, method)
        if chosen is not None and chosen.py__name__() == "object":
            # like jedi: a class that keeps `object.__init__` is described by its `__new__`
            method = "__new__"
            chosen = mro_choice(mro, None, method)
        if chosen is None:
            raise OpenPath("the constructor's class is not known")

        def found_in_chosen(signature: Any) -> bool:
            node = getattr(getattr(signature, "_function_value", None), "tree_node", None)
            return node is not None and enclosing_class(node) is chosen.tree_node

        found = list(chosen.py__getattribute__(method))
        if all(found_in_chosen(s) for s in signatures) and not any(map(_implemented, found)):
            return signatures
        # jedi's signatures are those of another class, or only the `@overload` declarations
        # of a constructor whose implementation (what runs) may accept more
        corrected = []
        for function in found:
            function = unwrap(function)
            if function.is_class() or function.is_instance():
                raise OpenPath("the constructor is not a plain function")
            if type(function).__name__ == "OverloadedFunctionValue":
                implementation = overload_implementation(function)
                functions = [implementation] if implementation is not None else []
                functions += function.get_signature_functions()
            else:
                functions = [function]
            for each in functions:
                if getattr(each, "tree_node", None) is None:
                    raise OpenPath("the constructor has no source")
                self.function_decorators(each)
                corrected.append(TreeSignature(cls, each, is_bound=True))
        if not corrected or not all(found_in_chosen(s) for s in corrected):
            raise OpenPath("jedi's constructor is not the one the MRO picks")
        return corrected

    def dataclass_options(self, klass: Any) -> DataclassOptions | None:
        """The options of the standard library's ``@dataclass`` on a class, None when it has
        none; raises :class:`OpenPath` for options that cannot be read."""
        node = getattr(klass, "tree_node", None)
        if node is None or node.type != "classdef":
            return None
        entry = self._dataclasses.get(id(node))
        if entry is None or entry[0] is not node:
            options = None
            for decorator in node.get_decorators():
                if self.resolver.is_stdlib_dataclass(decorator, klass):
                    options = dataclass_options(decorator)
            entry = (node, options)
            self._dataclasses[id(node)] = entry
        return entry[1]

    def _generated_init(self, cls: Any, mro: list[Any]) -> GeneratedInit | None:
        """The ``__init__`` ``@dataclass`` wrote, when that is the one the MRO picks for
        ``cls`` (see :mod:`.dataclass_init`)."""
        for index, klass in enumerate(mro):
            node = getattr(klass, "tree_node", None)
            if node is None or node.type != "classdef":
                return None
            options = self.dataclass_options(klass)
            if options is not None and generates_init(node, options):
                own = self.mro(klass) or mro[index:]
                fields: dict[str, Any] = {}
                for base in reversed(own):
                    base_options = self.dataclass_options(base)
                    if base_options is not None:
                        fields.update(class_fields(base.tree_node, base_options))
                return GeneratedInit(cls, init_parameters(fields))
            if "__init__" in class_body_names(node):
                return None  # a hand-written __init__ comes first
        return None

    def decorators(self, value: Any) -> None:
        """A decorated callee (jedi's ``Decoratee``): its function's decorators keep its
        signature; a class's are judged by :meth:`construction`."""
        original = getattr(value, "_original_value", value)
        node = getattr(original, "tree_node", None)
        if node is None:
            raise OpenPath("decorated callee without source")
        if node.type == "classdef":
            return  # class decorators are judged by the class check
        self.function_decorators(original)

    def function_decorators(self, function: Any) -> None:
        """Every decorator of a function keeps its signature: known ones (``staticmethod``,
        ``overload``, ...) and those that return the function they get. jedi itself drops a
        decorator it cannot infer, so a plain function value is checked too."""
        node = getattr(function, "tree_node", None)
        if node is None or node.type != "funcdef" or function.is_stub():
            return  # a stub writes down the signature its decorators leave
        for decorator in node.get_decorators():
            name = decorator_name(decorator)
            if keeps_signature(name):
                continue
            if self.resolver.identity_decorator(decorator, function, stores=True):
                continue
            if not self._typed_as_keeping(decorator, function):
                raise OpenPath(f"decorator {name} may change the signature")

    def _typed_as_keeping(self, decorator: Any, function: Any) -> bool:
        """jedi applies a decorator by its declared types (``def deco(f: F) -> F``) and gets the
        function itself back: the decorator declares it keeps the signature. A decorator jedi
        cannot infer or apply is dropped by jedi silently; that one proves nothing."""
        try:
            self.resolver.reset_limits()
            context = function.parent_context
            decorators = context.infer_node(decorator.children[1])
            if not decorators:
                return False
            results = decorators.execute(ValuesArguments([ValueSet([function])]))
        except Exception:
            note_failure()
            return False
        node = function.tree_node
        found = self.resolver.decorator_functions(decorator, function)
        if not results or any(getattr(unwrap(r), "tree_node", None) is not node for r in results):
            # jedi does not apply a ParamSpec: the annotations themselves may say it
            if found is None or not found[1]:
                return False
            factory, nodes = found
            return all(
                declared_signature_keeping(n, factory=factory) and not adds_keywords(n)
                for n in nodes
            )
        # the declared types say "same signature"; a wrapper in the body that takes keywords
        # of its own besides `*args, **kwargs` says otherwise
        return found is None or not any(adds_keywords(n) for n in found[1])

    def construction(self, value: Any) -> None:
        """A class is constructed as its constructor's signature says: no metaclass, no
        generated ``__init__`` jedi does not see, no decorator or field declaration that may
        change it, and the constructor jedi finds is the one Python's MRO picks."""
        wrapped = type(value).__name__ == "DataclassWrapper"
        cls = value._wrapped_value if wrapped else value
        code_sources = [cls]
        try:
            for meta in cls.get_metaclasses():
                if meta.py__name__() not in ("type", "ABCMeta"):
                    raise OpenPath(f"metaclass {meta.py__name__()} may change construction")
            code_sources.extend(cls.py__mro__())
        except OpenPath:
            raise
        except Exception as exc:
            note_failure()
            raise OpenPath("class hierarchy unknown") from exc
        if self.mro(cls) is None and constructor_after_object(code_sources[1:]):
            # jedi's MRO is not C3: a mixin's chain reaches `object` before a later base's
            # constructor, so jedi would take `object.__init__`
            raise OpenPath("multiple inheritance hides the constructor from jedi")
        init_in_source = new_in_source = False
        for klass in code_sources:
            node = getattr(klass, "tree_node", None)
            builtin = ".".join(string_names(klass)) == "builtins" and klass.py__name__() != "object"
            if klass is not cls and builtin:
                if init_in_source and not new_in_source and _new_ignores_arguments(klass):
                    break  # the `__init__` written before the builtin decides
                raise OpenPath("a subclass of a builtin type: its constructor is the builtin's")
            if node is None or node.type != "classdef":
                continue
            body = class_body_names(node)
            init_in_source = init_in_source or "__init__" in body
            new_in_source = new_in_source or "__new__" in body

            decorators = [d.children[1].get_code() for d in node.get_decorators()]
            dataclass = self.dataclass_options(klass) is not None
            if wrapped and klass is cls and not dataclass:
                raise OpenPath("dataclass-like fields (dataclass_transform) with their own rules")
            if not dataclass and klass is cls and any("dataclass" in d for d in decorators):
                raise OpenPath("a dataclass-like decorator that is not the standard library's")
            if self._declares_fields(node):
                raise OpenPath("fields declared through dataclass_transform or __signature__")
            for decorator in node.get_decorators():
                name = decorator_name(decorator)
                if not self.resolver.benign_decorator(decorator, klass):
                    raise OpenPath(f"class decorator {name} may change the constructor")

    def _declares_fields(self, node: Any) -> bool:
        """Whether a class's source says ``dataclass_transform`` or ``__signature__``; the source
        of a class is rendered once per file, not once per call of it."""
        entry = self._declared.get(id(node))
        if entry is None or entry[0] is not node:
            code = node.get_code()
            entry = (node, "dataclass_transform" in code or "__signature__" in code)
            self._declared[id(node)] = entry
        return entry[1]


#: Builtin classes whose ``__new__`` takes any arguments and ignores them (the mutable
#: containers; exceptions check theirs in ``BaseException.__init__``): below a class that writes
#: its own ``__init__``, that ``__init__`` alone decides what a call accepts.
_NEW_IGNORES_ARGUMENTS = frozenset({"dict", "list", "set", "bytearray", "BaseException"})


def _new_ignores_arguments(builtin: Any) -> bool:
    try:
        names = {builtin.py__name__(), *(k.py__name__() for k in builtin.py__mro__())}
    except Exception:
        note_failure()
        return False
    return bool(names & _NEW_IGNORES_ARGUMENTS)


def _implemented(function: Any) -> bool:
    """An overloaded function whose implementation is in source."""
    function = unwrap(function)
    if type(function).__name__ != "OverloadedFunctionValue":
        return False
    return overload_implementation(function) is not None
