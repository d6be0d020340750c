"""The constraint families, one package each; every module in a family package is a category of blocks."""
