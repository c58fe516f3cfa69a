"""The bundled bilingual demo workspace: three projects, twelve members, sixty tasks and forty feedback items."""

from knowledge.demo.loader import DemoSummary, load_demo

__all__ = ["DemoSummary", "load_demo"]
