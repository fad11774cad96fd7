"""jedi_compat."""
