from django.urls import include, path

from tickets.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("shopify/orders/", views.ShopifyOrderWebhookView.as_view(), name="shopify-orders"),
    path("email/", include("tickets.inbound.webhook")),
    path("twilio/sms/", views.TwilioSmsWebhookView.as_view(), name="twilio-sms"),
]
