"""Entry point: python -m benchmarks.registry_quality (see the package docstring)."""

from .cli import main

if __name__ == "__main__":
    main()
