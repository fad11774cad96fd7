SEPARATOR = "-"
DEFAULT_NAME = "engine"
