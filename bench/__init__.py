"""Speed and scale: scripts that measure and print figures (`python -m bench.retrieval`)."""
