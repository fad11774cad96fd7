"""The target environment: the interpreter the code will run on, what is installed there, where
modules live on disk, and where a checked file's own project is."""
