"""The ``egov`` command: Django's manage.py, with a help page written for operators."""

import os
import sys

# Subcommands an operator uses, in the order they are usually needed.
OPERATOR_COMMANDS = [
    "setup",
    "serve",
    "worker",
    "check_overdue",
    "load_places",
    "load_agencies",
    "load_procedures",
    "load_processes",
    "import",
    "load_feedback_categories",
    "open311_key",
    "refresh_public_texts",
    "demo_accounts",
    "demo",
    "demo_feedback",
    "calendar_day",
    "rebuild_counters",
    "migrate",
    "createsuperuser",
    "check",
]


def _print_help() -> None:
    from django.core.management import get_commands, load_command_class

    print("egov — the provincial digital-government platform.\n")
    print("Usage: egov <command> [options]   (egov <command> --help for its options)\n")
    print("Commands:")
    commands = get_commands()
    for name in OPERATOR_COMMANDS:
        if name in commands:
            help_text = load_command_class(commands[name], name).help.strip().splitlines()[0]
            print(f"  {name:<18} {help_text}")
    print("\nEvery Django management command also works: egov help --all lists them.")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    args = sys.argv[1:]
    if not args or args[0] in {"--help", "-h"} or args == ["help"]:
        django.setup()
        _print_help()
        return
    from django.core.management import execute_from_command_line

    if args[:2] == ["help", "--all"]:
        execute_from_command_line([sys.argv[0], "help"])
        return
    execute_from_command_line([sys.argv[0], *args])


if __name__ == "__main__":
    main()
