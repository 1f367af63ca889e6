"""The weekly picture (veckans lägesbild) for the weekly EST meeting."""
