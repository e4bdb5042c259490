"""`mispers policy_docs`: print, write or check docs/policy.md, generated from the policies."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mispers.risk.policy.docs import DOCS_PATH, render_policy_docs


class Command(BaseCommand):
    help = (
        "Render the grading policy documentation from mispers/risk/policies/*.toml. With "
        "--write, rewrite docs/policy.md; with --check, exit 1 if it is out of date; with "
        "neither, print it."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
        mode.add_argument("--write", action="store_true", help="rewrite the file")
        parser.add_argument("--path", type=Path, default=DOCS_PATH, help="default: %(default)s")

    def handle(self, *args, check=False, write=False, path=DOCS_PATH, **options):
        text = render_policy_docs()
        if write:
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as error:
                reason = ("the folder does not exist" if not path.parent.is_dir()
                          else error.strerror)
                raise CommandError(f"cannot write {path}: {reason}") from None
            self.stdout.write(f"wrote {path}")
        elif check:
            try:
                current = path.read_text(encoding="utf-8")
            except OSError:
                current = None
            if current != text:
                raise CommandError(
                    f"{path} is out of date with the policy files: "
                    "run `mispers policy_docs --write`"
                )
            self.stdout.write(f"{path} is up to date")
        else:
            self.stdout.write(text, ending="")
