from django.core.management.base import BaseCommand

from tickets.models import ApiKey
from tickets.services.api_keys import api_key_create


class Command(BaseCommand):
    help = "Make an API key for an integration and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="What the key is for, e.g. 'Shopify'.")
        parser.add_argument(
            "--scope", choices=ApiKey.Scope.values, default=ApiKey.Scope.READ,
            help="read: GET only; write: read and write.",
        )  # fmt: skip

    def handle(self, *args, name: str, scope: str, **options) -> None:
        api_key, key = api_key_create(name=name, scope=scope, actor=None)
        self.stderr.write(
            f"API key '{api_key.name}' ({api_key.get_scope_display()}), acting as "
            f"{api_key.user.get_username()}. Store it now; it is not shown again:"
        )
        self.stdout.write(key)
