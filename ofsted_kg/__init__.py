"""ofsted-kg: Ofsted and CQC local area inspection reports as a knowledge graph."""

__version__ = "0.1.0"
