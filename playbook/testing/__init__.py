"""Test support shipped with the package: made-up tenants for tests, the benchmark and demos.

Nothing in the playbook's rules imports from here.
"""
