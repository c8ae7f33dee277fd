from .api import ApiKey
from .cases import Attachment, Case, CaseEvent, Message, Tag, Team
from .customers import Customer, Order, OrderLine, Store
from .inbound import InboundEmail
from .money import Compensation, ExchangeRate
from .notifications import Notification
from .sla import SLAPolicy
from .system import WorkerHeartbeat
from .webhooks import WebhookDelivery

__all__ = [
    "ApiKey",
    "Attachment",
    "Case",
    "CaseEvent",
    "Compensation",
    "Customer",
    "ExchangeRate",
    "InboundEmail",
    "Message",
    "Notification",
    "Order",
    "OrderLine",
    "SLAPolicy",
    "Store",
    "Tag",
    "Team",
    "WebhookDelivery",
    "WorkerHeartbeat",
]
