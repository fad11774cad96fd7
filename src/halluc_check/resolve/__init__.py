"""Inference with jedi -> verdicts (a name exists, is missing, or is unknown) and the signatures
callees accept. It answers questions; the rules turn answers into findings."""
