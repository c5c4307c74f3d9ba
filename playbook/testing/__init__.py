"""Test support shipped with the package: made-up tenants for the tests and the benchmark.

Nothing in the playbook's rules or front ends imports from here (the demo runs on the sample
tenants in ``data/tenants``).
"""
