"""Test harness: in-process engine fixtures, worker helpers, process assertions, fakes."""
