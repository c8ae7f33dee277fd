"""What the model admins share: read-only rows, rows changed only by service actions, and
money inputs in their currency's decimals."""

from django.contrib import admin

from tickets.money import quantize


class MoneyFormMixin:
    """Amount inputs show their currency's decimals ("1234" for JPY, not "1234.000")."""

    money_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        currency = self.money_currency()
        for name in self.money_fields:
            value = self.initial.get(name)
            if currency and value is not None:
                self.initial[name] = quantize(value, currency)

    def money_currency(self) -> str:
        return self.instance.currency if self.instance.pk else ""


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only rows: visible to staff, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceActionsAdmin(admin.ModelAdmin):
    """For rows whose fields services own: the change page only shows the row, and changes
    are admin actions that call the services (they need the change permission)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # With obj: the change page, view-only. Without: may the actions run.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
