"""Reads of macros: the composer's menu, one macro to insert, the supervisors' list."""

from django.db.models import Prefetch, QuerySet

from tickets.models import Macro, MacroText


def macro_list_active() -> QuerySet[Macro]:
    """Active macros in menu order, only what the menu shows (id and name)."""
    return Macro.objects.filter(active=True).only("pk", "name").order_by("position", "name", "pk")


def macro_get_active(*, pk: int) -> Macro | None:
    """The active macro `pk` with its texts and tag (to render and describe it), or None."""
    return (
        Macro.objects.filter(active=True, pk=pk)
        .select_related("add_tag")
        .prefetch_related("texts")
        .first()
    )


def macro_get(*, pk: int) -> Macro | None:
    """The macro `pk`, active or not, with its texts and tag, or None."""
    return Macro.objects.filter(pk=pk).select_related("add_tag").prefetch_related("texts").first()


def macro_list() -> QuerySet[Macro]:
    """Every macro, active first, with the languages of its texts (for the supervisors' list)."""
    languages = Prefetch("texts", queryset=MacroText.objects.only("macro", "language"))
    return (
        Macro.objects.select_related("add_tag")
        .prefetch_related(languages)
        .order_by("-active", "position", "name", "pk")
    )
