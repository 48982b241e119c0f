"""`python -m ofsted_kg` runs the command line."""

from .cli import main

main()
