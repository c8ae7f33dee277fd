from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin on our site class: every `@admin.register` lands on it."""

    default_site = "aftersales.admin_site.AdminSite"
