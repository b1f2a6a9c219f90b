from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "PLACEHOLDER: being written (replace this file)."

    def handle(self, *args, **options) -> None:
        self.stdout.write("load_places: not implemented yet")
