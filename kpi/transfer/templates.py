"""The documented templates of ``data/templates``, generated from the registry of kinds.

``data/templates/KIND.csv`` holds the header and two example rows of each kind (rows that
import cleanly into a store holding only the reference data), ``data/templates/README.md``
describes every column. A test checks that the files are what this module generates; after
changing a kind, regenerate them with ``python -m kpi.transfer.templates``.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from kpi import dimensions as dims
from kpi.config import DATA_DIR
from kpi.transfer.kinds import KINDS
from kpi.transfer.schema import CODE, TYPE_NAMES, Column, Kind
from kpi.transfer.values import YEAR_MAX, YEAR_MIN, format_value

TEMPLATES_DIR = DATA_DIR / "templates"

#: Two example rows per kind, in column order.
EXAMPLES: dict[str, list[list[str]]] = {
    "nodes": [
        ["2024-2027", "D1.O2", "output", "D1", "ITU-D", "Illustrative output: spectrum management assistance",
         "Assistance to Member States on spectrum management and monitoring", "yes", "example"],
        ["2024-2027", "D1.O2.1", "output", "D1.O2", "ITU-D", "Illustrative sub-output: spectrum monitoring",
         "", "yes", "example"],
    ],
    "indicators": [
        ["D1.SPECTRUM", "2024-2027", "D1.O1", "Member States assisted on spectrum management",
         "Number of Member States that received ITU-D assistance on spectrum management in the year", "number",
         "higher", "sum", "0", "", "BDT project records", dims.ANNUAL, "ITU-D", "2023", "12", "", "no"],
        ["D2.WOMEN_TRAINED", "2024-2027", "D2.O1", "Women among trainees (%)",
         "Share of women among the participants of ITU-D training courses", "pct", "higher", "ratio", "0",
         "100", "ITU Academy records", dims.ANNUAL, "ITU-D", "2023", "38.5", "", "no"],
    ],
    "targets": [
        ["D1.PROJ", "2026", "75", "Example: target agreed at the 2025 senior management retreat"],
        ["R1.BACKLOG", "2027", "60", "Example: end-of-plan target"],
    ],
    "observations": [
        ["D1.PROJ", "2025", "72.5", "", "", "", "", "", "", "", "", "estimate",
         "Headline value, estimated from Q3 data"],
        ["D1.PROJ", "2025", "68", "", "AFR", "", "", "", "", "", "", "", "Africa region"],
    ],
    "staff": [
        ["2025", "S9000001", "P4", "F", "KEN", "Geneva", "ITU-D", "BDT-DNE", "fixed-term"],
        ["2025", "S9000002", "G5", "M", "SEN", "Dakar", "ITU-D", "BDT-FIELD", "continuing"],
    ],
    "recruitments": [
        ["VN-2025-9001", "P3", "ITU-R", "Geneva", "2025-01-15", "2025-02-28", "2025-06-30"],
        ["VN-2025-9002", "G5", "GS", "Geneva", "2025-11-03", "", ""],
    ],
    "training": [
        ["2025", "S9000001", "Ethics and integrity", "yes"],
        ["2025", "S9000001", "Information security awareness", "no"],
    ],
    "recommendations": [
        ["IA-2025-9001", dims.SOURCE_INTERNAL_AUDIT, "Update the policy on official travel", dims.MEDIUM_PRIORITY,
         "GS", "2025-03-10", "yes", "2025-11-30"],
        ["JIU-2025-9002", dims.SOURCE_JIU, "Set key performance indicators for business continuity",
         dims.HIGH_PRIORITY, "ITU", "2025-06-01", "", ""],
    ],
    "engagements": [
        ["IA-2025-9001", dims.INTERNAL_AUDIT, "Internal audit of procurement", "2025", "2025-02-01", "2025-07-15",
         dims.NO_OPINION],
        ["EXT-2025-X", dims.EXTERNAL_AUDIT, "Audit of the financial statements for 2025", "2025", "2025-10-20", "",
         dims.NO_OPINION],
    ],
    "procurement": [
        ["PRC-2025-90001", "2025", "ICT equipment", "GS", "120000", "108000"],
        ["PRC-2025-90002", "2025", "Conference services", "ITU-T", "45000", "43650.5"],
    ],
    "budget": [
        ["2024-2027", "D1.O1", "2026", "ITU-D", "4500000", ""],
        ["2024-2027", "E1", "2025", "GS", "72000000", "70560000"],
    ],
    "risks": [
        ["RSK-90", "2025", "Loss of the data stewards of key data sets", dims.OPERATIONAL_RISK, "GS", "2024-2027", "E1",
         "3", "4", "2", "3", "Deputies named for each data set"],
        ["RSK-91", "2025", "Delays in the satellite filing software", dims.OPERATIONAL_RISK, "ITU-R", "", "", "3", "3",
         "2", "2", ""],
    ],
    "resolutions": [
        ["PP Res. 151 (Rev. Bucharest, 2022)", "Improvement of results-based management in ITU", "PP-22", "2022"],
        ["PP Res. 71 (Rev. Bucharest, 2022)", "Strategic plan for the Union for 2024-2027", "PP-22", "2022"],
    ],
    "resolution_actions": [
        ["PP Res. 151 (Rev. Bucharest, 2022)", "A1", "2025",
         "Publish a results dashboard with baselines, targets and actual values", "GS", "ongoing", "60"],
        ["PP Res. 71 (Rev. Bucharest, 2022)", "A2", "2025",
         "Align the operational plans of the Sectors with the Strategic Plan", "GS", "implemented", "100"],
    ],
    "commitments": [
        ["R2025-91", "2025", "Senior Management Retreat 2025 (example)",
         "Bring the average recruitment time under 130 days", "GS", "2026-03-31", "ongoing"],
        ["R2025-92", "2025", "Senior Management Retreat 2025 (example)",
         "Close every oversight recommendation older than three years", "ITU", "", "not started"],
    ],
    "commitment_follow_ups": [
        ["R2025-91", "2025-09-30", "ongoing", "Example: 141 days on average; a new screening tool from October"],
        ["R2025-91", "2026-03-31", "implemented", "Example: 127 days on average over the last quarter"],
    ],
    "membership": [
        ["ITU", "Member States", "2025", "194"],
        ["ITU-D", "Academia", "2025", "171"],
    ],
    "accountability_components": [
        ["AF-91", "Illustrative pillar: oversight", "Illustrative component: independent internal audit", "91",
         "illustrative"],
        ["AF-92", "Illustrative pillar: oversight", "Illustrative component: ethics office", "92", "illustrative"],
    ],
    "accountability_assessments": [
        ["AF-91", "2025", "in place", ""],
        ["AF-92", "2025", "partly in place", "Example: policy adopted, training under way"],
    ],
    "operational_plan": [
        ["OP-BDT-91", "2026", "ITU-D", "2024-2027", "D1.O1", "Example: projects delivered on time in all regions",
         "Projects delivered on time", "D1.PROJ", "Late extra-budgetary funding", "450000"],
        ["OP-HRMD-91", "2026", "HRMD", "2024-2027", "E1", "Example: recruitments completed in under 130 days",
         "Average recruitment time", "E1.RECRUIT", "", ""],
    ],
    "links": [
        ["risk", "RSK-90", "2024-2027", "E1", ""],
        ["commitment", "R2025-91", "", "", "E1.RECRUIT"],
    ],
}

_CODE_SOURCES = {
    "sector": ", ".join(dims.SECTOR_CODES),
    "owner": ", ".join((*dims.SECTOR_CODES, dims.ITU_WIDE)),
    "region": ", ".join((*dims.ITU_D_REGIONS, dims.WORLD)),
    "country": "ISO alpha-3 codes of `data/reference/country_regions.csv`",
    "grade": ", ".join(dims.GRADE_CODES),
    "duty_station": "codes of `data/reference/duty_stations.csv` (e.g. Geneva, Addis Ababa)",
    "unit": "codes of `data/reference/units.csv`, one of the row's Sector",
    "cycle": "codes of `data/framework/cycles.csv` (e.g. 2024-2027)",
    "indicator": "codes of `data/framework/indicators.csv` or imported indicators",
    "resolution": "codes of the resolutions in the store (import `resolutions` first)",
    "commitment": "refs of the commitments in the store (import `commitments` first)",
    "component": "codes of the components in the store (import `accountability_components` first)",
    "plan_unit": "Sector codes or codes of `data/reference/units.csv` (e.g. HRMD)",
}

README_INTRO = f"""# Import templates

