"""Test harness standing in for open-instruct (see ../README.md); not open-instruct's code."""
