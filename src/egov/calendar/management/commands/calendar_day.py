from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.calendar import services


class Command(BaseCommand):
    help = "Tell whether a date is a working day and why; or compute a due moment"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("date", nargs="?", help="A date, YYYY-MM-DD (e.g. 2026-02-17).")
        parser.add_argument(
            "--due", metavar="START", help="Compute a due moment from this ISO 8601 start."
        )
        parser.add_argument("--amount", type=int, default=1, help="How many units (default 1).")
        parser.add_argument(
            "--unit",
            default=services.Unit.WORKING_DAYS.value,
            choices=[unit.value for unit in services.Unit],
            help="working_days (default), working_hours, calendar_days or same_day.",
        )
        parser.add_argument(
            "--year", type=int, help="List the year's holidays, days off and make-up days."
        )

    def handle(self, *args, **options) -> None:
        if options["due"]:
            self._due(options["due"], options["amount"], options["unit"])
        elif options["year"]:
            for day, working, reason in services.year_exceptions(options["year"]):
                status = "làm việc" if working else "nghỉ"
                self.stdout.write(
                    f"{day:%Y-%m-%d} {services.weekday_name(day):9} {status:9} {reason}"
                )
        elif options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"Ngày không hợp lệ (YYYY-MM-DD): {options['date']}") from None
            working, reason = services.is_working_day(day)
            verdict = "ngày làm việc" if working else "ngày nghỉ"
            self.stdout.write(
                f"{day:%Y-%m-%d} ({services.weekday_name(day)}): {verdict} — {reason}"
            )
        else:
            raise CommandError("Cho một ngày (YYYY-MM-DD), hoặc --due START, hoặc --year YYYY.")

    def _due(self, raw: str, amount: int, unit: str) -> None:
        try:
            start = datetime.fromisoformat(raw)
            due_at = services.due(start, amount, unit)
        except ValueError as exc:
            raise CommandError(f"Không tính được thời hạn: {exc}") from None
        self.stdout.write(
            f"Bắt đầu {start.astimezone(services.ZONE).isoformat()}, {amount} {unit} "
            f"→ đến hạn {due_at.isoformat()}"
        )
        self.stdout.write(f"(bắt đầu tính từ {services.next_working_moment(start).isoformat()})")
