"""The portal's pages, under the `tickets` namespace (included by tickets/urls.py)."""

from django.urls import path

from tickets.portal import access, files, pages

urlpatterns = [
    # --- access: the form, the magic link, signing out (tickets/portal/access.py) ---------------
    path("portal/", access.access_form, name="portal-home"),
    path("portal/sent/", access.link_sent, name="portal-link-sent"),
    path("portal/link/<str:token>/", access.link_open, name="portal-link"),
    path("portal/sign-out/", access.sign_out, name="portal-sign-out"),
    #
    #
    # --- pages: orders, the help wizard, cases (tickets/portal/pages.py) ------------------------
    path("portal/orders/", pages.order_list, name="portal-orders"),
    path("portal/orders/<int:order_id>/", pages.order_detail, name="portal-order"),
    path("portal/orders/<int:order_id>/help/", pages.help_start, name="portal-help"),
    path(
        "portal/orders/<int:order_id>/help/<slug:branch>/",
        pages.help_branch,
        name="portal-help-branch",
    ),
    path("portal/orders/<int:order_id>/cases/new/", pages.case_new, name="portal-case-new"),
    path("portal/cases/", pages.case_list, name="portal-cases"),
    path("portal/cases/<str:number>/", pages.case_detail, name="portal-case"),
    path("portal/cases/<str:number>/reply/", pages.case_reply, name="portal-case-reply"),
    #
    #
    # --- files: evidence the customer uploaded (tickets/portal/files.py) -----------------------
    path("portal/files/<int:pk>/", files.attachment_download, name="portal-attachment"),
]