One CSV template per kind of record: the header and two example rows. Fill one in (or export
the current records with `python -m kpi export KIND --out FILE`), check it, then import it:

    python -m kpi import observations my_values.csv --dry-run   # what would change; writes nothing
    python -m kpi import observations my_values.csv --user alice

This file and the templates are generated from `kpi/transfer/kinds.py`
(`python -m kpi.transfer.templates`); a test keeps them in step.

## Files

- **CSV**: UTF-8 (with or without a byte-order mark; Excel: "CSV UTF-8"), columns separated by
  commas or semicolons (whichever the header uses). In a semicolon file, decimals may be written
  with a comma (`12,5`).
- **XLSX**: exactly one sheet, or a sheet named after the kind (e.g. `observations`). Values
  only: a cell with a formula is refused (copy, then paste values).
- Row 1 is the header: the column names below, in any order (case does not matter). Required
  columns must be there; optional ones may be left out (existing records then keep their value,
  new ones get the default). Unknown columns are refused. Empty rows are skipped.
- Dates are written `YYYY-MM-DD`; years and dates lie between {YEAR_MIN} and {YEAR_MAX}; yes/no
  columns take `yes` or `no` (`true`/`false` too); numbers use a decimal point, no thousands
  separators. Codes must exist in the store (see "allowed" below) and are case-sensitive.

