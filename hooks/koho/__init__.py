"""Koho: build logic for static, multilingual municipal websites on MkDocs.

Each module keeps one concern and passes plain data records; the MkDocs hooks
(hooks/build.py), the editors' command line (koho.cli) and the tests call the
same functions.
"""
