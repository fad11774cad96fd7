"""Many files or records -> Results: source discovery, the result cache, worker processes, batches."""
