"""One module per library whose classes a :class:`~..library_models.MetaclassModel` describes:
the facts verified on the library's source, and how a class's own code selects among them."""
