"""The vocabulary: OWL ontology, SKOS schemes and SHACL shapes, shipped as Turtle files."""
