"""`mispers grade [FILE]`: grade cases given as JSON Lines, one recommendation per line."""

import json
import re
import sys

from django.core.management.base import BaseCommand, CommandError

from mispers.risk.policy import PolicyError, grade_case, parse_case


class Command(BaseCommand):
    help = (
        "Grade missing-child cases read as JSON Lines from FILE (or standard input) and write "
        "one JSON line per case: grade, reasons, policy and policy_version. Lines that cannot "
        "be graded (not UTF-8, not JSON, not a valid case) are reported on standard error as "
        "'line N: problem'; the rest are still graded, and the exit status is then 1."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default="-", help="JSON Lines file of cases; '-' or none: stdin"
        )

    def handle(self, *args, **options):
        path = options["file"]
        if path == "-":
            given = options.get("stdin") or sys.stdin
            # Bytes, decoded line by line, so one bad byte spoils only its own line.
            self.grade_lines(getattr(given, "buffer", given))
            return
        try:
            with open(path, "rb") as lines:
                self.grade_lines(lines)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None

    def grade_lines(self, lines):
        failures = 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            # Without its line ending: a line cut short is then reported at the column where
            # it stops, not at "column 1" of the next (empty) line of the JSON text.
            line = line.rstrip(b"\r\n" if isinstance(line, bytes) else "\r\n")
            try:
                if isinstance(line, bytes):
                    line = line.decode("utf-8")
                result = grade_case(parse_case(json.loads(line)))
            except UnicodeDecodeError as error:
                problem = (f"not valid UTF-8 (byte 0x{line[error.start]:02x} at byte "
                           f"{error.start + 1})")
            except json.JSONDecodeError as error:
                # The column is the character's in the line (json counts from the text's start).
                what = error.msg.removesuffix(" at")
                # Cut short: the line stops before its closing bracket, in its last word.
                text = line.rstrip()
                cut_short = (not text.endswith(("}", "]"))
                             and re.fullmatch(r"[^,:{}\[\]]*", text[error.pos:]) is not None)
                problem = (f"not valid JSON ({what} at column {error.pos + 1}"
                           f"{'; the line ends too early: is it cut short?' if cut_short else ''})")
            except RecursionError:
                problem = "not valid JSON (nested too deeply)"
            except PolicyError as error:
                problem = str(error)
            else:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
                continue
            failures += 1
            self.stderr.write(f"line {number}: {problem}")
        if failures:
            raise CommandError(f"{failures} line(s) could not be graded")
