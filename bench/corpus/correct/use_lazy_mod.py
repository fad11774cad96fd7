"""Uses names that only exist through lazy_mod's module __getattr__ (PEP 562)."""

import lazy_mod
from lazy_mod import answer, settings


def main() -> None:
    print(lazy_mod.eager_value)
    print(lazy_mod.answer, answer)
    print(lazy_mod.json_tools.dumps(settings))
    print(lazy_mod.settings["debug"])
    print(sorted(dir(lazy_mod))[:3])


if __name__ == "__main__":
    main()
