from .access import CaseVisibility, GroupCaseVisibility
from .agents import AgentProfile
from .api import ApiKey
from .cases import Attachment, Case, CaseEvent, CaseTag, Message, Tag, Team
from .customers import Customer, Order, OrderLine, Store
from .inbound import InboundEmail
from .macros import Macro, MacroText
from .money import Compensation, ExchangeRate
from .notifications import Notification, ShortLink
from .portal import PortalAccessEvent, PortalLink
from .sla import RoutingRule, SLABreachAlert, SLAPolicy
from .system import WorkerHeartbeat
from .webhooks import WebhookDelivery

__all__ = [
    "AgentProfile",
    "ApiKey",
    "Attachment",
    "Case",
    "CaseEvent",
    "CaseTag",
    "CaseVisibility",
    "Compensation",
    "Customer",
    "ExchangeRate",
    "GroupCaseVisibility",
    "InboundEmail",
    "Macro",
    "MacroText",
    "Message",
    "Notification",
    "Order",
    "OrderLine",
    "PortalAccessEvent",
    "PortalLink",
    "RoutingRule",
    "SLABreachAlert",
    "SLAPolicy",
    "ShortLink",
    "Store",
    "Tag",
    "Team",
    "WebhookDelivery",
    "WorkerHeartbeat",
]
