from django.core.management.base import BaseCommand, CommandError

from egov.places import loaders


class Command(BaseCommand):
    help = (
        "Load administrative units: the 34 provinces and 3,321 communes in force since "
        "1 July 2025 (from vietnam-provinces), and optionally legacy units and successions "
        "from CSV. Safe to run again: only differences are written."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        kwargs.setdefault(
            "epilog",
            "CSV files are UTF-8 with a header line naming exactly these columns:\n\n"
            "  --legacy:     code,name,kind,level,parent_code,valid_from,valid_to\n"
            "      code         GSO code, digits (e.g. 72, 703, 25459)\n"
            "      name         name, with or without the kind word (Huyện Tân Biên / Tân Biên)\n"
            "      kind         tinh, thanh_pho_trung_uong, quan, huyen, thi_xa, thanh_pho,\n"
            "                   xa, phuong, thi_tran, dac_khu (or the Vietnamese word: huyện)\n"
            "      level        1 province, 2 district, 3 commune\n"
            "      parent_code  code of the unit above, in force on valid_from (empty for a\n"
            "                   province); it may be in the same file or already loaded\n"
            "      valid_from   YYYY-MM-DD, first day in force\n"
            "      valid_to     YYYY-MM-DD, first day no longer in force (e.g. 2025-07-01)\n\n"
            "  --succession: old_code,old_valid_from,new_code,effective_on,source\n"
            "      old_code, old_valid_from  the old unit (its code and first day in force)\n"
            "      new_code                  the unit in force on effective_on that took it over\n"
            "      effective_on              YYYY-MM-DD the change took effect\n"
            "      source                    the decision that made the change (free text)\n\n"
            "A file with any bad line is rejected whole; each bad line is reported with its\n"
            "number and the reason.",
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--legacy", metavar="FILE.csv", help="Also load legacy units.")
        parser.add_argument("--succession", metavar="FILE.csv", help="Also load successions.")

    def handle(self, *args, legacy=None, succession=None, **options) -> None:
        out = self.stdout if options["verbosity"] > 0 else _Quiet()
        summaries = [loaders.load_current_units(out=out)]
        try:
            if legacy:
                summaries.append(loaders.load_legacy_units(legacy, out=out))
            if succession:
                summaries.append(loaders.load_successions(succession, out=out))
        except loaders.LoadError as exc:
            raise CommandError(
                "\n".join(["Tệp bị từ chối, không nạp dòng nào:", *exc.errors])
            ) from None
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        for summary in summaries:
            out.write(summary.line() + "\n")


class _Quiet:
    """A stream that drops everything (verbosity 0)."""

    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
