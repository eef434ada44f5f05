"""Bulk import of OCOP recognition decisions from a province's spreadsheet (CSV or XLSX).

One row is one decision for one product: product, producer, commune, province, group, stars,
score, decision number and date (optional: legal form, issuing body, level). `read_upload` and
`parse_content` read and check a file without saving anything; `validate` matches every row
against today's regions, the groups, the existing producers, products and certificates, and the
importing user's scope, collecting every error of every row; `save` writes a clean import in one
transaction.

Rules (see also the README of the admin screen):
- Names are matched without accents and case ("Vai thieu" = "Vải thiều"). A producer is the one
  with the same name in the same province; a product the one with the same name under that
  producer; a certificate the one of that product with the same decision number, which is updated
  (a re-import of a corrected file updates rather than duplicates).
- One decision commonly recognises many products, so the same decision number may appear on rows
  for different products, but only with the same decision date (per province and year: numbers
  restart each year). The same product with the same decision number twice in a file is an error.
- Regions must be today's (after 1 July 2025): a legacy province or district is refused with the
  name of the province it is now part of.
- An officer imports only for its own provinces; national admins for all; nobody else at all.

Modules: `files` (reading an upload into a sheet), `columns` (headers), `lookups` (matching names),
`values` (parsing cells), `rows` (checking rows), `matching` (rows against existing records and
each other), `saving`. This package re-exports what the views and tests use.
"""

from catalog.imports import files  # noqa: F401 - `imports.files.MAX_ROWS` is where the limit is read
from catalog.imports.columns import COLUMNS, template_rows
from catalog.imports.files import MAX_ROWS, ImportFileError, human_size, max_bytes, parse_content, read_upload
from catalog.imports.rows import check
from catalog.imports.saving import save
from catalog.imports.values import parse_date

__all__ = ["COLUMNS", "MAX_ROWS", "ImportFileError", "check", "human_size", "max_bytes", "parse_content",
           "parse_date", "read_upload", "save", "template_rows"]