## What an import does

- **All or nothing.** Every cell and row is checked first; if anything is wrong, nothing is
  written and every problem is listed, one per line, naming the file, the row (as a spreadsheet
  numbers it: the header is row 1), the column, the value found and what was expected:
  `observations.csv, row 7, column "value": found "abc", expected a number`.
- **Natural keys.** A row whose key (below) matches a stored record updates it; any other row
  adds a record. The same key twice in one file is an error. Imports never delete.
- **Audit trail.** Each import records a batch (file, checksum, who, when, how many rows were
  added, changed and left unchanged) and a change-log line for every field it writes (a new
  record logs each field that has a value). Importing the same file again changes nothing: it
  is recorded as a batch with 0 added and 0 changed, and no change-log line.
- **Exports** (`python -m kpi export KIND --out FILE.csv` or `.xlsx`) write the same columns,
  sorted by key: a file exported then imported changes nothing. Values of computed indicators
  are not in the observations export (they are recomputed from the records).
- **Approval.** Imported values are provisional. Once a data steward has validated a year, an
  import may not add or change that year's values (rows equal to the stored values pass) until
  the year is reopened, with a reason.
"""


def template_csv(kind: Kind) -> str:
    """The template file of ``kind``: header and example rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(kind.column_names)
    writer.writerows(EXAMPLES[kind.name])
    return out.getvalue()


def _allowed(col: Column) -> str:
    if col.type == CODE:
        if col.choices is not None:
            return ", ".join(c for c in col.choices if c) + (" or empty" if "" in col.choices else "")
        return _CODE_SOURCES[col.codes]
    lo, hi = col.minimum, col.maximum
    if lo is not None and hi is not None:
        return f"{format_value(float(lo))} to {format_value(float(hi))}"
    if lo is not None:
        return f"at least {format_value(float(lo))}"
    if col.max_length:
        return f"at most {col.max_length} characters"
    return ""


def _required(col: Column) -> str:
    if not col.required:
        return "no" + (f" (empty: {format_value(col.empty)})" if col.empty not in (None, "") else "")
    return "yes, may be empty" if col.allows_empty else "yes"


def readme() -> str:
    """The text of ``data/templates/README.md``."""
    parts = [README_INTRO]
    parts.append("## Kinds\n\n| kind | records | key |\n|---|---|---|\n" + "".join(
        f"| [`{k.name}`](#{k.name}) | {k.title} | {k.key_label} |\n" for k in KINDS.values()))
    for kind in KINDS.values():
        lines = [f"## {kind.name}\n", f"**{kind.title}.** {kind.description}\n",
                 f"Template: [`{kind.name}.csv`]({kind.name}.csv). Key: {kind.key_label} "
                 "(a row with the key of a stored record updates it)."
                 + (" After an import, the computed enabler indicators are recomputed." if kind.feeds_enablers
                    else "")
                 + (f" Import first: {', '.join(f'`{r}`' for r in kind.requires)} (the records its rows name)."
                    if kind.requires else "") + "\n",
                 "| column | type | required | allowed | description |", "|---|---|---|---|---|"]
        for col in kind.columns:
            lines.append(f"| `{col.name}` | {TYPE_NAMES[col.type]} | {_required(col)} | {_allowed(col)} | "
                         f"{col.description} |")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def expected_files() -> dict[str, str]:
    """File name -> text of every file of ``data/templates``."""
    files = {f"{name}.csv": template_csv(kind) for name, kind in KINDS.items()}
    files["README.md"] = readme()
    return files


def write_templates(directory: Path = TEMPLATES_DIR) -> list[Path]:
    """(Re)write the templates and their README into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in expected_files().items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_templates():
        print(p)
