"""Source text -> the references to check, without inference: parsing, collection over ast or
libcst, and the Python inside Markdown and notebooks."""
