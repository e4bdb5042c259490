"""The exchange format's JSON Schema files (draft 2020-12), one per profile, written from
format.py. Other suppliers validate their files with them."""

from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent
