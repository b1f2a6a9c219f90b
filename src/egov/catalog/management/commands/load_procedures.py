from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.catalog.loaders import DEFAULT_FILE, LoadError, load_procedures


class Command(BaseCommand):
    help = (
        "Load the procedure catalog from catalog/data/procedures.json (or --file). Idempotent: "
        "a second run changes nothing. Any bad record stops the load before anything is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, help="Load this file instead of the bundled one.")

    def handle(self, *args, file: Path | None = None, **options) -> None:
        path = file or DEFAULT_FILE
        verbose = options["verbosity"] > 0
        if not path.exists():
            if file:
                raise CommandError(f"{path}: no such file")
            # The bundled catalog may not be written yet; the platform still starts without it.
            if verbose:
                self.stdout.write(f"load_procedures: {path} not found, nothing loaded")
            return
        try:
            summary = load_procedures(path, out=self.stdout if verbose else _Quiet())
        except LoadError as exc:
            raise CommandError(
                "procedures not loaded, nothing was changed:\n"
                + "\n".join(f"  ! {failure}" for failure in exc.failures)
            ) from exc
        if verbose:
            self.stdout.write(summary.line())


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
