"""A case's messages (with their attachments) and its timeline of events."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from tickets.models import Attachment, Message

from .common import UserSummarySerializer
from .fast import FastOutputSerializer


@extend_schema_serializer(component_name="Attachment")
class AttachmentOutputSerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The attachment's id."))
    filename = serializers.CharField(
        help_text=_("The file's name as shown: the name it was sent with, cleaned.")
    )
    content_type = serializers.CharField(help_text=_("MIME type, e.g. image/jpeg."))
    size = serializers.IntegerField(help_text=_("Size in bytes."))
    download_url = serializers.SerializerMethodField(
        help_text=_("Where an agent who sees the case downloads the file (signed in).")
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment: Attachment) -> str:
        path = reverse("tickets:agent-attachment-download", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


@extend_schema_serializer(component_name="Message")
class MessageOutputSerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The message's id."))
    author_kind = serializers.ChoiceField(
        choices=Message.Author.choices, help_text=_("Who wrote it.")
    )
    author = UserSummarySerializer(
        source="author_user", allow_null=True, help_text=_("The agent who wrote it, if one did.")
    )
    visibility = serializers.ChoiceField(
        choices=Message.Visibility.choices,
        help_text=_("`public`: the customer sees it; `internal`: agents only."),
    )
    body = serializers.CharField(help_text=_("The text."))
    attachments = AttachmentOutputSerializer(many=True, help_text=_("Files sent with it."))
    created_at = serializers.DateTimeField(help_text=_("When it was written."))


@extend_schema_serializer(component_name="MessageCreate")
class MessageCreateInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20_000, help_text=_("The text."))
    visibility = serializers.ChoiceField(
        choices=Message.Visibility.choices,
        required=False,
        default=Message.Visibility.PUBLIC,
        help_text=_("`public` reply to the customer (default) or `internal` note."),
    )


@extend_schema_serializer(component_name="CaseEvent")
class CaseEventOutputSerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The event's id."))
    verb = serializers.CharField(help_text=_("What happened, e.g. `status_changed`."))
    actor = serializers.CharField(
        source="actor.username",
        allow_null=True,
        help_text=_("Username of who did it; null for the customer or the system."),
    )
    data = serializers.DictField(help_text=_("Details, depending on the verb."))
    created_at = serializers.DateTimeField(help_text=_("When it happened."))
