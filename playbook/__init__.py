"""E4 upgrade playbook: move every user off Office 365 E4 without losing service or settings."""

__version__ = "0.1.0"
